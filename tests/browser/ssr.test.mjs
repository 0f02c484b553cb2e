// Importing the package under Node (server-side rendering, bundler analysis) must not touch the DOM.
// Each import runs in a fresh `node` child process so the traps below cannot leak into other tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

// The readable source, and the package as shipped (minified; scripts/build-package.mjs) once built.
const DIRS = ['www', 'out/package'].filter(
  (dir) => dir === 'www' || process.env.CI || existsSync(new URL(`../../${dir}/index.js`, import.meta.url)),
);
const DOM_GLOBALS = ['window', 'document', 'customElements', 'HTMLElement'];

// Runs `code` as an ES module in a child Node and returns the JSON it prints on its last stdout line.
function runModule(code) {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.status, 0, `child node failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

for (const dir of DIRS) {
  const INDEX = new URL(`../../${dir}/index.js`, import.meta.url).href;
  const ELEMENT = new URL(`../../${dir}/element.js`, import.meta.url).href;

  test(`${dir}/index.js imports under Node without touching DOM globals, and exports defineLogMesh`, () => {
    // Each trap records the touch before throwing, so a touch that the module catches still shows.
    const result = runModule(`
      const touched = [];
      for (const name of ${JSON.stringify(DOM_GLOBALS)}) {
        Object.defineProperty(globalThis, name, {
          configurable: true,
          get() { touched.push(name); throw new Error('logmesh touched ' + name + ' at import time'); },
        });
      }
      let error = null, exports = {};
      try {
        const mod = await import(${JSON.stringify(INDEX)});
        for (const [k, v] of Object.entries(mod)) exports[k] = typeof v;
      } catch (e) { error = String(e && e.stack || e); }
      console.log(JSON.stringify({ touched, error, exports }));
    `);
    assert.equal(result.error, null);
    assert.deepEqual(result.touched, []);
    assert.equal(result.exports.defineLogMesh, 'function');
  });

  test(`${dir}/element.js imports under Node without throwing (it registers only where customElements exists)`, () => {
    const result = runModule(`
      let error = null;
      try { await import(${JSON.stringify(ELEMENT)}); } catch (e) { error = String(e && e.stack || e); }
      console.log(JSON.stringify({ error, customElements: typeof globalThis.customElements }));
    `);
    assert.equal(result.error, null);
    assert.equal(result.customElements, 'undefined'); // it did not invent a registry either
  });
}
