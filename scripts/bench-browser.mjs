// The browser benchmark (scripts/bench-browser prepares its files): for each site, <log-mesh> on
// the WebGPU module, on the WebGL2 module, and 3d-force-graph 1.80 (WebGL, three.js) given the same
// graph and the same positions (so no layout runs in either), each in a fresh headless Chromium:
//   live_ms     navigation start -> `ready` (ours) / the first frame drawn with the graph (peer)
//   fps         frames presented per second while the pointer orbits the view for 2 s
//   pick p50/95 pointermove -> `hover` event (ours) / onNodeHover callback (peer), over 50 posts
//   filter      as on a page with a finder: tags() once (as tag chips call it; it reads the
//               texts and asks for search's index to be made while the page is idle), the time
//               until that index is made, then setFilter() of the most used tag, then of a query,
//               then none: each call's time, the first apart, then the median and worst of the
//               other 29 (ours only; the peer has no filter)
// Usage: node scripts/bench-browser.mjs BENCH_DIR POSTS.json ...
// BENCH_RUNNERS=webgpu,webgl2,peer (the default: all three) picks the runners.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { serve } from './serve.mjs';
import { launch } from '../tests/browser/lib/browser.mjs';

const [benchDir, ...files] = process.argv.slice(2);
const SITE = join(benchDir, '..');
const WIDTH = 1200;
const HEIGHT = 675;
const HOVERS = 50;

const ours = (name) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/logmesh/logmesh.css">
<script type="module" src="/logmesh/element.js"></script></head>
<body style="margin:0">${readFileSync(join(benchDir, name, 'embed.html'), 'utf8').replace('<log-mesh ', `<log-mesh style="width:${WIDTH}px" `)}</body></html>`;

const peer = (name) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/bench/peer/3d-force-graph.min.js"></script></head>
<body style="margin:0"><div id="graph"></div><script>
(async () => {
  const graph = await (await fetch('/bench/${name}/graph.json')).json();
  const layout = await (await fetch('/bench/${name}/layout.json')).json();
  const ids = Object.keys(layout.positions).sort();
  const nodes = ids.map((id, i) => { const [x, y, z] = layout.positions[id]; return { id: i, fx: x, fy: y, fz: z }; });
  const links = graph.edges.map(([source, target]) => ({ source, target }));
  window.__hover = [];
  const g = ForceGraph3D()(document.getElementById('graph'))
    .width(${WIDTH}).height(${HEIGHT}).warmupTicks(0).cooldownTicks(0)
    .onNodeHover((node) => window.__hover.push({ id: node ? node.id : null, t: performance.now() }))
    .graphData({ nodes, links });
  window.__graph = g;
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__ready = performance.now(); }));
})();
</script></body></html>`;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function measure(kind, flagSet, name, server) {
  const context = await launch(flagSet, { viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    if (process.env.BENCH_DEBUG) page.on('console', (m) => console.log('  page:', m.text()));
    await page.addInitScript(() => {
      window.__moves = [];
      window.__hoverEvents = [];
      addEventListener('pointermove', (e) => window.__moves.push(e.timeStamp), true);
      document.addEventListener('ready', () => { window.__ready = performance.now(); });
      document.addEventListener('hover', (e) => window.__hoverEvents.push({ id: e.detail.id, t: performance.now() }));
    });
    await page.goto(new URL(`/bench/${kind}-${name}.html`, server.url).href);
    await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 300_000, polling: 50 });
    const liveMs = await page.evaluate(() => window.__ready);
    const box = await page.evaluate(() => {
      const el = document.querySelector('log-mesh, #graph canvas');
      const r = el.getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    });

    // Hover: 50 posts visible in the frame, each at its centre.
    await page.waitForTimeout(500);
    const points = [];
    if (kind === 'ours') {
      const hits = JSON.parse(readFileSync(join(benchDir, name, 'hits-3d.json'), 'utf8')).posts;
      const positions = await page.evaluate((ids) => ids.map((id) => document.querySelector('log-mesh').screenPosition(id)), hits.map((h) => h.id));
      // Posts drawn at least a pixel wide; at 100k posts nearly all are smaller, so then any
      // visible post (its hit disc is 6 px wide whatever its size).
      const shown = hits.map((h, i) => ({ id: h.id, ...positions[i] })).filter((p) => p.visible);
      const wide = shown.filter((p) => p.r >= 1);
      const visible = wide.length >= HOVERS ? wide : shown;
      const step = Math.max(1, Math.floor(visible.length / HOVERS));
      for (let i = 0; i < visible.length && points.length < HOVERS; i += step) points.push(visible[i]);
    } else {
      const coords = await page.evaluate(() => {
        const g = window.__graph;
        return g.graphData().nodes.map((n) => ({ id: n.id, ...g.graph2ScreenCoords(n.fx, n.fy, n.fz) }));
      });
      const inside = coords.filter((c) => c.x > 10 && c.y > 10 && c.x < WIDTH - 10 && c.y < HEIGHT - 10);
      const step = Math.max(1, Math.floor(inside.length / HOVERS));
      for (let i = 0; i < inside.length && points.length < HOVERS; i += step) points.push(inside[i]);
    }
    const latencies = [];
    let named = 0;
    for (const p of points) {
      const before = await page.evaluate(() => ({ moves: window.__moves.length, hovers: (window.__hoverEvents.length || 0) + (window.__hover?.length || 0) }));
      await page.mouse.move(box.x + p.x, box.y + p.y);
      try {
        await page.waitForFunction((n) => (window.__hoverEvents.length || 0) + (window.__hover?.length || 0) > n, before.hovers, { timeout: 3_000, polling: 5 });
      } catch {
        continue; // no hover answer within 3 s: counted as a miss
      }
      const sample = await page.evaluate((m) => {
        const move = window.__moves[window.__moves.length - 1];
        const hover = (window.__hoverEvents.length ? window.__hoverEvents : window.__hover).at(-1);
        return { latency: hover.t - move, id: hover.id };
      }, before.moves);
      latencies.push(sample.latency);
      if (String(sample.id) === String(p.id)) named++;
    }

    // Orbit for 2 s and count presented frames.
    await page.evaluate(() => {
      window.__frames = 0;
      const count = () => { window.__frames++; if (!window.__stopFrames) requestAnimationFrame(count); };
      requestAnimationFrame(count);
    });
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    const started = Date.now();
    let k = 0;
    while (Date.now() - started < 2000) {
      k++;
      await page.mouse.move(box.x + 20 + (k % 200) * 2, box.y + 20 + (k % 50));
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    const seconds = (Date.now() - started) / 1000;
    const presented = await page.evaluate(() => {
      window.__stopFrames = true;
      const el = document.querySelector('log-mesh');
      return el ? el.stats().fps : window.__frames;
    });
    const fps = kind === 'ours' ? presented : presented / seconds;
    const frameMs = kind === 'ours' ? await page.evaluate(() => document.querySelector('log-mesh').stats().frame_ms_p50) : NaN;
    let filterMs = [];
    if (kind === 'ours') {
      const { posts } = JSON.parse(readFileSync(join(benchDir, name, 'posts.min.json'), 'utf8'));
      const counts = new Map();
      for (const p of posts) for (const t of p.tags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
      const tag = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
      filterMs = await page.evaluate(async (t) => {
        const el = document.querySelector('log-mesh');
        const t0 = performance.now();
        el.tags();
        const tagsMs = performance.now() - t0;
        while (el.stats().search_indexed < el.stats().posts && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 5));
        const indexedMs = el.stats().search_indexed === el.stats().posts ? performance.now() - t0 : NaN;
        const times = [tagsMs, indexedMs];
        for (let i = 0; i < 10; i++) {
          for (const f of [{ tags: [t] }, { query: 'production notes' }, null]) {
            const t0 = performance.now();
            el.setFilter(f);
            times.push(performance.now() - t0);
          }
        }
        return times;
      }, tag);
    }
    const [tagsMs, indexedMs, filterFirst, ...filterRest] = filterMs;
    return { liveMs, fps, frameMs, pickP50: percentile(latencies, 50), pickP95: percentile(latencies, 95), named, asked: points.length, tagsMs, indexedMs, filterFirst, filterP50: percentile(filterRest, 50), filterMax: filterRest.length ? Math.max(...filterRest) : NaN };
  } finally {
    await context.close();
  }
}

const routes = {};
for (const f of files) {
  const name = basename(f, '.json');
  const html = { ours: ours(name), peer: peer(name) };
  for (const kind of ['ours', 'peer']) {
    routes[`/bench/${kind}-${name}.html`] = async (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html[kind]);
    };
  }
}
const server = await serve({ root: SITE, routes });
const rows = [];
try {
  for (const f of files) {
    const name = basename(f, '.json');
    const runners = (process.env.BENCH_RUNNERS || 'webgpu,webgl2,peer').split(',');
    for (const [label, kind, flagSet, runner] of [
      ['logmesh (WebGPU)', 'ours', 'webgpu', 'webgpu'],
      ['logmesh (WebGL2)', 'ours', 'webgl2', 'webgl2'],
      ['3d-force-graph 1.80 (WebGL)', 'peer', 'webgl2', 'peer'],
    ].filter((r) => runners.includes(r[3]))) {
      const r = await measure(kind, flagSet, name, server);
      rows.push({ site: name, runner: label, ...r });
      console.log(
        `${name.padEnd(10)} ${label.padEnd(28)} live ${r.liveMs.toFixed(0).padStart(6)} ms  fps ${r.fps.toFixed(1).padStart(5)}  ` +
          `frame p50 ${r.frameMs == null || Number.isNaN(r.frameMs) ? '    -' : r.frameMs.toFixed(0).padStart(5)} ms  ` +
          `pick p50 ${r.pickP50.toFixed(1).padStart(7)} ms  p95 ${r.pickP95.toFixed(1).padStart(7)} ms  named ${r.named}/${r.asked}` +
          (kind === 'ours' ? `  tags() ${r.tagsMs.toFixed(1)} ms, index made in ${r.indexedMs.toFixed(0)} ms  filter first ${r.filterFirst.toFixed(1)} ms  then p50 ${r.filterP50.toFixed(1)} ms  max ${r.filterMax.toFixed(1)} ms` : ''),
      );
    }
  }
} finally {
  await server.close();
}
