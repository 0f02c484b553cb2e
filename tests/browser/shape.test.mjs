// The element's shape comes from its picture (docs/DESIGN.md, "embed.html and logmesh.css"): on a
// phone the 2D sources' width/height (the phone frame, square by default) give it its box from the
// first layout, before the frame's bytes arrive; the box does not change at the swap to the live
// view (layout shift 0), whose first frame is the static one, scaled; the desktop keeps the desktop
// frame's aspect; an older embed.html (inline aspect-ratio, every source at the desktop size)
// keeps its old aspect; a frame that fails to load keeps the shape; and a phone whose browser
// reports a landscape screen width (Android) gets 3D and the desktop frame.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GRAPH, box, embed, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const page = (body) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>logmesh test</title>' +
  `<script type="module" src="/logmesh/element.js"></script></head><body><main>${body}` +
  '<p>Text after the graph, which a change of the element\'s box would move (a layout shift).</p></main></body></html>';
const html = (body) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(page(body));
};
/** embed.html as prerender wrote it before the phone frame: an inline aspect-ratio, every source W x H. */
const oldEmbed = () =>
  embed()
    .replace('<log-mesh ', '<log-mesh style="aspect-ratio: 1200 / 675" ')
    .replace(/ width="[0-9.]+" height="[0-9.]+"/g, ' width="1200" height="675"');
const hitsOf = (mode) => JSON.parse(readFileSync(join(GRAPH, `hits-${mode}.json`), 'utf8'));

/** Sums layout shifts (the CLS entries) into window.__shift from the start of the page. */
async function recordShifts(p) {
  await p.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/**
 * Loads `path` with every frame request held, measures the element's box while no frame byte has
 * arrived, releases, waits for live and measures again. Returns both boxes, the mode and the shift.
 */
async function boxesAcrossTheSwap(site, path) {
  const { page: p, server } = site;
  await recordShifts(p);
  await p.goto(site.url(path), { waitUntil: 'domcontentloaded' });
  await p.waitForFunction(() => {
    const el = document.querySelector('log-mesh');
    return el && getComputedStyle(el).display === 'block' && el.getBoundingClientRect().width > 0;
  });
  const first = await p.evaluate(() => {
    const img = document.querySelector('log-mesh img');
    return { complete: img.complete, natural: img.naturalWidth, src: img.currentSrc };
  });
  assert.equal(first.natural, 0, `the frame is held: ${JSON.stringify(first)}`);
  const before = await box(p);
  // Painted as it is, so that any later change of the box would count as a layout shift.
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
  server.release();
  assert.equal(await waitForState(p, ['live', 'error']), 'live');
  await p.waitForFunction(() => document.querySelector('log-mesh img').complete);
  // Two frames for any late layout to show, and time for the observer to be told of shifts.
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 300)))));
  const after = await box(p);
  const state = await p.evaluate(() => ({
    shift: window.__shift,
    stats: document.querySelector('log-mesh').stats(),
    src: document.querySelector('log-mesh img').currentSrc,
  }));
  console.log(`# ${path}: before ${before.width.toFixed(1)} x ${before.height.toFixed(1)}, after ${after.width.toFixed(1)} x ${after.height.toFixed(1)}, ${state.stats.mode}, layout shift ${state.shift}`);
  return { before, after, ...state };
}

const same = (a, b) => Math.abs(a.width - b.width) < 0.5 && Math.abs(a.height - b.height) < 0.5 && Math.abs(a.y - b.y) < 0.5;

test('on a phone the element is the phone frame from its first layout and keeps its box at the swap; the first live 2D frame is the static one [webgl2, 390x844 touch]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  const site = await open('webgl2', { contextOptions: PHONE, serverOptions: { hold: /frame-/ } });
  try {
    const hits = hitsOf('2d');
    const r = await boxesAcrossTheSwap(site, '/log/');
    assert.match(r.src, /frame-2d-(dark|light)\.webp$/);
    assert.equal(r.stats.mode, '2d');
    // Square or taller, and exactly the phone frame's aspect, before any frame byte arrived.
    assert.ok(r.before.height >= r.before.width - 0.5, JSON.stringify(r.before));
    assert.ok(Math.abs(r.before.height - (r.before.width * hits.height) / hits.width) < 0.5, JSON.stringify(r.before));
    assert.ok(same(r.before, r.after), `${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`);
    assert.equal(r.shift, 0);
    // The live view fits the element's (phone-shaped) box as prerender fitted the phone frame: every
    // visible post of hits-2d.json is where the static frame drew it, scaled.
    const p = site.page;
    const scale = r.after.width / hits.width;
    const live = await p.evaluate((ids) => ids.map((id) => document.querySelector('log-mesh').screenPosition(id)), hits.posts.map((h) => h.id));
    let compared = 0;
    hits.posts.forEach((h, i) => {
      if (!h.visible) return;
      const at = live[i];
      assert.ok(Math.abs(at.x - h.x * scale) < 1 && Math.abs(at.y - h.y * scale) < 1, `${h.id}: live ${at.x},${at.y} vs static ${h.x * scale},${h.y * scale}`);
      compared++;
    });
    assert.ok(compared >= 100, `compared ${compared}`);
    // The static 2D overlay is placed in % of the phone frame: its targets sit on hits-2d.json's posts.
    const targets = await p.evaluate(() => {
      const el = document.querySelector('log-mesh');
      const overlay = el.querySelector('.logmesh-overlay[data-mode="2d"]');
      const origin = el.getBoundingClientRect();
      return [...overlay.querySelectorAll('a[data-id] circle')].slice(0, 200).map((c) => {
        const rc = c.getBoundingClientRect();
        return { id: c.parentElement.dataset.id, x: rc.x + rc.width / 2 - origin.x, y: rc.y + rc.height / 2 - origin.y };
      });
    });
    const byId = new Map(hits.posts.map((h) => [h.id, h]));
    assert.ok(targets.length >= 100, `${targets.length} targets`);
    for (const t of targets) {
      const h = byId.get(t.id);
      assert.ok(Math.abs(t.x - h.x * scale) < 0.75 && Math.abs(t.y - h.y * scale) < 0.75, `${t.id}: target ${t.x},${t.y} vs ${h.x * scale},${h.y * scale}`);
    }
    assert.deepEqual(p.errors, []);
  } finally {
    await site.close();
  }
});

test('on the desktop the element keeps the desktop frame\'s aspect from its first layout, across the swap [webgl2]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  const site = await open('webgl2', { serverOptions: { hold: /frame-/ } });
  try {
    const hits = hitsOf('3d');
    const r = await boxesAcrossTheSwap(site, '/log/');
    assert.match(r.src, /frame-3d-(dark|light)\.webp$/);
    assert.equal(r.stats.mode, '3d');
    assert.ok(Math.abs(r.before.height - (r.before.width * hits.height) / hits.width) < 0.5, JSON.stringify(r.before));
    assert.ok(same(r.before, r.after), `${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`);
    assert.equal(r.shift, 0);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('an older embed.html (inline aspect-ratio, every source at the desktop size) keeps its aspect on a phone and on the desktop [webgl2]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  for (const contextOptions of [PHONE, {}]) {
    const routes = { '/old/': html(`<link rel="stylesheet" href="/graph/logmesh.css">${oldEmbed()}`) };
    const site = await open('webgl2', { contextOptions, serverOptions: { hold: /frame-/, routes } });
    try {
      const r = await boxesAcrossTheSwap(site, '/old/');
      assert.equal(r.stats.mode, contextOptions === PHONE ? '2d' : '3d');
      assert.ok(Math.abs(r.before.height - (r.before.width * 675) / 1200) < 0.5, JSON.stringify(r.before));
      assert.ok(same(r.before, r.after), `${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`);
      assert.equal(r.shift, 0);
      assert.deepEqual(site.page.errors, []);
    } finally {
      await site.close();
    }
  }
});

test('a frame that fails to load leaves the element its shape, and the live view takes that box [webgl2, 390x844 touch]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  const broken = embed().replaceAll('/graph/frame-', '/missing/frame-');
  const routes = { '/broken/': html(`<link rel="stylesheet" href="/graph/logmesh.css">${broken}`) };
  const site = await open('webgl2', { contextOptions: PHONE, serverOptions: { routes } });
  const { page: p } = site;
  try {
    await recordShifts(p);
    await p.goto(site.url('/broken/'));
    await p.waitForFunction(() => {
      const img = document.querySelector('log-mesh img');
      return img.complete && img.naturalWidth === 0;
    });
    const before = await box(p);
    assert.equal(await waitForState(p, ['live', 'error']), 'live');
    const after = await box(p);
    console.log(`# broken frame: ${before.width.toFixed(1)} x ${before.height.toFixed(1)} -> ${after.width.toFixed(1)} x ${after.height.toFixed(1)}`);
    assert.ok(Math.abs(before.height - before.width) < 0.5, JSON.stringify(before));
    assert.ok(same(before, after), `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  } finally {
    await site.close();
  }
});

test('a phone loaded in landscape with a landscape screen width (as Android reports it) gets 3D and the desktop frame [webgl2, 844x390 touch]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  const landscape = { ...PHONE, viewport: { width: 844, height: 390 }, screen: { width: 844, height: 390 } };
  const site = await open('webgl2', { contextOptions: landscape, serverOptions: { hold: /frame-/ } });
  try {
    const r = await boxesAcrossTheSwap(site, '/log/');
    assert.match(r.src, /frame-3d-(dark|light)\.webp$/);
    assert.equal(r.stats.mode, '3d');
    assert.ok(Math.abs(r.before.height - (r.before.width * 675) / 1200) < 0.5, JSON.stringify(r.before));
    assert.ok(same(r.before, r.after), `${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)}`);
    assert.equal(r.shift, 0);
  } finally {
    await site.close();
  }
});
