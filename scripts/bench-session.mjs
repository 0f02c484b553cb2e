#!/usr/bin/env node
// Session soak (a benchmark, not a test; tests/browser/session.test.mjs runs a short one): one
// <log-mesh> of a site (by default the 10k-post benchmark site) used the way a visitor would for
// `--minutes` in headless Chromium, while the page's memory is watched:
//   - without pause, in turn: a drag that turns the view, hovers over five points, a click on a
//     point (the `open` it may fire is cancelled, so the page stays);
//   - every `--set-data` seconds, setData: the site's own files, then the same posts with other
//     titles (an object), and so on (each replaces the graph and its view);
//   - every `--lose` seconds, a lost GPU context (the `debug` hook), which the element recovers
//     from (3D rebuilt: the losses are more than a minute apart).
// Every `--every` seconds (at the next setData of the site's own files, so that every sample
// holds the same graph), after a forced garbage collection, it reads what scripts/bench-soak.mjs
// reads (live contexts, listeners, JS heap in use, wasm memory) and the element's state, mode and
// hover latency, and prints the growth since the sample at the end of the warm-up (`--warmup`
// seconds, which should take in the first setData round and the first loss).
//
// Usage: node scripts/bench-session.mjs [--minutes M] [--warmup S] [--every S] [--set-data S]
//          [--lose S] [--site DIR] [--flag-set webgpu|webgl2|no-gpu] [--json]
// DIR is a folder of out/site holding embed.html, posts.min.json and layout.json (default
// bench/site-10k; scripts/bench-session prepares it).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { growth, mulberry32, sample } from './bench-soak.mjs';
import { launch, newPage } from '../tests/browser/lib/browser.mjs';
import { wrapGetContext } from '../tests/browser/lib/screencast.mjs';

const SITE = fileURLToPath(new URL('../out/site', import.meta.url));

/**
 * Opens the session page for site folder `dir` (relative to out/site) under `flagSet`: the
 * site's embed.html with the `debug` attribute, in a 1280 x 900 page. { page, close() }.
 * @param {string} dir
 * @param {string} flagSet
 */
export async function openSessionPage(dir, flagSet) {
  const embed = readFileSync(join(SITE, dir, 'embed.html'), 'utf8').replace('<log-mesh ', '<log-mesh debug ');
  const html = '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/logmesh/logmesh.css">' +
    `<script type="module" src="/logmesh/element.js"></script></head><body style="margin:0"><main style="width:1000px">${embed}</main></body></html>`;
  const server = await serve({
    root: SITE,
    routes: {
      '/session/': async (req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(html);
      },
    },
  });
  const context = await launch(flagSet, { viewport: { width: 1280, height: 900 } });
  const page = await newPage(context);
  await wrapGetContext(page);
  await page.addInitScript(() => {
    window.__session = { errors: [], fallbacks: [], opens: 0 };
    document.addEventListener('error', (e) => e instanceof CustomEvent && window.__session.errors.push(e.detail), true);
    document.addEventListener('fallback', (e) => e instanceof CustomEvent && window.__session.fallbacks.push(e.detail), true);
    // A click on a post opens it: cancelled, so the session stays on its page.
    document.addEventListener('open', (e) => {
      window.__session.opens++;
      e.preventDefault();
    }, true);
  });
  await page.goto(new URL('/session/', server.url).href);
  await page.waitForFunction(() => document.querySelector('log-mesh')?.state === 'live', null, { timeout: 120_000 });
  return {
    page,
    /** The site's files as setData takes them: URLs. */
    files: { posts: `/${dir}/posts.min.json`, layout: `/${dir}/layout.json` },
    async close() {
      await context.close();
      await server.close();
    },
  };
}

/**
 * Runs the session on `page` (from openSessionPage) for `durationMs`; calls onSample(seconds,
 * sample) at the first setData of the site's own files after `warmupMs`, and at the first such
 * setData each `everyMs` after that (so that every sample holds the same data). Throws when the element leaves
 * `live` for more than a few seconds, or setData fails.
 * @param {import('playwright-core').Page} page
 * @param {{posts: string, layout: string}} files
 * @param {{durationMs: number, warmupMs: number, everyMs: number, setDataMs: number, loseMs: number, seed?: number,
 *   onSample: (seconds: number, s: object) => void}} options
 */
export async function session(page, files, { durationMs, warmupMs, everyMs, setDataMs, loseMs, seed = 7, onSample }) {
  const cdp = await page.context().newCDPSession(page);
  // Seeded: every run does the same things.
  const random = mulberry32(seed);
  const box = await page.evaluate(() => {
    const r = document.querySelector('log-mesh').getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  });
  const point = () => ({ x: box.x + box.width * (0.15 + 0.7 * random()), y: box.y + box.height * (0.15 + 0.7 * random()) });
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let nextSetData = setDataMs;
  let nextLoss = loseMs;
  let nextSample = warmupMs;
  let round = 0;
  const counts = { drags: 0, hovers: 0, clicks: 0, setData: 0, losses: 0 };
  try {
    while (elapsed() < durationMs) {
      // A drag that turns the view.
      const from = point();
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let i = 1; i <= 5; i++) await page.mouse.move(from.x + i * 12 * (random() - 0.5) * 4, from.y + i * 6 * (random() - 0.5));
      await page.mouse.up();
      counts.drags++;
      // Hovers, then a click (a select, or an open that is cancelled).
      for (let i = 0; i < 5; i++) {
        const p = point();
        await page.mouse.move(p.x, p.y);
        await page.waitForTimeout(40);
        counts.hovers++;
      }
      const c = point();
      await page.mouse.click(c.x, c.y);
      counts.clicks++;
      await page.waitForTimeout(100);

      if (elapsed() >= nextSetData) {
        nextSetData += setDataMs;
        round++;
        const how = await page.evaluate(async ([f, n]) => {
          const el = document.querySelector('log-mesh');
          if (n % 2 === 1) {
            // The same posts under other titles, as an object.
            const posts = await (await fetch(f.posts)).json();
            for (const post of posts.posts) post.title = `${post.title} (${n})`;
            await el.setData(posts, f.layout);
          } else {
            await el.setData(f.posts, f.layout);
          }
          return el.state;
        }, [files, round]);
        if (how !== 'live') throw new Error(`setData ${round}: state ${how}`);
        counts.setData++;
        // Samples follow a setData of the site's own files, so that each holds the same data.
        if (round % 2 === 0 && elapsed() >= nextSample) {
          nextSample += everyMs;
          const s = await sample(page, cdp);
          const element = await page.evaluate(() => {
            const el = document.querySelector('log-mesh');
            return { state: el.state, ...el.stats(), ...window.__session, errors: window.__session.errors.length, fallbacks: window.__session.fallbacks.length };
          });
          onSample(elapsed() / 1000, { ...s, element, counts: { ...counts } });
        }
      }
      if (elapsed() >= nextLoss) {
        nextLoss += loseMs;
        const lost = await page.evaluate(() => document.querySelector('log-mesh').debugLoseContext());
        if (lost) counts.losses++;
        // Live again within a few seconds (rebuilt, or in 2D).
        await page.waitForFunction(() => document.querySelector('log-mesh').state === 'live' && document.querySelector('log-mesh').stats().mode !== null, null, { timeout: 20_000 });
        await page.waitForTimeout(1000);
      }
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
  return counts;
}

async function main(argv) {
  const usage = 'usage: node scripts/bench-session.mjs [--minutes M] [--warmup S] [--every S] [--set-data S] [--lose S] [--site DIR] [--flag-set webgpu|webgl2|no-gpu] [--json]';
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '150' },
      every: { type: 'string', default: '60' },
      'set-data': { type: 'string', default: '30' },
      lose: { type: 'string', default: '120' },
      site: { type: 'string', default: 'bench/site-10k' },
      'flag-set': { type: 'string', default: 'webgpu' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return void console.log(usage);
  const opts = {
    minutes: Number(values.minutes),
    warmup: Number(values.warmup),
    every: Number(values.every),
    setData: Number(values['set-data']),
    lose: Number(values.lose),
    site: values.site,
    flagSet: values['flag-set'],
    json: values.json,
  };
  for (const k of ['minutes', 'warmup', 'every', 'setData', 'lose']) {
    if (!(opts[k] > 0)) throw new Error(`${k}: a positive number\n${usage}`);
  }
  const { page, files, close } = await openSessionPage(opts.site, opts.flagSet);
  const rows = [];
  try {
    await session(page, files, {
      durationMs: opts.minutes * 60_000,
      warmupMs: opts.warmup * 1000,
      everyMs: opts.every * 1000,
      setDataMs: opts.setData * 1000,
      loseMs: opts.lose * 1000,
      onSample(seconds, s) {
        const base = rows[0]?.s ?? s;
        rows.push({ seconds, s });
        const pct = (k) => `${growth(base[k], s[k]) >= 0 ? '+' : ''}${growth(base[k], s[k]).toFixed(1)}%`;
        const e = s.element;
        console.log(
          `${seconds.toFixed(0).padStart(4)} s  ${e.state} ${e.mode}/${e.backend}  contexts ${s.contexts}  listeners ${String(s.listeners).padStart(3)}  ` +
            `heap ${(s.heap / 1e6).toFixed(2).padStart(7)} MB (${pct('heap')})  wasm ${(s.wasm / 1e6).toFixed(1).padStart(6)} MB (${pct('wasm')})  ` +
            `pick p50/p95 ${e.pick_ms_p50?.toFixed(1)}/${e.pick_ms_p95?.toFixed(1)} ms  errors ${e.errors}  fallbacks ${e.fallbacks}  ${JSON.stringify(s.counts)}`,
        );
      },
    });
    if (page.errors.length) throw new Error(`page errors: ${page.errors.map((e) => e.message).join('; ')}`);
  } finally {
    await close();
  }
  if (opts.json) console.log(JSON.stringify({ date: new Date().toISOString(), ...opts, rows }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
