// Production behaviour: fallbacks, bad data, panics, several elements, leaks, CSP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextCounts, countListeners, wrapGetContext } from './lib/screencast.mjs';
import { box, embed, events, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const ELEMENT = 'log-mesh';
/** A page of our own around `body` (the element script from the package copy in out/site). */
const page = (body, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/graph/logmesh.css">${head}` +
  `<script type="module" src="/logmesh/element.js"></script></head><body>${body}</body></html>`;
const html = (body, head) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(page(body, head));
};
const json = (value) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(typeof value === 'string' ? value : JSON.stringify(value));
};
const state = (p, sel = ELEMENT) => p.evaluate((s) => document.querySelector(s).state, sel);
const frameVisible = (p) =>
  p.evaluate(() => getComputedStyle(document.querySelector('log-mesh .logmesh-frame')).visibility === 'visible');

test('WebGPU that fails on first use hops to the WebGL2 module [webgpu-broken]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgpu-broken');
  try {
    await site.page.goto(site.url('/log/'));
    assert.equal(await waitForState(site.page, ['live', 'error']), 'live');
    const fallback = await events(site.page, 'fallback');
    assert.deepEqual(fallback.map((e) => e.detail), [{ from: 'webgpu', to: 'webgl2', reason: 'webgpu-failed' }]);
    const stats = await site.page.evaluate(() => document.querySelector('log-mesh').stats());
    assert.equal(stats.backend, 'webgl2');
    assert.equal(stats.reason, 'webgpu-failed');
    assert.deepEqual((await events(site.page, 'ready')).map((e) => e.detail), [{ mode: '3d', backend: 'webgl2' }]);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('malformed first data: state error, an error event naming the post, the picture stays [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const bad = { version: 1, posts: [{ id: 'ok', title: 'Fine' }, { id: 'bad', title: 5 }] };
  const routes = {
    '/bad/': html(embed().replace('src="/graph/posts.min.json"', 'src="/bad/posts.json"')),
    '/bad/posts.json': json(bad),
  };
  const site = await open('webgl2', { serverOptions: { routes } });
  try {
    await site.page.goto(site.url('/bad/'));
    assert.equal(await waitForState(site.page, ['live', 'error']), 'error');
    const [error] = await events(site.page, 'error');
    assert.equal(error.detail.code, 'data');
    assert.match(error.detail.message, /posts\[1\] \(id "bad"\): title/);
    assert.equal(await frameVisible(site.page), true, 'the static frame stays');
    assert.deepEqual(site.page.errors, [], 'no uncaught exception');
  } finally {
    await site.close();
  }
});

test('a missing posts file is a fetch error; an invalid layout file is laid out afresh with a layout error [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const routes = {
    '/nofile/': html('<log-mesh id="a" src="/missing.json" style="display:block;width:600px;aspect-ratio:16/9"></log-mesh>' +
      '<log-mesh id="b" src="/graph/posts.min.json" layout="/bad/layout.json" style="display:block;width:600px;aspect-ratio:16/9"></log-mesh>'),
    '/bad/layout.json': json('{"version": 1, "positions": '),
  };
  const site = await open('webgl2', { serverOptions: { routes } });
  try {
    await site.page.goto(site.url('/nofile/'));
    assert.equal(await waitForState(site.page, ['live', 'error'], { selector: '#a' }), 'error');
    assert.equal(await waitForState(site.page, ['live', 'error'], { selector: '#b' }), 'live');
    const errors = await events(site.page, 'error');
    assert.deepEqual(errors.filter((e) => e.target === 'a').map((e) => e.detail.code), ['fetch']);
    const b = errors.filter((e) => e.target === 'b');
    assert.deepEqual(b.map((e) => e.detail.code), ['layout']);
    assert.match(b[0].detail.message, /laid out afresh/);
    const hash = await site.page.evaluate(() => document.querySelector('#b').stats().positions_hash);
    assert.match(hash, /^[0-9a-f]{16}$/);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('a bad setData keeps the graph and fires error; a good one replaces it [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const site = await open('webgl2');
  try {
    await site.page.goto(site.url('/log/'));
    assert.equal(await waitForState(site.page, ['live', 'error']), 'live');
    const result = await site.page.evaluate(async () => {
      const el = document.querySelector('log-mesh');
      const rejected = await el.setData({ version: 1, posts: [{ id: 'x' }] }).then(() => null, (e) => ({ code: e.code, message: e.message }));
      const kept = el.stats();
      await el.setData({ version: 1, posts: [{ id: 'a', title: 'A', links: ['b'] }, { id: 'b', title: 'B' }] });
      return { rejected, kept, state: el.state, now: el.stats() };
    });
    assert.equal(result.rejected.code, 'data');
    assert.match(result.rejected.message, /posts\[0\] \(id "x"\): title/);
    assert.equal(result.kept.posts, 1000, 'the old graph stays');
    assert.equal(result.state, 'live');
    assert.equal(result.now.posts, 2);
    const errors = await events(site.page, 'error');
    assert.deepEqual(errors.map((e) => e.detail.code), ['data']);
    assert.ok(await site.page.evaluate(() => document.querySelector('log-mesh').screenPosition('a') !== null));
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('a wasm panic returns every element to its static frame with error panic [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const fragment = embed();
  const routes = {
    '/panic/': html(fragment.replace('<log-mesh ', '<log-mesh id="a" debug ') + fragment.replace('<log-mesh ', '<log-mesh id="b" ')),
  };
  const site = await open('webgl2', { serverOptions: { routes } });
  try {
    await site.page.goto(site.url('/panic/'));
    assert.equal(await waitForState(site.page, ['live', 'error'], { selector: '#a' }), 'live');
    assert.equal(await waitForState(site.page, ['live', 'error'], { selector: '#b' }), 'live');
    assert.equal(await site.page.evaluate(() => document.querySelector('#b').debugPanic()), false, 'only with the debug attribute');
    await site.page.evaluate(() => document.querySelector('#a').debugPanic());
    await waitForState(site.page, ['error'], { selector: '#b' });
    const errors = await events(site.page, 'error');
    assert.deepEqual(errors.map((e) => [e.target, e.detail.code]).sort(), [['a', 'panic'], ['b', 'panic']]);
    const frames = await site.page.evaluate(() =>
      [...document.querySelectorAll('log-mesh')].map((el) => ({
        state: el.state,
        picture: getComputedStyle(el.querySelector('.logmesh-frame')).visibility,
        live: el.querySelector('.logmesh-live') !== null,
        link: el.querySelector('.logmesh-hits a[href]') !== null,
      })),
    );
    assert.deepEqual(frames, [
      { state: 'error', picture: 'visible', live: false, link: true },
      { state: 'error', picture: 'visible', live: false, link: true },
    ]);
    assert.deepEqual(site.page.errors, [], 'the trap is caught, not a window error');
  } finally {
    await site.close();
  }
});

test('two elements on one page work independently [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const style = 'style="display:block;width:560px;aspect-ratio:16/9"';
  const routes = {
    '/two/': html(`<log-mesh id="a" src="/graph/posts.min.json" layout="/graph/layout.json" ${style}></log-mesh>` +
      `<log-mesh id="b" src="/graph/posts.min.json" layout="/graph/layout.json" theme="dark" ${style}></log-mesh>`),
  };
  const site = await open('webgl2', { serverOptions: { routes } });
  try {
    await site.page.goto(site.url('/two/'));
    for (const sel of ['#a', '#b']) assert.equal(await waitForState(site.page, ['live', 'error'], { selector: sel }), 'live');
    const ids = await site.page.evaluate(() => {
      const a = document.querySelector('#a');
      const b = document.querySelector('#b');
      a.focusPost('2023-01-on-ci-pipelines');
      b.addEventListener('select', (e) => e.stopPropagation());
      return { a: a.stats().positions_hash, b: b.stats().positions_hash };
    });
    assert.equal(ids.a, ids.b);
    const selects = await events(site.page, 'select');
    assert.deepEqual(selects.map((e) => [e.target, e.detail.id]), [['a', '2023-01-on-ci-pipelines']]);
    // Orbit b only: a's posts stay where they were (once a has drawn its focused frame).
    await site.page.waitForFunction(() => {
      const a = document.querySelector('#a');
      const at = a.screenPosition('2023-01-on-ci-pipelines');
      return Math.abs(at.x - a.getBoundingClientRect().width / 2) < 1;
    });
    const before = await site.page.evaluate(() => ['#a', '#b'].map((s) => document.querySelector(s).screenPosition('2023-01-on-ci-pipelines')));
    const box = await site.page.locator('#b').boundingBox();
    await site.page.mouse.move(box.x + 5, box.y + 5);
    await site.page.mouse.down();
    await site.page.mouse.move(box.x + 120, box.y + 40, { steps: 8 });
    await site.page.mouse.up();
    await site.page.waitForFunction(
      (was) => document.querySelector('#b').screenPosition('2023-01-on-ci-pipelines').x !== was,
      before[1].x,
    );
    const after = await site.page.evaluate(() => ['#a', '#b'].map((s) => document.querySelector(s).screenPosition('2023-01-on-ci-pipelines')));
    assert.deepEqual(after[0], before[0], 'a did not move');
    assert.notDeepEqual(after[1], before[1], 'b turned');
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

// docs/DESIGN.md, "Downgrades": two losses within a minute leave the 2D view; once a minute has
// passed without another, new data brings 3D back (the loss was passing), and stats().reason
// is what it was before the loss.
test('lost twice: 2D; new data a minute after the last loss brings 3D back [webgpu]', { skip: skipUnlessBuilt, timeout: 180_000 }, async () => {
  const site = await open('webgpu');
  const p = site.page;
  try {
    await p.goto(site.url('/log/'));
    assert.equal(await waitForState(p, ['live', 'error']), 'live');
    const stats = () => p.evaluate(() => document.querySelector('log-mesh').stats());
    assert.equal((await stats()).mode, '3d');
    for (let i = 0; i < 2 && (await stats()).mode === '3d'; i++) {
      const readies = (await events(p, 'ready')).length;
      assert.equal(await p.evaluate(() => {
        const el = document.querySelector('log-mesh');
        el.setAttribute('debug', '');
        return el.debugLoseContext();
      }), true);
      await p.waitForFunction((n) => window.__events.filter((e) => e.type === 'ready').length > n, readies, { timeout: 10_000 });
    }
    assert.deepEqual([(await stats()).mode, (await stats()).reason], ['2d', 'context-lost']);
    // Within the minute, new data stays in 2D.
    await p.evaluate(() => document.querySelector('log-mesh').setData('/graph/posts.min.json', '/graph/layout.json'));
    assert.equal((await stats()).mode, '2d');
    await p.waitForTimeout(61_000);
    await p.evaluate(() => document.querySelector('log-mesh').setData('/graph/posts.min.json', '/graph/layout.json'));
    const back = await stats();
    assert.deepEqual([back.mode, back.backend, back.reason, await state(p)], ['3d', 'webgpu', null, 'live']);
    assert.deepEqual(await events(p, 'error'), []);
    assert.deepEqual(p.errors, []);
  } finally {
    await site.close();
  }
});

test('50 mount/destroy cycles leave no live context and no listener behind [webgl2]', { skip: skipUnlessBuilt, timeout: 240_000 }, async () => {
  const routes = { '/cycles/': html('<main id="host"></main>') };
  const site = await open('webgl2', { serverOptions: { routes }, beforeGoto: wrapGetContext });
  try {
    await site.page.goto(site.url('/cycles/'));
    await site.page.waitForFunction(() => customElements.get('log-mesh'));
    const baseline = await countListeners(site.page);
    for (let i = 0; i < 50; i++) {
      const outcome = await site.page.evaluate(async () => {
        const el = document.createElement('log-mesh');
        el.setAttribute('src', '/graph/posts.min.json');
        el.setAttribute('layout', '/graph/layout.json');
        el.style.cssText = 'display:block;width:400px;aspect-ratio:16/9';
        document.querySelector('#host').append(el);
        await new Promise((resolve) => el.addEventListener('ready', resolve, { once: true }));
        const live = el.state;
        el.remove();
        return { live, after: el.state };
      });
      assert.deepEqual(outcome, { live: 'live', after: 'static' }, `cycle ${i}`);
    }
    const counts = await contextCounts(site.page);
    assert.ok(counts.created.webgl2 >= 50, JSON.stringify(counts));
    assert.equal(counts.live, 0, `contexts still attached: ${JSON.stringify(counts)}`);
    assert.equal(await countListeners(site.page), baseline, 'listeners left behind');
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

// docs/DESIGN.md, "Packaging": the strict policy the element is tested under. Nothing is filtered:
// not one violation under any flag set, through the start, a setData by object and by URL, and
// (in 3D) two lost contexts, the first rebuilding 3D, the second bringing in the 2D module.
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

for (const flagSet of ['webgpu', 'webgl2', 'no-gpu']) {
  test(`the demo works under a strict CSP with no violation: start, setData, lost contexts [${flagSet}]`, { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
    const site = await open(flagSet, { serverOptions: { csp: STRICT_CSP } });
    const p = site.page;
    const consoleCsp = [];
    p.on('console', (msg) => {
      if (/content.security.policy|refused to/i.test(msg.text())) consoleCsp.push(`${msg.type()}: ${msg.text()}`);
    });
    try {
      await p.addInitScript(() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
      });
      const response = await p.goto(site.url('/log/'));
      assert.equal(response.headers()['content-security-policy'], STRICT_CSP);
      assert.equal(await waitForState(p, ['live', 'error']), 'live');
      // embed.html has no style attribute (the picture gives the element its shape).
      const b = await box(p);
      assert.ok(b.width > 0 && Math.abs(b.height - (b.width * 675) / 1200) < 0.5, JSON.stringify(b));
      const mode = await p.evaluate(() => document.querySelector('log-mesh').stats().mode);
      assert.equal(mode, flagSet === 'no-gpu' ? '2d' : '3d');

      const readies = () => p.evaluate(() => window.__events.filter((e) => e.type === 'ready').length);
      const setData = await p.evaluate(async () => {
        const el = document.querySelector('log-mesh');
        await el.setData({ version: 1, posts: [{ id: 'a', title: 'A', links: ['b'] }, { id: 'b', title: 'B', tags: ['t'] }] });
        const small = el.stats().posts;
        await el.setData('/graph/posts.min.json', '/graph/layout.json');
        return { small, full: el.stats().posts, state: el.state };
      });
      assert.deepEqual(setData, { small: 2, full: 1000, state: 'live' });

      if (flagSet === 'no-gpu') {
        // The 2D view has no GPU context to lose: the hook refuses, as documented.
        assert.equal(await p.evaluate(() => {
          const el = document.querySelector('log-mesh');
          el.setAttribute('debug', '');
          return el.debugLoseContext();
        }), false);
      } else {
        for (const round of [1, 2]) {
          if ((await p.evaluate(() => document.querySelector('log-mesh').stats().mode)) === '2d') break;
          const before = await readies();
          assert.equal(await p.evaluate(() => {
            const el = document.querySelector('log-mesh');
            el.setAttribute('debug', '');
            return el.debugLoseContext();
          }), true, `round ${round}`);
          await p.waitForFunction((n) => window.__events.filter((e) => e.type === 'ready').length > n, before, { timeout: 10_000 });
        }
        assert.equal(await p.evaluate(() => document.querySelector('log-mesh').stats().mode), '2d', 'the second loss brought the 2D module');
        // New data in the 2D view, after the losses.
        assert.equal(await p.evaluate(async () => {
          const el = document.querySelector('log-mesh');
          await el.setData({ version: 1, posts: [{ id: 'c', title: 'C' }] });
          return el.stats().posts;
        }), 1);
      }
      assert.equal(await p.evaluate(() => document.querySelector('log-mesh').state), 'live');
      assert.deepEqual(await p.evaluate(() => window.__violations), [], 'no violation of any directive');
      assert.deepEqual(consoleCsp, [], 'no CSP message on the console');
      // The listener is live: a style attribute written as markup is blocked and seen.
      await p.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="color: red"></div>'));
      await p.waitForFunction(() => window.__violations.length > 0);
      assert.match((await p.evaluate(() => window.__violations)).join('\n'), /^style-src-attr /);
      assert.deepEqual(p.errors, []);
    } finally {
      await site.close();
    }
  });
}
