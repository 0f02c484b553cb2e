// The first-paint benchmark (scripts/bench-first-paint prepares its files): how soon a visitor sees
// the element's final picture over a mobile network, on an emulated phone and on a desktop, for
// <log-mesh> beside 3d-force-graph 1.80 on the same graphs, in one run.
//
// The setting, for every runner: headless Chromium with the WebGPU flag set; a local server that
// gzips text, JS, JSON, SVG and wasm (scripts/serve.mjs); CDP network emulation at 1.6 Mbit/s down,
// 0.75 Mbit/s up, 150 ms RTT, cache disabled. Our page's head holds only the element's module
// script and embed.html is pasted in the body as it is (no preload); the peer's page loads its
// script and the graph and lets it lay out, as a site using it would.
//
// The measure (the definition the phone issue gives): a CDP screencast from navigation on, each
// frame cropped to the element's box; background = the frame's top-left pixel; content = pixels
// whose R, G and B differ from it by more than 30 in sum; the *final picture time* is the first
// frame whose content share reaches 90% of the share at 12 s after navigation. Also reported:
// the first frame with any content (> 1%), the largest contentful paint, and the bytes received
// (transfer sizes) before the final picture time.
//
// Usage: node scripts/bench-first-paint.mjs BENCH_DIR NAME...   (NAME: a site prerendered into
// BENCH_DIR/NAME with its graph.json beside it). BENCH_DEVICES=phone,desktop and
// BENCH_RUNNERS=logmesh,peer pick what runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './serve.mjs';
import { launch } from '../tests/browser/lib/browser.mjs';
import { recordScreencast } from '../tests/browser/lib/screencast.mjs';
import { decodePng } from '../tests/browser/lib/images.mjs';

const [benchDir, ...names] = process.argv.slice(2);
if (!benchDir || names.length === 0) {
  console.error('usage: node scripts/bench-first-paint.mjs BENCH_DIR NAME...');
  process.exit(2);
}
const SETTLE_MS = 12_000;
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (0.75e6 / 8) };
const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
};

const ours = (name) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script type="module" src="/logmesh/element.js"></script></head>
<body style="margin:0">
${readFileSync(join(benchDir, name, 'embed.html'), 'utf8')}</body></html>`;

/** The peer in a box of the same aspect as our frame, laying the graph out itself. */
const peer = (name, aspect) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="/bench/peer/3d-force-graph.min.js"></script></head>
<body style="margin:0"><div id="graph" style="width:100%;aspect-ratio:${aspect};overflow:hidden"></div><script>
(async () => {
  const box = document.getElementById('graph');
  const graph = await (await fetch('/bench/${name}/graph.json')).json();
  const nodes = Array.from({ length: graph.nodes }, (_, i) => ({ id: i }));
  const links = graph.edges.map(([source, target]) => ({ source, target }));
  ForceGraph3D()(box).width(box.clientWidth).height(box.clientHeight).graphData({ nodes, links });
})();
</script></body></html>`;

/** The share of `crop` (CSS px box, in a screenshot of a page `cssWidth` wide) that is content. */
function contentShare(png, crop, cssWidth) {
  const img = decodePng(png);
  const scale = img.width / cssWidth;
  const bg = [img.data[0], img.data[1], img.data[2]];
  const x0 = Math.max(0, Math.round(crop.x * scale));
  const y0 = Math.max(0, Math.round(crop.y * scale));
  const x1 = Math.min(img.width, Math.round((crop.x + crop.width) * scale));
  const y1 = Math.min(img.height, Math.round((crop.y + crop.height) * scale));
  let content = 0;
  let total = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4;
      const d = Math.abs(img.data[i] - bg[0]) + Math.abs(img.data[i + 1] - bg[1]) + Math.abs(img.data[i + 2] - bg[2]);
      total++;
      if (d > 30) content++;
    }
  }
  return total ? content / total : 0;
}

async function measure(runner, device, name, server) {
  const context = await launch('webgpu', { ...DEVICES[device] });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__lcp = Math.max(window.__lcp, e.startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    const url = new URL(`/bench/${runner}-${name}.html`, server.url).href;
    let startedS = 0;
    const frames = await recordScreencast(
      page,
      async () => {
        startedS = Date.now() / 1000;
        await page.goto(url, { waitUntil: 'commit' });
        await page.waitForTimeout(SETTLE_MS + 500);
      },
      { format: 'png' },
    );
    const info = await page.evaluate(() => {
      const el = document.querySelector('log-mesh') ?? document.getElementById('graph');
      const r = el.getBoundingClientRect();
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = [nav, ...performance.getEntriesByType('resource')].map((e) => ({
        end: e.responseEnd,
        bytes: e.transferSize || e.encodedBodySize || 0,
      }));
      return {
        box: { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height },
        cssWidth: innerWidth,
        timeOrigin: performance.timeOrigin,
        lcp: window.__lcp,
        resources,
        state: el.state ?? null,
      };
    });
    // Screencast timestamps are wall-clock seconds; navigation starts at timeOrigin.
    const origin = info.timeOrigin / 1000 || startedS;
    if (process.env.BENCH_FRAMES) {
      for (const f of frames) {
        const ms = Math.round((f.metadata.timestamp - origin) * 1000);
        writeFileSync(join(process.env.BENCH_FRAMES, `${runner}-${device}-${name}-${ms}.png`), f.data);
      }
    }
    const samples = frames
      .map((f) => ({ ms: (f.metadata.timestamp - origin) * 1000, share: contentShare(f.data, info.box, info.cssWidth) }))
      .filter((s) => s.ms >= 0)
      .sort((a, b) => a.ms - b.ms);
    const settled = samples.filter((s) => s.ms <= SETTLE_MS).at(-1)?.share ?? 0;
    const finalMs = settled > 0 ? samples.find((s) => s.share >= 0.9 * settled)?.ms ?? NaN : NaN;
    const firstMs = samples.find((s) => s.share > 0.01)?.ms ?? NaN;
    const bytes = info.resources.filter((r) => r.end <= finalMs).reduce((sum, r) => sum + r.bytes, 0);
    if (process.env.BENCH_DEBUG) console.log(samples.map((s) => `${s.ms.toFixed(0)}:${(s.share * 100).toFixed(1)}%`).join(' '));
    return { finalMs, firstMs, lcpMs: info.lcp, bytes, settled, box: info.box, state: info.state };
  } finally {
    await context.close();
  }
}

const routes = {};
for (const name of names) {
  const embed = readFileSync(join(benchDir, name, 'embed.html'), 'utf8');
  const [, w, h] = /aspect-ratio:\s*([\d.]+)\s*\/\s*([\d.]+)/.exec(embed) ?? [null, '1200', '675'];
  const html = { logmesh: ours(name), peer: peer(name, `${w} / ${h}`) };
  for (const runner of Object.keys(html)) {
    routes[`/bench/${runner}-${name}.html`] = async (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html[runner]);
    };
  }
}
const server = await serve({ root: join(benchDir, '..'), routes, gzip: true });
const devices = (process.env.BENCH_DEVICES || 'phone,desktop').split(',');
const runners = (process.env.BENCH_RUNNERS || 'logmesh,peer').split(',');
const rows = [];
try {
  for (const name of names) {
    for (const device of devices) {
      for (const runner of runners) {
        const r = await measure(runner, device, name, server);
        const label = runner === 'peer' ? '3d-force-graph 1.80' : 'logmesh';
        rows.push({ site: name, device, runner: label, ...r });
        const fmt = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '-').padStart(7);
        console.log(
          `${name.padEnd(10)} ${device.padEnd(8)} ${label.padEnd(20)} final picture ${fmt(r.finalMs)}  ` +
            `first content ${fmt(r.firstMs)}  LCP ${fmt(r.lcpMs)}  bytes before final ${(r.bytes / 1024).toFixed(0).padStart(6)} kB  ` +
            `box ${Math.round(r.box.width)}x${Math.round(r.box.height)}${r.state ? `  state ${r.state}` : ''}`,
        );
      }
    }
  }
} finally {
  await server.close();
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(rows, null, 2)}\n`);
