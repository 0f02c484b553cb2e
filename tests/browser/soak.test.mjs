// A short mount/destroy soak (scripts/bench-soak.mjs runs the long one, docs/PERFORMANCE.md "Soak"):
// 30 cycles of inserting and removing <log-mesh>, every other one removed at a random point of its
// load, on the WebGPU module (failures.test.mjs cycles the WebGL2 one). After the warm-up and every
// 10 cycles: no context whose canvas is still in the document, the listeners of the warm-up (not
// one more), and the JS heap and the wasm memory within a generous bound of the warm-up's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { growth, openSoakPage, soak } from '../../scripts/bench-soak.mjs';
import { skipUnlessBuilt } from './lib/site.mjs';

/** Growth allowed over 20 cycles after the warm-up, percent (the long run: docs/PERFORMANCE.md). */
const HEAP_GROWTH_MAX = 25;
const WASM_GROWTH_MAX = 50;

test('30 mount/destroy cycles, some cut short: no context or listener left, heap and wasm memory within bounds [webgpu]', { skip: skipUnlessBuilt, timeout: 180_000 }, async () => {
  const { page, close } = await openSoakPage('webgpu');
  try {
    const samples = [];
    await soak(page, { cycles: 30, warmup: 10, every: 10, onSample: (cycle, s) => samples.push({ cycle, ...s }) });
    assert.deepEqual(samples.map((s) => s.cycle), [10, 20, 30]);
    const [base, ...later] = samples;
    assert.ok(base.created.webgpu >= 5, `WebGPU contexts were made: ${JSON.stringify(base.created)}`);
    assert.equal(base.wasm > 0, true, 'the module is loaded');
    for (const s of samples) {
      assert.equal(s.contexts, 0, `cycle ${s.cycle}: contexts still attached`);
      assert.equal(s.listeners, base.listeners, `cycle ${s.cycle}: listeners ${s.listeners}, ${base.listeners} after the warm-up`);
    }
    for (const s of later) {
      const heap = growth(base.heap, s.heap);
      const wasm = growth(base.wasm, s.wasm);
      console.log(`# cycle ${s.cycle}: heap ${(s.heap / 1e6).toFixed(2)} MB (${heap.toFixed(1)}%), wasm ${(s.wasm / 1e6).toFixed(1)} MB (${wasm.toFixed(1)}%)`);
      assert.ok(heap <= HEAP_GROWTH_MAX, `cycle ${s.cycle}: JS heap grew ${heap.toFixed(1)}%`);
      assert.ok(wasm <= WASM_GROWTH_MAX, `cycle ${s.cycle}: wasm memory grew ${wasm.toFixed(1)}%`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await close();
  }
});
