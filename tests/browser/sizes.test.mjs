// Many elements and odd sizes (docs/DESIGN.md, "Downgrades" and "Size"): more elements on one page
// than it may hold 3D views, an element resized on every frame, and elements larger than the GPU
// draws, at start and once live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextCounts, wrapGetContext } from './lib/screencast.mjs';
import { events, hits, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

/** A page of our own around `body` (the element script from the package copy in out/site). */
const html = (body) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/graph/logmesh.css">' +
    `<script type="module" src="/logmesh/element.js"></script></head><body style="margin:0">${body}</body></html>`);
};
/** The demo site's data, for an element of our own. */
const DEMO = 'src="/graph/posts.min.json" layout="/graph/layout.json"';
/** docs/DESIGN.md: the most 3D views a page holds. */
const MAX_3D_VIEWS = 8;

/** Waits until every element on the page is in one of `states`. */
function allSettled(page, states = ['live', 'error'], timeout = 120_000) {
  return page.waitForFunction(
    (wanted) => [...document.querySelectorAll('log-mesh')].every((e) => wanted.includes(e.state)),
    states,
    { timeout },
  );
}

/**
 * For up to `count` posts of the demo that element `id` shows visible and at least 3 px across,
 * moves the mouse onto the centre and reads the `hover` event's id (null when none came within
 * `timeout` ms): [[expected, got]...].
 */
async function hoverChecks(page, id, count, timeout = 10_000) {
  const points = await page.evaluate(([elId, ids]) => {
    const el = document.getElementById(elId);
    const r = el.getBoundingClientRect();
    const out = [];
    for (const postId of ids) {
      const p = el.screenPosition(postId);
      const x = r.left + p?.x;
      const y = r.top + p?.y;
      const inside = p && p.x > 4 && p.y > 4 && p.x < r.width - 4 && p.y < r.height - 4;
      if (inside && p.visible && x > 4 && y > 4 && x < innerWidth - 4 && y < innerHeight - 4) {
        out.push({ id: postId, x, y });
      }
    }
    return out;
  }, [id, hits().posts.map((h) => h.id)]);
  const checks = [];
  for (const point of points.slice(0, count)) {
    const before = await page.evaluate(() => window.__events.length);
    await page.mouse.move(point.x, point.y);
    const got = await page.waitForFunction(([elId, n]) => {
      const hover = window.__events.slice(n).filter((e) => e.type === 'hover' && e.target === elId).pop();
      return hover ? hover.detail.id : false;
    }, [id, before], { timeout }).then((h) => h.jsonValue(), () => null);
    checks.push([point.id, got]);
  }
  return checks;
}

/**
 * Waits until element `id` has drawn its last frame: none presented in the last second, and the
 * frame on screen (what screenPosition and picks answer for) the same 400 ms apart. A canvas
 * resized waits for its next frame, which under load (frames paced to two on the GPU) can come
 * some frames later; until then the frame on screen is the one before.
 */
async function settled(page, id) {
  const post = hits().posts[0].id;
  const probe = () => page.evaluate(([elId, postId]) => {
    const el = document.getElementById(elId);
    return JSON.stringify({ fps: el.stats().fps, at: el.screenPosition(postId) });
  }, [id, post]);
  for (let i = 0; i < 100; i++) {
    const a = await probe();
    await page.waitForTimeout(400);
    const b = await probe();
    if (a === b && JSON.parse(b).fps === 0) return;
  }
  throw new Error(`${id}: frames still being drawn`);
}

/** The first canvas of the element's live layer: its pixel size. */
const canvasOf = (page, id) =>
  page.evaluate((elId) => {
    const canvas = document.getElementById(elId).querySelector('canvas');
    return canvas ? { width: canvas.width, height: canvas.height } : null;
  }, id);

for (const flagSet of ['webgl2', 'webgpu']) {
  test(`eighteen elements on one page (more than Chromium's 16 WebGL contexts) all end live: ${MAX_3D_VIEWS} in 3D, the others in 2D, saying why [${flagSet}]`, { skip: skipUnlessBuilt, timeout: 240_000 }, async () => {
    const ids = Array.from({ length: 18 }, (_, i) => `m${i}`);
    const body = ids.map((id) => `<log-mesh id="${id}" ${DEMO} style="display:inline-block;width:400px;aspect-ratio:16/9"></log-mesh>`).join('');
    const site = await open(flagSet, { serverOptions: { routes: { '/many/': html(body) } }, beforeGoto: wrapGetContext });
    const p = site.page;
    try {
      await p.goto(site.url('/many/'));
      await allSettled(p);
      const states = await p.evaluate(() => [...document.querySelectorAll('log-mesh')].map((e) => ({ id: e.id, state: e.state, ...e.stats() })));
      assert.deepEqual(states.map((s) => s.state), ids.map(() => 'live'));
      const in3d = states.filter((s) => s.mode === '3d');
      const in2d = states.filter((s) => s.mode === '2d');
      assert.equal(in3d.length, MAX_3D_VIEWS, JSON.stringify(states.map((s) => [s.id, s.mode, s.reason])));
      assert.ok(in2d.every((s) => s.reason === 'too-many-views'), JSON.stringify(in2d.map((s) => s.reason)));
      // Each 2D element said so once; nothing lost a context, nothing failed.
      const fallbacks = await events(p, 'fallback');
      for (const s of in2d) {
        const mine = fallbacks.filter((e) => e.target === s.id && e.detail.reason === 'too-many-views');
        assert.deepEqual(mine.map((e) => e.detail), [{ from: flagSet, to: 'canvas2d', reason: 'too-many-views' }], s.id);
      }
      assert.deepEqual(fallbacks.filter((e) => e.detail.reason === 'context-lost'), []);
      assert.deepEqual(await events(p, 'error'), []);
      if (flagSet === 'webgl2') assert.ok((await contextCounts(p)).live <= MAX_3D_VIEWS + in2d.length);
      // Each kind answers the pointer: the last 3D element and a 2D one.
      for (const id of [in3d[in3d.length - 1].id, in2d[0].id]) {
        const checks = await hoverChecks(p, id, 3);
        assert.ok(checks.length >= 2, `${id}: posts to hover`);
        for (const [expected, got] of checks) assert.equal(got, expected, `${id}: hover over ${expected}`);
      }
      // A 3D element that leaves frees its place: a new element then starts in 3D.
      await p.evaluate((id) => {
        document.getElementById(id).remove();
        document.body.insertAdjacentHTML('beforeend', '<log-mesh id="late" src="/graph/posts.min.json" layout="/graph/layout.json" style="display:inline-block;width:400px;aspect-ratio:16/9"></log-mesh>');
      }, in3d[0].id);
      await waitForState(p, ['live', 'error'], { selector: '#late' });
      assert.equal(await p.evaluate(() => document.getElementById('late').stats().mode), '3d');
      assert.deepEqual(p.errors, []);
    } finally {
      await site.close();
    }
  });
}

test('an element resized on every frame ends with a canvas of its size and picks that match [webgpu]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const body = `<log-mesh id="r" ${DEMO} style="display:block;width:600px;aspect-ratio:16/9"></log-mesh>`;
  const site = await open('webgpu', { serverOptions: { routes: { '/resize/': html(body) } } });
  const p = site.page;
  try {
    await p.goto(site.url('/resize/'));
    assert.equal(await waitForState(p, ['live', 'error'], { selector: '#r' }), 'live');
    assert.equal(await p.evaluate(() => document.getElementById('r').stats().mode), '3d');
    // 90 frames of a width that changes every frame (300 to 1000 px), ending at 720.
    const frames = await p.evaluate(() => new Promise((resolve) => {
      const el = document.getElementById('r');
      let frame = 0;
      const step = () => {
        frame++;
        el.style.width = `${300 + ((frame * 37) % 700)}px`;
        if (frame < 90) requestAnimationFrame(step);
        else {
          el.style.width = '720px';
          resolve(frame);
        }
      };
      requestAnimationFrame(step);
    }));
    assert.equal(frames, 90);
    await p.waitForFunction(() => {
      const canvas = document.getElementById('r').querySelector('canvas');
      return canvas && canvas.width === Math.round(720 * devicePixelRatio) && canvas.height === Math.round(405 * devicePixelRatio);
    }, null, { timeout: 10_000 });
    const box = await p.evaluate(() => {
      const r = document.getElementById('r').querySelector('canvas').getBoundingClientRect();
      return { width: r.width, height: r.height };
    });
    assert.deepEqual(box, { width: 720, height: 405 });
    assert.equal(await p.evaluate(() => document.getElementById('r').state), 'live');
    await settled(p, 'r');
    // Within 3 s each: before frames were paced (at most two in flight on the GPU), the frames
    // queued while resizing held the first pick back for 6 s on SwiftShader.
    const checks = await hoverChecks(p, 'r', 6, 3000);
    assert.ok(checks.length >= 4, 'posts to hover');
    for (const [expected, got] of checks) assert.equal(got, expected, `hover over ${expected}`);
    assert.deepEqual(await events(p, 'error'), []);
    assert.deepEqual(p.errors, []);
  } finally {
    await site.close();
  }
});

test('an element larger than the GPU draws falls back once, saying so; under it a lower dpr keeps 3D [webgpu]', { skip: skipUnlessBuilt, timeout: 180_000 }, async () => {
  // The widths are set once the GPU's limit is known (the adapter's texture size, which the
  // device is given).
  const body = '<log-mesh id="big" style="display:block;height:200px;max-width:none"></log-mesh>' +
    '<log-mesh id="dense" style="display:block;height:700px;max-width:none"></log-mesh>' +
    `<log-mesh id="grows" ${DEMO} style="display:block;width:600px;max-width:none;aspect-ratio:16/9"></log-mesh>`;
  const site = await open('webgpu', {
    serverOptions: { routes: { '/big/': html(body) } },
    contextOptions: { deviceScaleFactor: 2 },
  });
  const p = site.page;
  try {
    await p.goto(site.url('/big/'));
    const max = await p.evaluate(async () => (await navigator.gpu.requestAdapter()).limits.maxTextureDimension2D);
    assert.ok(max >= 2048, `texture limit ${max}`);
    // Wider than the limit even at dpr 1: 2D. Over it only at dpr 2: 3D at a lower dpr.
    await p.evaluate(([wide, half]) => {
      for (const [id, width] of [['big', wide], ['dense', half]]) {
        const el = document.getElementById(id);
        el.style.width = `${width}px`;
        el.setAttribute('src', '/graph/posts.min.json');
        el.setAttribute('layout', '/graph/layout.json');
        // Started now, with its size and data set.
        el.remove();
        document.body.prepend(el);
      }
    }, [max + 100, Math.round(max * 0.75)]);
    await allSettled(p);
    const big = await p.evaluate(() => ({ state: document.getElementById('big').state, ...document.getElementById('big').stats() }));
    assert.equal(big.state, 'live');
    assert.equal(big.mode, '2d');
    assert.equal(big.reason, 'too-large');
    const bigFallbacks = (await events(p, 'fallback')).filter((e) => e.target === 'big');
    assert.deepEqual(bigFallbacks.map((e) => e.detail), [{ from: 'webgpu', to: 'canvas2d', reason: 'too-large' }]);
    // The 2D canvas has the element's size at a dpr that fits a 2D canvas.
    const bigCanvas = await canvasOf(p, 'big');
    assert.ok(bigCanvas.width >= max && bigCanvas.width <= 16_384, JSON.stringify(bigCanvas));

    const dense = await p.evaluate(() => ({ state: document.getElementById('dense').state, ...document.getElementById('dense').stats() }));
    assert.equal(dense.state, 'live');
    assert.equal(dense.mode, '3d');
    assert.equal(dense.reason, null);
    const denseCanvas = await canvasOf(p, 'dense');
    assert.ok(denseCanvas.width <= max && denseCanvas.width >= max - 1, `${JSON.stringify(denseCanvas)} within ${max}`);
    // Picks of a frame drawn at the lower dpr still name what is under the pointer.
    await p.evaluate(() => document.getElementById('dense').scrollIntoView({ block: 'center', inline: 'center' }));
    const denseChecks = await hoverChecks(p, 'dense', 4);
    assert.ok(denseChecks.length >= 2, 'posts to hover');
    for (const [expected, got] of denseChecks) assert.equal(got, expected, `hover over ${expected}`);

    // A live 3D element that grows past the limit goes to 2D once, and stays there.
    await p.evaluate(() => document.getElementById('grows').scrollIntoView({ block: 'center', inline: 'start' }));
    assert.equal(await p.evaluate(() => document.getElementById('grows').stats().mode), '3d');
    await p.evaluate((width) => (document.getElementById('grows').style.width = `${width}px`), max + 100);
    await p.waitForFunction(() => document.getElementById('grows').stats().mode === '2d', null, { timeout: 20_000 });
    await p.evaluate(() => (document.getElementById('grows').style.width = '600px'));
    await p.waitForTimeout(500);
    await p.evaluate(() => (document.getElementById('grows').style.width = `${Number.parseInt(document.getElementById('grows').style.width, 10) + 10000}px`));
    await p.waitForTimeout(500);
    const grows = await p.evaluate(() => ({ state: document.getElementById('grows').state, ...document.getElementById('grows').stats() }));
    assert.deepEqual([grows.state, grows.mode, grows.reason], ['live', '2d', 'too-large']);
    const growsFallbacks = (await events(p, 'fallback')).filter((e) => e.target === 'grows');
    assert.deepEqual(growsFallbacks.map((e) => e.detail), [{ from: 'webgpu', to: 'canvas2d', reason: 'too-large' }]);
    assert.deepEqual(await events(p, 'error'), []);
    assert.deepEqual(p.errors, []);
  } finally {
    await site.close();
  }
});
