// The size budget of what a visitor on the WebGPU path downloads: the WebGPU module and its
// glue (as scripts/build-web writes them) plus the element's own JavaScript minified as a
// bundler would ship it, gzip level 9, within 150 kB (1,024 bytes). Sizes, not times: the same
// build gives the same bytes, so this fails only when the download grows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { rolldown } from 'rolldown';
import { ROOT } from './lib/site.mjs';

const BUDGET = 150 * 1024;
const WASM = join(ROOT, 'www', 'wasm');
const built = existsSync(join(WASM, 'webgpu', 'logmesh_bg.wasm')) && existsSync(join(WASM, '2d', 'logmesh_bg.wasm'));
const skip = !built && !process.env.CI ? 'www/wasm is not built (run scripts/build-web)' : false;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** The element's entry chunk, minified (the wasm glue it imports lazily is a chunk of its own). */
async function elementMinified() {
  const bundle = await rolldown({ input: join(ROOT, 'www', 'element.js'), logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm', minify: true });
  await bundle.close();
  const entry = output.find((chunk) => chunk.type === 'chunk' && chunk.isEntry);
  return Buffer.from(entry.code);
}

test('the WebGPU path (module, glue, element minified) stays within 150 kB gzip [no browser]', { skip }, async () => {
  const wasm = gzip(readFileSync(join(WASM, 'webgpu', 'logmesh_bg.wasm')));
  const glue = gzip(readFileSync(join(WASM, 'webgpu', 'logmesh.js')));
  const element = gzip(await elementMinified());
  const total = wasm + glue + element;
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(`# WebGPU path: wasm ${kb(wasm)} + glue ${kb(glue)} + element ${kb(element)} = ${kb(total)} kB gzip`);
  assert.ok(element > 2 * 1024, `the element chunk is suspiciously small (${element} bytes)`);
  assert.ok(total <= BUDGET, `${kb(total)} kB gzip, over the ${kb(BUDGET)} kB budget`);
});

test('the 2D view is in the 2D module only [no browser]', { skip }, () => {
  // wasm-bindgen's glue names the classes it wraps.
  const webgpu = readFileSync(join(WASM, 'webgpu', 'logmesh.js'), 'utf8');
  const twoD = readFileSync(join(WASM, '2d', 'logmesh.js'), 'utf8');
  assert.ok(twoD.includes('View2d'), 'the 2D module exports View2d');
  assert.ok(!webgpu.includes('View2d'), 'the WebGPU module carries no 2D view');
  assert.ok(webgpu.includes('ViewSetup'), 'the WebGPU module exports the 3D view');
  assert.ok(!twoD.includes('ViewSetup'), 'the 2D module carries no 3D view');
});
