// A short session soak (scripts/bench-session.mjs runs the 10-minute one on 10k posts,
// docs/PERFORMANCE.md "Session soak"): the demo's element used for about a minute on the WebGPU
// module (drags, hovers, clicks without pause, setData every 8 s alternating two data sets, one
// lost context), sampled after a forced garbage collection at 16 s and every 16 s after: it stays
// live, holds one live context and the warm-up's listeners, and its JS heap and wasm memory stay
// within a generous bound of the warm-up's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { growth } from '../../scripts/bench-soak.mjs';
import { openSessionPage, session } from '../../scripts/bench-session.mjs';
import { skipUnlessBuilt } from './lib/site.mjs';

/** Growth allowed after the warm-up, percent (the long run's figures: docs/PERFORMANCE.md). */
const HEAP_GROWTH_MAX = 25;
const WASM_GROWTH_MAX = 50;

test('a one-minute session (orbit, hover, click, setData, a lost context) stays live with flat memory [webgpu]', { skip: skipUnlessBuilt, timeout: 240_000 }, async () => {
  const { page, files, close } = await openSessionPage('graph', 'webgpu');
  try {
    const samples = [];
    const counts = await session(page, files, {
      durationMs: 66_000,
      warmupMs: 16_000,
      everyMs: 16_000,
      setDataMs: 8_000,
      loseMs: 12_000 + 60_000 * 10, // once, at 12 s (a second would be within a minute: 2D)
      onSample: (seconds, s) => samples.push({ seconds, ...s }),
    });
    assert.ok(samples.length >= 3, `samples: ${samples.length}`);
    assert.ok(counts.setData >= 6 && counts.clicks >= 6, JSON.stringify(counts));
    const [base, ...later] = samples;
    for (const s of samples) {
      const at = `${s.seconds.toFixed(0)} s`;
      assert.equal(s.element.state, 'live', at);
      assert.equal(s.element.errors, 0, `${at}: error events`);
      assert.ok(s.contexts <= 1, `${at}: ${s.contexts} live contexts`);
      assert.equal(s.listeners, base.listeners, `${at}: listeners ${s.listeners}, ${base.listeners} after the warm-up`);
    }
    for (const s of later) {
      const heap = growth(base.heap, s.heap);
      const wasm = growth(base.wasm, s.wasm);
      console.log(`# ${s.seconds.toFixed(0)} s: ${s.element.mode}, heap ${(s.heap / 1e6).toFixed(2)} MB (${heap.toFixed(1)}%), wasm ${(s.wasm / 1e6).toFixed(1)} MB (${wasm.toFixed(1)}%), pick p95 ${s.element.pick_ms_p95?.toFixed(0)} ms`);
      assert.ok(heap <= HEAP_GROWTH_MAX, `${s.seconds.toFixed(0)} s: JS heap grew ${heap.toFixed(1)}%`);
      assert.ok(wasm <= WASM_GROWTH_MAX, `${s.seconds.toFixed(0)} s: wasm memory grew ${wasm.toFixed(1)}%`);
    }
    assert.deepEqual(page.errors, []);
  } finally {
    await close();
  }
});
