// The size budget of what a visitor on the WebGPU path downloads, as the package ships it
// (out/package/, scripts/build-package.mjs): every file that path loads, found by following the
// import graph from element.js (its static imports, the dynamic import of the WebGPU glue and the
// .wasm that glue is given through `new URL(…, import.meta.url)`), each gzipped at level 9,
// within 150 kB (1,024 bytes). Sizes, not times: the same build gives the same bytes, so this
// fails only when the download grows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importGraph } from './lib/imports.mjs';
import { ROOT } from './lib/site.mjs';

const BUDGET = 150 * 1024;
const PACKAGE = join(ROOT, 'out', 'package');
const WWW = join(ROOT, 'www');
const WASM = join(PACKAGE, 'wasm');
const built = existsSync(join(WASM, 'webgpu', 'logmesh_bg.wasm')) && existsSync(join(WASM, '2d', 'logmesh_bg.wasm'));
const skip = !built && !process.env.CI ? 'out/package is not built (run scripts/build-site)' : false;

const gzip = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);
/** The WebGPU path: the files the page loads when WebGPU works (the other modules load only when it does not). */
const webgpuPath = () => importGraph(PACKAGE, 'element.js', (path) => path.startsWith('wasm/webgpu/'));
/** The element's own files on that path (not the wasm module and its glue). */
const elementFiles = () => webgpuPath().map((f) => f.path).filter((path) => !path.startsWith('wasm/'));

test('the WebGPU path (module, glue, element) stays within 150 kB gzip as shipped [no browser]', { skip }, () => {
  const files = webgpuPath();
  const paths = files.map((f) => f.path);
  // The graph must reach what the path needs, or the sum below would count too little.
  for (const needed of ['element.js', 'wasm/webgpu/logmesh.js', 'wasm/webgpu/logmesh_bg.wasm']) {
    assert.ok(paths.includes(needed), `the import graph from element.js misses ${needed}: ${paths.join(', ')}`);
  }
  assert.ok(!paths.some((p) => p.startsWith('wasm/webgl2/') || p.startsWith('wasm/2d/')), `only the WebGPU module: ${paths.join(', ')}`);
  const sizes = files.map(({ path }) => ({ path, bytes: gzip(join(PACKAGE, path)) }));
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  console.log(`# WebGPU path: ${sizes.map((s) => `${s.path} ${kb(s.bytes)}`).join(' + ')} = ${kb(total)} kB gzip`);
  assert.ok(total <= BUDGET, `${kb(total)} kB gzip, over the ${kb(BUDGET)} kB budget`);
});

test('the package ships its JavaScript minified, with source maps holding the readable sources [no browser]', { skip }, () => {
  let shippedBytes = 0;
  let sourceBytes = 0;
  const mapped = new Set();
  for (const file of elementFiles()) {
    const shipped = readFileSync(join(PACKAGE, file), 'utf8');
    const trailer = `\n//# sourceMappingURL=${file}.map\n`;
    assert.ok(shipped.endsWith(trailer), `${file} names no source map`);
    const code = shipped.slice(0, -trailer.length);
    assert.doesNotMatch(code, /^\s*(\/\/|\/\*)/m, `${file} still has comments`);
    const map = JSON.parse(readFileSync(join(PACKAGE, `${file}.map`), 'utf8'));
    assert.equal(map.sourcesContent?.length, map.sources.length, `${file}.map does not hold every source`);
    map.sources.forEach((name, i) => {
      assert.match(name, /^source\//, `${file}.map names ${name}`);
      const path = name.slice('source/'.length);
      assert.equal(map.sourcesContent[i], readFileSync(join(WWW, path), 'utf8'), `${file}.map holds www/${path} as it is`);
      mapped.add(path);
      sourceBytes += map.sourcesContent[i].length;
    });
    assert.ok(code.length < map.sourcesContent.reduce((n, s) => n + s.length, 0), `${file} is not smaller than its sources`);
    shippedBytes += code.length;
  }
  // Every module of www/ that element.js imports is shipped, readable in a map.
  const readable = importGraph(WWW, 'element.js').map((f) => f.path);
  assert.deepEqual([...mapped].sort(), readable.sort(), 'the maps hold exactly the sources element.js imports');
  assert.ok(shippedBytes < 0.6 * sourceBytes, `the element is barely minified (${shippedBytes} of ${sourceBytes} bytes)`);
});

test('the 2D view is in the 2D module only [no browser]', { skip }, () => {
  // wasm-bindgen's glue names the methods and functions it wraps: the 2D module starts its view
  // with SiteHandle.view_2d, the 3D modules with SiteHandle.view_setup and start_view.
  const webgpu = readFileSync(join(WASM, 'webgpu', 'logmesh.js'), 'utf8');
  const twoD = readFileSync(join(WASM, '2d', 'logmesh.js'), 'utf8');
  assert.ok(twoD.includes('view_2d'), 'the 2D module starts the 2D view');
  assert.ok(!webgpu.includes('view_2d'), 'the WebGPU module carries no 2D view');
  for (const name of ['view_setup', 'start_view']) {
    assert.ok(webgpu.includes(name), `the WebGPU module exports ${name} (the 3D view)`);
    assert.ok(!twoD.includes(name), `the 2D module carries no 3D view (${name})`);
  }
});
