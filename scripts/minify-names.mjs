// Shortens the names of what a wasm-bindgen module imports from its glue and exports to it, in
// the module and the glue alike: `node scripts/minify-names.mjs DIR` rewrites
// DIR/logmesh_bg.wasm and DIR/logmesh.js, wasm-bindgen's output before any minifier.
//
// wasm-bindgen names every import after its JS function plus a 16-hex-digit hash
// (`__wbg_createBuffer_0123456789abcdef`); a few hundred of them, each written twice (the wasm's
// import section and the glue's import object), are bytes gzip cannot shrink. Exports are the
// Rust names (`view_render`), written twice as well (the glue calls `wasm.view_render`). Each
// becomes a short name (`a`, `b`, ..., `ba`, ...). An import name that does not occur exactly
// once in the glue stops the build rather than leaving a module that cannot link; an export the
// glue never names as `wasm.NAME` keeps its name.
import { readFileSync, writeFileSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/minify-names.mjs DIR');
  process.exit(2);
}
const wasmPath = `${dir}/logmesh_bg.wasm`;
const jsPath = `${dir}/logmesh.js`;
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');

/** Reads an unsigned LEB128 at `at`; returns [value, next offset]. */
function uleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}

function encodeUleb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encode = (s) => [...Buffer.from(s, 'utf8')];
const nameBytes = (s) => [...encodeUleb(Buffer.byteLength(s)), ...encode(s)];

/** Short names: a..z, then ba..zz, ... (never a JS keyword: all are two letters or one). */
function shortName(k) {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  do {
    s = letters[k % 26] + s;
    k = Math.floor(k / 26);
  } while (k > 0);
  return s;
}
const reserved = new Set(['do', 'if', 'in']);

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath}: not a wasm module`);
const parts = [wasm.subarray(0, 8)];
let at = 8;
let renamed = 0;
let next = 0;
let exported = 0;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, bodyStart] = uleb(wasm, at + 1);
  const end = bodyStart + size;
  if (id === 7) {
    parts.push(exportSection(bodyStart, end));
    at = end;
    continue;
  }
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: module name, field name, then a description whose length depends on
  // its kind.
  let p = bodyStart;
  const [count, afterCount] = uleb(wasm, p);
  p = afterCount;
  const body = [...encodeUleb(count)];
  for (let i = 0; i < count; i++) {
    const [moduleLength, m] = uleb(wasm, p);
    const module = utf8.decode(wasm.subarray(m, m + moduleLength));
    p = m + moduleLength;
    const [fieldLength, f] = uleb(wasm, p);
    const field = utf8.decode(wasm.subarray(f, f + fieldLength));
    p = f + fieldLength;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) {
      p = uleb(wasm, p)[1]; // function: type index
    } else if (kind === 1 || kind === 2) {
      if (kind === 1) p++; // table: element type
      const flags = wasm[p++];
      p = uleb(wasm, p)[1]; // minimum
      if (flags & 1) p = uleb(wasm, p)[1]; // maximum
    } else if (kind === 3) {
      p += 2; // global: value type, mutability
    } else if (kind === 4) {
      p = uleb(wasm, p + 1)[1]; // tag: attribute, type index
    } else {
      throw new Error(`import ${module}.${field}: unknown kind ${kind}`);
    }
    let name = field;
    if (module.startsWith('./') && field.startsWith('__wb')) {
      do name = shortName(next++);
      while (reserved.has(name) || new RegExp(`[^\\w$.]${name}:`).test(js));
      const key = new RegExp(`(?<![\\w$])${field}(?![\\w$])`, 'g');
      const uses = js.match(key)?.length ?? 0;
      if (uses !== 1) throw new Error(`${jsPath}: import ${field} occurs ${uses} times, not once`);
      js = js.replace(key, name);
      renamed++;
    }
    body.push(...nameBytes(module), ...nameBytes(name), ...wasm.subarray(descStart, p));
  }
  if (p !== end) throw new Error('import section: unexpected length');
  parts.push(Buffer.from([2, ...encodeUleb(body.length), ...body]));
  at = end;
}
writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(jsPath, js);
console.log(`${dir}: ${renamed} imports and ${exported} exports renamed`);

/** The export section with every export the glue calls as `wasm.NAME` renamed. */
function exportSection(start, end) {
  let p = start;
  const [count, afterCount] = uleb(wasm, p);
  p = afterCount;
  const body = [...encodeUleb(count)];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const [length, n] = uleb(wasm, p);
    const field = utf8.decode(wasm.subarray(n, n + length));
    p = n + length;
    const descStart = p;
    p = uleb(wasm, p + 1)[1]; // kind, index
    let name = field;
    const use = new RegExp(`(?<![\\w$])wasm\\.${field.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
    if (use.test(js)) {
      do name = shortName(k++);
      while (reserved.has(name) || new RegExp(`wasm\\.${name}(?![\\w$])`).test(js));
      js = js.replace(use, `wasm.${name}`);
      exported++;
    }
    body.push(...nameBytes(name), ...wasm.subarray(descStart, p));
  }
  if (p !== end) throw new Error('export section: unexpected length');
  return Buffer.from([7, ...encodeUleb(body.length), ...body]);
}
