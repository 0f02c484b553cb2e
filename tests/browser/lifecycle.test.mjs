// The element's lifecycle under races (docs/DESIGN.md, "The element"): removed at any moment of
// its loading, moved in the DOM while loading, data given before the module is loaded or while
// other data is still on its way, bad data that JSON cannot carry, a panic while other elements
// work, a layout file that is missing, and input far outside any sane range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listListeners } from './lib/screencast.mjs';
import { box, embed, events, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

/** A page of our own around `body` (the element script from the package copy in out/site). */
const page = (body) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/graph/logmesh.css">' +
  `<script type="module" src="/logmesh/element.js"></script></head><body>${body}</body></html>`;
const html = (body) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(page(body));
};
const STYLE = 'display:block;width:480px;aspect-ratio:16/9';
/** Two linked posts: small enough to lay out at once. */
const TWO = { version: 1, posts: [{ id: 'a', title: 'A', links: ['b'] }, { id: 'b', title: 'B' }] };
const THREE = { version: 1, posts: [{ id: 'x', title: 'X' }, { id: 'y', title: 'Y' }, { id: 'z', title: 'Z', links: ['x'] }] };

/**
 * Counts, from before any page script runs, every timer and animation-frame callback that runs
 * (window.__work.fired), and keeps every canvas a WebGL2 context was made for
 * (window.__work.canvases), so a test can tell whether anything still works or holds a context.
 */
async function watchWork(page) {
  await page.addInitScript(() => {
    const work = { fired: 0, canvases: [] };
    window.__work = work;
    for (const name of ['setTimeout', 'setInterval', 'requestAnimationFrame']) {
      const original = window[name];
      window[name] = function (callback, ...rest) {
        const counted = typeof callback === 'function' ? (...args) => (work.fired++, callback(...args)) : callback;
        return original.call(this, counted, ...rest);
      };
    }
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      const context = getContext.call(this, type, ...rest);
      if (context && type === 'webgl2' && !work.canvases.includes(this)) work.canvases.push(this);
      return context;
    };
  });
}

/** Callbacks of timers and animation frames that ran during `ms` of quiet. */
async function workDuring(p, ms) {
  await p.evaluate(() => (window.__work.fired = 0));
  await p.waitForTimeout(ms);
  return p.evaluate(() => window.__work.fired);
}

/** Listeners on window and document. */
async function globalListeners(p) {
  return (await listListeners(p)).filter((l) => l.target === 'window' || l.target === 'document').length;
}

/** How setData settled: 'ok' or the rejection's code. */
const settle = (promise) => promise.then(() => 'ok', (e) => e?.code ?? String(e));

test('extreme wheel and pinch deltas keep the camera finite, and picks still work [webgl2, touch]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const site = await open('webgl2', { contextOptions: { hasTouch: true } });
  const { page: p } = site;
  try {
    await p.goto(site.url('/log/'));
    assert.equal(await waitForState(p, ['live', 'error']), 'live');
    const b = await box(p);
    const id = await p.evaluate(async () => (await (await fetch('/graph/posts.min.json')).json()).posts.map((post) => post.id));
    const finite = () => p.evaluate((ids) => {
      const el = document.querySelector('log-mesh');
      return ids.every((i) => {
        const at = el.screenPosition(i);
        return at && [at.x, at.y, at.r].every(Number.isFinite);
      });
    }, id);
    const wheel = (deltaY) => p.evaluate(([dy, x, y]) => {
      const layer = document.querySelector('log-mesh .logmesh-live');
      layer.dispatchEvent(new WheelEvent('wheel', { deltaY: dy, clientX: x, clientY: y, bubbles: true, cancelable: true }));
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }, [deltaY, b.x + b.width / 3, b.y + b.height / 3]);
    for (const dy of [1e308, -1e308, -1e308, 1e308, Number.MAX_VALUE, -Number.MAX_VALUE]) {
      await wheel(dy);
      assert.ok(await finite(), `finite after a wheel of ${dy}`);
    }
    // A huge wheel zooms as far as the camera goes, no less, either way; after zooming out
    // fully, zooming in fully gives one finger to the graph (the view is zoomed in).
    await p.locator('log-mesh .logmesh-live').focus();
    await p.keyboard.press('Home');
    await p.waitForTimeout(200); // screenPosition answers for the frame on screen
    // The farthest visible post (the smallest disc): zooming in about it never passes it.
    const at = await p.evaluate((ids) => {
      const el = document.querySelector('log-mesh');
      let best = null;
      for (const i of ids) {
        const a = el.screenPosition(i);
        if (a?.visible && a.r >= 2 && (!best || a.r < best.r)) best = { id: i, ...a };
      }
      return best;
    }, id);
    const radius = () => p.evaluate((i) => document.querySelector('log-mesh').screenPosition(i).r, at.id);
    const touchAction = () => p.evaluate(() => document.querySelector('log-mesh .logmesh-live').style.touchAction);
    const wheelAt = (deltaY) => p.evaluate(([dy, x, y]) => {
      const layer = document.querySelector('log-mesh .logmesh-live');
      layer.dispatchEvent(new WheelEvent('wheel', { deltaY: dy, clientX: x, clientY: y, bubbles: true, cancelable: true }));
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }, [deltaY, b.x + at.x, b.y + at.y]);
    await wheelAt(-1e308);
    assert.ok((await radius()) > at.r * 2, `zoomed in: r ${at.r} -> ${await radius()}`);
    assert.equal(await touchAction(), 'none');
    await wheelAt(1e308);
    assert.ok((await radius()) < at.r, `zoomed out: r ${at.r} -> ${await radius()}`);
    assert.equal(await touchAction(), 'pan-y');
    await wheelAt(-1e308);
    assert.equal(await touchAction(), 'none', 'zoomed in again');
    // Pinches from 1 px apart to the width of the element and back, ten times.
    const cdp = await p.context().newCDPSession(p);
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    for (let i = 0; i < 10; i++) {
      const [from, to] = i % 2 ? [b.width / 2 - 2, 0.5] : [0.5, b.width / 2 - 2];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: cx - from, y: cy }, { x: cx + from, y: cy }] });
      for (let k = 1; k <= 4; k++) {
        const d = from + ((to - from) * k) / 4;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: cx - d, y: cy }, { x: cx + d, y: cy }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      assert.ok(await finite(), `finite after pinch ${i}`);
    }
    await cdp.detach();
    // Home brings the first frame's camera back; a click on a post still picks it.
    await p.locator('log-mesh .logmesh-live').focus();
    await p.keyboard.press('Home');
    await p.waitForTimeout(200);
    const post = await p.evaluate((ids) => {
      const el = document.querySelector('log-mesh');
      for (const i of ids) {
        const at = el.screenPosition(i);
        if (at?.visible && at.r >= 4) return { id: i, ...at };
      }
      return null;
    }, id);
    assert.ok(post);
    await p.evaluate(() => document.addEventListener('open', (e) => e.preventDefault()));
    await p.mouse.click(b.x + post.x, b.y + post.y);
    await p.waitForFunction((want) => window.__events.some((e) => e.type === 'select' && e.detail.id === want), post.id, { timeout: 10_000 });
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});
