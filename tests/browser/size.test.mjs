// The size budget of what a visitor on the WebGPU path downloads, as the package ships it
// (out/package/, scripts/build-package.mjs): the WebGPU module and its glue plus the element's own
// files (element.js, index.js, log-mesh.js, modules.js; minified), each gzipped at level 9, within
// 150 kB (1,024 bytes). Sizes, not times: the same build gives the same bytes, so this fails only
// when the download grows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from './lib/site.mjs';

const BUDGET = 150 * 1024;
const PACKAGE = join(ROOT, 'out', 'package');
const WASM = join(PACKAGE, 'wasm');
const ELEMENT = ['element.js', 'index.js', 'log-mesh.js', 'modules.js'];
const built = existsSync(join(WASM, 'webgpu', 'logmesh_bg.wasm')) && existsSync(join(WASM, '2d', 'logmesh_bg.wasm'));
const skip = !built && !process.env.CI ? 'out/package is not built (run scripts/build-site)' : false;

const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);

test('the WebGPU path (module, glue, element) stays within 150 kB gzip as shipped [no browser]', { skip }, () => {
  const wasm = gzip(join(WASM, 'webgpu', 'logmesh_bg.wasm'));
  const glue = gzip(join(WASM, 'webgpu', 'logmesh.js'));
  const element = ELEMENT.reduce((sum, file) => sum + gzip(join(PACKAGE, file)), 0);
  const total = wasm + glue + element;
  console.log(`# WebGPU path: wasm ${kb(wasm)} + glue ${kb(glue)} + element ${kb(element)} = ${kb(total)} kB gzip`);
  assert.ok(total <= BUDGET, `${kb(total)} kB gzip, over the ${kb(BUDGET)} kB budget`);
});

test('the package ships its JavaScript minified, with source maps [no browser]', { skip }, () => {
  for (const file of ELEMENT) {
    const shipped = readFileSync(join(PACKAGE, file), 'utf8');
    const source = readFileSync(join(ROOT, 'www', file), 'utf8');
    const trailer = `\n//# sourceMappingURL=${file}.map\n`;
    assert.ok(shipped.endsWith(trailer), `${file} names no source map`);
    const code = shipped.slice(0, -trailer.length);
    assert.ok(code.length < source.length, `${file} is not smaller than its source`);
    assert.doesNotMatch(code, /^\s*(\/\/|\/\*)/m, `${file} still has comments`);
    const map = JSON.parse(readFileSync(join(PACKAGE, `${file}.map`), 'utf8'));
    assert.deepEqual(map.sourcesContent, [source], `${file}.map does not hold the readable source`);
  }
  const logMesh = readFileSync(join(PACKAGE, 'log-mesh.js'), 'utf8');
  assert.ok(logMesh.length < 0.6 * readFileSync(join(ROOT, 'www', 'log-mesh.js')).length, 'log-mesh.js is barely minified');
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
