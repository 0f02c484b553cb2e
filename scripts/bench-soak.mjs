#!/usr/bin/env node
// Mount/destroy soak (a benchmark, not a test; tests/browser/soak.test.mjs runs a short one): on a
// page of its own that holds only the element script, a <log-mesh> of the demo site (1,000 posts,
// with its layout file) is inserted and removed again and again. Even cycles wait until it is
// live (`ready`) and remove it then; odd cycles remove it at a random point of its load (0 to
// 400 ms after insertion, seeded, so every run removes at the same points). After a warm-up, then
// every `--every` cycles and at the end, after a forced garbage collection, it reads:
//   contexts   WebGL2/WebGPU/2D contexts whose canvas is still in the document (getContext wrapped)
//   listeners  event listeners on window, document and every element (CDP DOMDebugger)
//   heap       the JS heap in use (CDP Runtime.getHeapUsage)
//   wasm       the linear memory of every module loaded (WebAssembly.Memory.buffer.byteLength)
// and prints the growth since the warm-up sample in percent.
//
// Usage: node scripts/bench-soak.mjs [--cycles N] [--warmup N] [--every N] [--flag-set webgl2|webgpu|no-gpu] [--json]
// Needs the demo site (scripts/build-site writes out/site/).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, newPage } from '../tests/browser/lib/browser.mjs';
import { contextCounts, countListeners, wrapGetContext } from '../tests/browser/lib/screencast.mjs';

const SITE = fileURLToPath(new URL('../out/site', import.meta.url));
const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/graph/logmesh.css">' +
  '<script type="module" src="/logmesh/element.js"></script></head><body><main id="host"></main></body></html>';
/** How long a cycle waits for `ready` before it fails, ms. */
const LIVE_TIMEOUT_MS = 30_000;
/** The longest a removal at a random point waits after insertion, ms. */
const RANDOM_REMOVAL_MS = 400;

/**
 * One sample of the page: live contexts, listeners, JS heap in use and wasm memory (bytes), read
 * after a forced garbage collection.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').CDPSession} cdp
 */
export async function sample(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const contexts = await contextCounts(page);
  const listeners = await countListeners(page);
  const wasm = await page.evaluate(async () => {
    // Each glue module's initSync() without arguments hands back the instance's exports once it
    // is initialised (and throws before): the same instance the element uses (same URL).
    let bytes = 0;
    for (const kind of ['webgpu', 'webgl2', '2d']) {
      const url = `/logmesh/wasm/${kind}/logmesh.js`;
      if (!performance.getEntriesByType('resource').some((e) => e.name.endsWith(url))) continue;
      try {
        const glue = await import(url);
        const exports = glue.initSync();
        const memory = Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
        if (memory) bytes += memory.buffer.byteLength;
      } catch {
        // not initialised (yet)
      }
    }
    return bytes;
  });
  return { contexts: contexts.live, created: contexts.created, listeners, heap: usedSize, wasm };
}

/**
 * mulberry32, a small seeded PRNG: a function returning numbers in [0, 1), the same sequence for
 * the same seed (so that benchmark runs do the same things).
 * @param {number} seed
 */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `cycles` mount/destroy cycles on `page` (the soak page, loaded): yields nothing, calls
 * `onSample(cycle, sample)` after `warmup` cycles, every `every` cycles after that and at the end.
 * Throws when a cycle does not end as it should (live, then static once removed; static after a
 * removal at a random point).
 * @param {import('playwright-core').Page} page
 * @param {{cycles: number, warmup: number, every: number, seed?: number, onSample: (cycle: number, s: Awaited<ReturnType<typeof sample>>) => void}} options
 */
export async function soak(page, { cycles, warmup, every, seed = 1, onSample }) {
  const cdp = await page.context().newCDPSession(page);
  try {
    // Seeded, so every run removes at the same points.
    const random = mulberry32(seed);
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const removeAfterMs = cycle % 2 === 0 ? null : Math.floor(random() * RANDOM_REMOVAL_MS);
      const outcome = await page.evaluate(async ([after, timeoutMs]) => {
        const el = document.createElement('log-mesh');
        el.setAttribute('src', '/graph/posts.min.json');
        el.setAttribute('layout', '/graph/layout.json');
        el.style.cssText = 'display:block;width:400px;aspect-ratio:16/9';
        document.querySelector('#host').append(el);
        if (after === null) {
          const settled = await new Promise((ok) => {
            el.addEventListener('ready', () => ok('ready'), { once: true });
            el.addEventListener('error', (e) => ok(`error ${JSON.stringify(/** @type {CustomEvent} */ (e).detail)}`), { once: true });
            setTimeout(() => ok(`neither ready nor error within ${timeoutMs} ms`), timeoutMs);
          });
          if (settled !== 'ready') {
            const stuck = { settled, state: el.state, stats: el.stats() };
            el.remove();
            return { before: 'stuck', after: el.state, stuck };
          }
        } else {
          await new Promise((ok) => setTimeout(ok, after));
        }
        const before = el.state;
        el.remove();
        return { before, after: el.state };
      }, [removeAfterMs, LIVE_TIMEOUT_MS]);
      if ((removeAfterMs === null && outcome.before !== 'live') || outcome.after !== 'static') {
        throw new Error(`cycle ${cycle}: ${JSON.stringify({ removeAfterMs, ...outcome })}`);
      }
      if (cycle === warmup || (cycle > warmup && (cycle - warmup) % every === 0) || cycle === cycles) {
        onSample(cycle, await sample(page, cdp));
      }
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Opens the soak page under `flagSet`: { page, close() }.
 * @param {string} flagSet
 */
export async function openSoakPage(flagSet) {
  const server = await serve({
    root: SITE,
    routes: {
      '/soak/': async (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(PAGE);
      },
    },
  });
  const context = await launch(flagSet);
  const page = await newPage(context);
  await wrapGetContext(page);
  await page.goto(new URL('/soak/', server.url).href);
  await page.waitForFunction(() => customElements.get('log-mesh'));
  return {
    page,
    async close() {
      await context.close();
      await server.close();
    },
  };
}

/** Growth of `now` over `base` in percent (0 when both are 0). */
export const growth = (base, now) => (base === 0 ? (now === 0 ? 0 : Infinity) : ((now - base) / base) * 100);

async function main(argv) {
  const usage = 'usage: node scripts/bench-soak.mjs [--cycles N] [--warmup N] [--every N] [--flag-set webgl2|webgpu|no-gpu] [--json]';
  const opts = { cycles: 1000, warmup: 50, every: 100, flagSet: 'webgl2', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage}`);
      return argv[++i];
    };
    if (a === '--cycles') opts.cycles = Number(value());
    else if (a === '--warmup') opts.warmup = Number(value());
    else if (a === '--every') opts.every = Number(value());
    else if (a === '--flag-set') opts.flagSet = value();
    else if (a === '--json') opts.json = true;
    else if (a === '-h' || a === '--help') return void console.log(usage);
    else throw new Error(`unexpected argument ${a}\n${usage}`);
  }
  for (const k of ['cycles', 'warmup', 'every']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k}: a positive integer\n${usage}`);
  }
  if (opts.warmup > opts.cycles) opts.warmup = opts.cycles;
  const { page, close } = await openSoakPage(opts.flagSet);
  const rows = [];
  const started = Date.now();
  try {
    await soak(page, {
      ...opts,
      onSample(cycle, s) {
        const base = rows[0]?.s ?? s;
        const row = { cycle, s, seconds: (Date.now() - started) / 1000 };
        rows.push(row);
        const pct = (k) => `${growth(base[k], s[k]) >= 0 ? '+' : ''}${growth(base[k], s[k]).toFixed(1)}%`;
        console.log(
          `cycle ${String(cycle).padStart(5)}  ${row.seconds.toFixed(0).padStart(5)} s  contexts ${s.contexts}  listeners ${String(s.listeners).padStart(3)}  ` +
            `heap ${(s.heap / 1e6).toFixed(2).padStart(7)} MB (${pct('heap')})  wasm ${(s.wasm / 1e6).toFixed(1).padStart(6)} MB (${pct('wasm')})  ` +
            `created ${JSON.stringify(s.created)}`,
        );
      },
    });
    if (page.errors.length) throw new Error(`page errors: ${page.errors.map((e) => e.message).join('; ')}`);
  } finally {
    await close();
  }
  if (opts.json) console.log(JSON.stringify({ date: new Date().toISOString(), flagSet: opts.flagSet, rows }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
