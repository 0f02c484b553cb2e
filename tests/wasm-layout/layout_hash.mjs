// Runs the layout compiled to wasm32-unknown-unknown (examples/wasm_hash.rs) under Node and
// prints one `<file> <positions_hash> <radial positions_hash>` line per posts file.
// Usage: node layout_hash.mjs MODULE.wasm SEED ITERATIONS POSTS.json...
import { readFileSync } from 'node:fs';

const [wasmPath, seed, iterations, ...files] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const { memory, alloc, layout_hash, radial_hash } = instance.exports;
const hex = (/** @type {bigint} */ hash) => BigInt.asUintN(64, hash).toString(16).padStart(16, '0');
for (const file of files) {
  const bytes = readFileSync(file);
  const ptr = alloc(bytes.length);
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  const hash = layout_hash(ptr, bytes.length, Number(seed), Number(iterations));
  console.log(`${file} ${hex(hash)} ${hex(radial_hash())}`);
}
