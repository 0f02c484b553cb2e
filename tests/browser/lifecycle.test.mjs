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

test('removed 0, 50, 100, 200 or 400 ms after insertion (20 times each): nothing shown, held or listening [webgl2]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const routes = { '/remove/': html('<main id="host"></main>') };
  const site = await open('webgl2', { serverOptions: { routes }, beforeGoto: watchWork });
  const { page: p } = site;
  try {
    await p.goto(site.url('/remove/'));
    await p.waitForFunction(() => customElements.get('log-mesh'));
    const baseline = await globalListeners(p);
    const elements = await p.evaluate(async (style) => {
      window.__removed = [];
      let n = 0;
      for (const delay of [0, 50, 100, 200, 400]) {
        for (let i = 0; i < 20; i++) {
          const el = document.createElement('log-mesh');
          el.id = `e${n++}`;
          el.setAttribute('src', '/graph/posts.min.json');
          el.setAttribute('layout', '/graph/layout.json');
          el.style.cssText = style;
          el.innerHTML = '<div class="logmesh-frame">static</div>';
          document.querySelector('#host').append(el);
          await new Promise((resolve) => setTimeout(resolve, delay + (i % 5) * 7));
          el.remove();
          window.__removed.push(el);
        }
      }
      return n;
    }, STYLE);
    assert.equal(elements, 100);
    // Live elements removed while new data loads: the data never shows, its promise rejects
    // aborted (or resolved, when it was drawn before the removal).
    const updates = await p.evaluate(async ([style, data]) => {
      const outcomes = [];
      for (let i = 0; i < 10; i++) {
        const el = document.createElement('log-mesh');
        el.setAttribute('src', '/graph/posts.min.json');
        el.setAttribute('layout', '/graph/layout.json');
        el.style.cssText = style;
        el.innerHTML = '<div class="logmesh-frame">static</div>';
        document.querySelector('#host').append(el);
        await new Promise((resolve) => el.addEventListener('ready', resolve, { once: true }));
        const outcome = el.setData(data).then(() => 'ok', (e) => e.code);
        await new Promise((resolve) => setTimeout(resolve, i * 5));
        el.remove();
        window.__removed.push(el);
        outcomes.push(await outcome);
      }
      return outcomes;
    }, [STYLE, TWO]);
    // Whatever was in flight has had time to finish (a first frame takes well under this).
    await p.waitForTimeout(2000);
    const left = await p.evaluate(() =>
      window.__removed
        .map((el) => ({
          id: el.id,
          state: el.state,
          live: el.querySelector('.logmesh-live, canvas') !== null,
          hidden: getComputedStyle(el.querySelector('.logmesh-frame')).visibility === 'hidden' || el.querySelector('.logmesh-frame').style.visibility === 'hidden',
        }))
        .filter((e) => e.state !== 'static' || e.live || e.hidden),
    );
    assert.deepEqual(left, [], 'every removed element is back to its static frame');
    assert.ok(updates.every((o) => o === 'aborted' || o === 'ok') && updates.includes('aborted'), JSON.stringify(updates));
    const held = await p.evaluate(() => window.__work.canvases.filter((c) => c.isConnected).length);
    assert.equal(held, 0, 'no canvas with a WebGL2 context is left on the page');
    assert.equal(await workDuring(p, 500), 0, 'no timer or animation frame runs');
    assert.equal(await globalListeners(p), baseline, 'no listener left on window or document');
    assert.equal(await p.evaluate(() => document.querySelectorAll('log-mesh').length), 0);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('moved in the DOM while loading: one ready, then hover, drag and keys work [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const routes = { '/move/': html(`<div id="one">${embed()}</div><div id="two"></div>`) };
  // The data waits until the element has moved, so the move surely falls in its loading.
  const site = await open('webgl2', { serverOptions: { routes, hold: /posts\.min\.json$/ } });
  const { page: p } = site;
  try {
    await p.goto(site.url('/move/'));
    await waitForState(p, ['loading']);
    await p.evaluate(() => document.querySelector('#two').append(document.querySelector('log-mesh')));
    site.server.release();
    assert.equal(await waitForState(p, ['live', 'error']), 'live');
    await p.waitForTimeout(1000);
    assert.equal((await events(p, 'ready')).length, 1, 'exactly one ready');
    const b = await box(p);
    // A visible post, large enough to hover.
    const post = await p.evaluate(async () => {
      const el = document.querySelector('log-mesh');
      const posts = (await (await fetch('/graph/posts.min.json')).json()).posts;
      for (const { id } of posts) {
        const at = el.screenPosition(id);
        if (at?.visible && at.r >= 4) return { id, ...at };
      }
      return null;
    });
    assert.ok(post, 'a visible post');
    await p.mouse.move(b.x + post.x, b.y + post.y);
    await p.waitForFunction((want) => window.__events.some((e) => e.type === 'hover' && e.detail.id === want), post.id, { timeout: 10_000 });
    // Drag: the post moves on screen.
    await p.mouse.move(b.x + 20, b.y + 20);
    await p.mouse.down();
    await p.mouse.move(b.x + 160, b.y + 60, { steps: 8 });
    await p.mouse.up();
    await p.waitForFunction(
      (was) => {
        const at = document.querySelector('log-mesh').screenPosition(was.id);
        return at && Math.hypot(at.x - was.x, at.y - was.y) > 5;
      },
      post,
      { timeout: 10_000 },
    );
    // Keys: an arrow selects a post.
    await p.locator('log-mesh .logmesh-live').focus();
    await p.keyboard.press('ArrowRight');
    await p.waitForFunction(() => window.__events.some((e) => e.type === 'select' && e.detail.id), null, { timeout: 10_000 });

    // Moves at every stage of loading (the module is loaded by now): each element ends live with
    // one ready and answers a key.
    const moved = await p.evaluate(async (style) => {
      const outcomes = [];
      for (const delay of [0, 20, 40, 60, 80, 100, 150, 200, 250, 300, 400, 500]) {
        const el = document.createElement('log-mesh');
        el.setAttribute('src', '/graph/posts.min.json');
        el.setAttribute('layout', '/graph/layout.json');
        el.style.cssText = style;
        let ready = 0;
        el.addEventListener('ready', () => ready++);
        document.querySelector('#one').append(el);
        await new Promise((resolve) => setTimeout(resolve, delay));
        const before = el.state;
        document.querySelector('#two').append(el);
        const until = performance.now() + 10_000;
        while (el.state !== 'live' && el.state !== 'error' && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
        await new Promise((resolve) => setTimeout(resolve, 300));
        let selected = null;
        el.addEventListener('select', (e) => (selected = e.detail.id));
        el.querySelector('.logmesh-live')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        outcomes.push({ delay, before, state: el.state, ready, key: selected !== null });
        el.remove();
      }
      return outcomes;
    }, STYLE);
    // One ready per start that got live: a move after `live` starts again.
    const wrong = moved.filter((m) => m.state !== 'live' || m.ready !== (m.before === 'live' ? 2 : 1) || !m.key);
    assert.deepEqual(wrong, [], JSON.stringify(moved));
    assert.ok(moved.filter((m) => m.before === 'loading').length >= 3, JSON.stringify(moved));
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('setData on an element without src draws; overlapping setData: the last wins, the older rejects aborted [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const routes = { '/nosrc/': html(`<log-mesh id="a" style="${STYLE}"></log-mesh>`) };
  const site = await open('webgl2', { serverOptions: { routes } });
  const { page: p } = site;
  try {
    await p.goto(site.url('/nosrc/'));
    await p.waitForFunction(() => customElements.get('log-mesh'));
    const first = await p.evaluate(async (data) => {
      const el = document.querySelector('log-mesh');
      const outcome = await el.setData(data).then(() => 'ok', (e) => `${e.code}: ${e.message}`);
      return { outcome, state: el.state, at: el.screenPosition('a'), posts: el.stats().posts };
    }, TWO);
    assert.equal(first.outcome, 'ok');
    assert.equal(first.state, 'live');
    assert.equal(first.posts, 2);
    assert.equal(first.at?.visible, true, JSON.stringify(first.at));

    const overlap = await p.evaluate(async ([a, b]) => {
      const el = document.querySelector('log-mesh');
      const pa = el.setData(a).then(() => 'ok', (e) => e.code);
      const pb = el.setData(b).then(() => 'ok', (e) => e.code);
      const outcome = await Promise.all([pa, pb]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { outcome, posts: el.stats().posts, x: el.screenPosition('x') !== null, a: el.screenPosition('a') };
    }, [TWO, THREE]);
    assert.deepEqual(overlap, { outcome: ['aborted', 'ok'], posts: 3, x: true, a: null });
    const errors = await events(p, 'error');
    assert.deepEqual(errors, [], 'aborted fires no error event');
    assert.deepEqual((await events(p, 'ready')).length, 2);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('setData during the initial load or its browser layout supersedes it [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const routes = {
    '/early/': html(`<log-mesh id="a" src="/graph/posts.min.json" layout="/graph/layout.json" style="${STYLE}"></log-mesh>` +
      `<log-mesh id="b" src="/graph/posts.min.json" style="${STYLE}"></log-mesh>`),
  };
  const site = await open('webgl2', { serverOptions: { routes } });
  const { page: p } = site;
  try {
    await p.goto(site.url('/early/'));
    await p.waitForFunction(() => customElements.get('log-mesh'));
    // a: at once, before the data arrived; b: while the browser lays out its 1,000 posts.
    const a = p.evaluate((data) => document.querySelector('#a').setData(data).then(() => 'ok', (e) => e.code), TWO);
    await waitForState(p, ['loading'], { selector: '#b' });
    const b = p.evaluate((data) => document.querySelector('#b').setData(data).then(() => 'ok', (e) => e.code), THREE);
    assert.deepEqual(await Promise.all([a, b]), ['ok', 'ok']);
    await p.waitForTimeout(1500);
    const shown = await p.evaluate(() => ['#a', '#b'].map((s) => document.querySelector(s)).map((el) => [el.state, el.stats().posts]));
    assert.deepEqual(shown, [['live', 2], ['live', 3]], 'the given data stays');
    const ready = await events(p, 'ready');
    assert.deepEqual(ready.map((e) => e.target).sort(), ['a', 'b'], 'one ready each');
    assert.deepEqual(await events(p, 'error'), []);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('cyclic, BigInt and non-finite data reject with data, naming the place [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const site = await open('webgl2');
  const { page: p } = site;
  try {
    await p.goto(site.url('/log/'));
    assert.equal(await waitForState(p, ['live', 'error']), 'live');
    const outcomes = await p.evaluate(async () => {
      const el = document.querySelector('log-mesh');
      const cyclic = { version: 1, posts: [{ id: 'a', title: 'A' }] };
      cyclic.posts[0].self = cyclic;
      const big = { version: 1, posts: [{ id: 'a', title: 'A', weight: 10n }] };
      const infinite = { version: 1, posts: [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }, { id: 'c', title: 'C' }, { id: 'd', title: 'D', weight: Infinity }] };
      const run = (data) => el.setData(data).then(() => 'ok', (e) => `${e.code}: ${e.message}`);
      return { cyclic: await run(cyclic), big: await run(big), infinite: await run(infinite), posts: el.stats().posts, state: el.state };
    });
    assert.match(outcomes.cyclic, /^data: /);
    assert.match(outcomes.big, /^data: .*posts\[0\]\.weight/);
    assert.match(outcomes.infinite, /^data: .*posts\[3\]\.weight/);
    assert.equal(outcomes.posts, 1000, 'the old graph stays');
    assert.equal(outcomes.state, 'live');
    assert.deepEqual((await events(p, 'error')).map((e) => e.detail.code), ['data', 'data', 'data']);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('a panic stops every element: static frames, state error, nothing runs, setData rejects panic [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const fragment = embed();
  const routes = {
    // b has no layout file: it is laying out in the browser when a panics.
    '/panic/': html(fragment.replace('<log-mesh ', '<log-mesh id="a" debug ') +
      fragment.replace('<log-mesh ', '<log-mesh id="b" ').replace(/ layout="[^"]*"/, '')),
  };
  const site = await open('webgl2', { serverOptions: { routes }, beforeGoto: watchWork });
  const { page: p } = site;
  try {
    await p.goto(site.url('/panic/'));
    assert.equal(await waitForState(p, ['live', 'error'], { selector: '#a' }), 'live');
    const bState = await p.evaluate(() => document.querySelector('#b').state);
    await p.evaluate(() => document.querySelector('#a').debugPanic());
    await waitForState(p, ['error'], { selector: '#b' });
    await p.waitForTimeout(300);
    const fired = await workDuring(p, 1000);
    assert.equal(fired, 0, `no timer or animation frame runs after the panic (b was ${bState} at the panic)`);
    const after = await p.evaluate(async (data) => {
      const els = [...document.querySelectorAll('log-mesh')];
      const outcomes = [];
      for (const el of els) outcomes.push(await el.setData(data).then(() => 'ok', (e) => e.code));
      return els.map((el, i) => ({
        state: el.state,
        picture: getComputedStyle(el.querySelector('.logmesh-frame')).visibility,
        live: el.querySelector('.logmesh-live') !== null,
        setData: outcomes[i],
      }));
    }, TWO);
    assert.deepEqual(after, [
      { state: 'error', picture: 'visible', live: false, setData: 'panic' },
      { state: 'error', picture: 'visible', live: false, setData: 'panic' },
    ], `b was ${bState} at the panic`);
    const errors = await events(p, 'error');
    assert.deepEqual(errors.map((e) => [e.target, e.detail.code]).sort(), [['a', 'panic'], ['b', 'panic']]);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('a layout file that fails to load: error fetch naming it, laid out afresh, live [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const routes = { '/nolayout/': html(`<log-mesh src="/graph/posts.min.json" layout="/missing/layout.json" style="${STYLE}"></log-mesh>`) };
  const site = await open('webgl2', { serverOptions: { routes } });
  const { page: p } = site;
  try {
    await p.goto(site.url('/nolayout/'));
    assert.equal(await waitForState(p, ['live', 'error']), 'live');
    const errors = await events(p, 'error');
    assert.deepEqual(errors.map((e) => e.detail.code), ['fetch']);
    assert.match(errors[0].detail.message, /\/missing\/layout\.json/);
    assert.match(await p.evaluate(() => document.querySelector('log-mesh').stats().positions_hash), /^[0-9a-f]{16}$/);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

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

test('the archive attribute sets where the list\'s archive link points [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const withArchive = embed().replace('<log-mesh ', '<log-mesh archive="/all/posts" ');
  const routes = {
    '/archive/': html(withArchive),
    // An embed.html whose list already ends with an archive link of its own.
    '/archive2/': html(withArchive.replace('</ul>', '<li class="logmesh-archive"><a href="/old/archive">All 1000 posts</a></li></ul>')),
  };
  const site = await open('webgl2', { serverOptions: { routes } });
  const { page: p } = site;
  try {
    for (const path of ['/archive/', '/archive2/']) {
      await p.goto(site.url(path));
      assert.equal(await waitForState(p, ['live', 'error']), 'live');
      const links = await p.evaluate(() => [...document.querySelectorAll('log-mesh .logmesh-list .logmesh-archive a')].map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['/all/posts'], path);
      await p.evaluate(() => document.querySelector('log-mesh').setAttribute('archive', '/elsewhere'));
      const changed = await p.evaluate(() => [...document.querySelectorAll('log-mesh .logmesh-list .logmesh-archive a')].map((a) => a.getAttribute('href')));
      assert.deepEqual(changed, ['/elsewhere'], path);
    }
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});
