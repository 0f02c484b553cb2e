// The local graph on a post page (docs/DESIGN.md, "Local graph"): the fragment prerender
// --local wrote shows its inline static frame from the first paint, and the first live frame is
// that frame (the static-vs-live tolerances), centred on the post and ringed, desktop and phone;
// setLocal on the whole site's graph, its depth clamp and its unknown-id error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodePng, meanAbsDiff } from './lib/images.mjs';
import { GRAPH, box, events, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

/** A post with a local graph of several posts and a page on the demo site. */
function aPost() {
  const names = JSON.parse(readFileSync(join(GRAPH, 'local', 'index.json'), 'utf8')).names;
  const { posts } = JSON.parse(readFileSync(join(GRAPH, 'posts.min.json'), 'utf8'));
  for (const post of posts) {
    if (!post.url?.startsWith('/log/')) continue;
    const local = JSON.parse(readFileSync(join(GRAPH, 'local', `${names[post.id]}.json`), 'utf8'));
    if (local.posts.length >= 8) return { post, count: local.posts.length };
  }
  throw new Error('no post with a local graph of 8 posts');
}

const cases = [
  { name: 'desktop', flagSet: 'webgpu', mode: '3d', contextOptions: {} },
  {
    name: 'phone',
    flagSet: 'webgl2',
    mode: '2d',
    contextOptions: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  },
];

for (const c of cases) {
  test(`a post page shows its local graph static, then live in place, centred and ringed [${c.name}]`, { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
    const { post, count } = aPost();
    const site = await open(c.flagSet, { contextOptions: c.contextOptions, serverOptions: { hold: /\.wasm$/ } });
    const { page, server } = site;
    try {
      await page.goto(site.url(post.url));
      await page.waitForTimeout(300);
      const element = page.locator('log-mesh');
      const shown = await page.evaluate(() => {
        const el = document.querySelector('log-mesh');
        const frame = [...el.querySelectorAll(':scope > svg.logmesh-frame')].find((f) => getComputedStyle(f).display !== 'none');
        return { state: el.state, mode: frame?.dataset.mode, ring: !!el.querySelector('.logmesh-overlay .logmesh-centre') };
      });
      assert.deepEqual(shown, { state: 'loading', mode: c.mode, ring: true }, 'the inline frame of the mode, ringed, before any wasm');
      const staticShot = decodePng(await element.screenshot());
      const before = await box(page);

      server.release();
      assert.equal(await waitForState(page, ['live', 'error']), 'live');
      await page.waitForTimeout(500);
      const liveShot = decodePng(await element.screenshot());
      const after = await box(page);
      assert.deepEqual(after, before, 'no layout shift at the swap');
      const diff = meanAbsDiff(staticShot, liveShot);
      assert.ok(diff <= 0.03, `live vs static mean absolute difference ${(diff * 100).toFixed(2)}%`);

      const live = await page.evaluate((id) => {
        const el = document.querySelector('log-mesh');
        return {
          stats: el.stats(),
          at: el.screenPosition(id),
          ring: !!el.querySelector('.logmesh-live .logmesh-ring-centre'),
        };
      }, post.id);
      assert.equal(live.stats.mode, c.mode);
      assert.equal(live.stats.posts, count, 'the local graph only');
      assert.equal(live.stats.search_indexed, 0, 'a page without a finder makes no search index');
      assert.ok(live.ring, 'the live overlay rings the post');
      assert.ok(Math.abs(live.at.x - after.width / 2) <= 1 && Math.abs(live.at.y - after.height / 2) <= 1, `the post is in the middle: ${JSON.stringify(live.at)} of ${after.width} x ${after.height}`);
      assert.deepEqual(page.errors, []);
      console.log(`# ${c.name}: ${count} posts, live vs static ${(diff * 100).toFixed(2)}%`);
    } finally {
      await site.close();
    }
  });
}

test('setLocal on the whole graph: the local graph, the depth clamped, an unknown id an error [webgpu]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const { post } = aPost();
  const site = await open('webgpu');
  const { page } = site;
  try {
    await page.goto(site.url('/log/'));
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    const all = await page.evaluate(() => document.querySelector('log-mesh').stats().posts);
    const unknown = await page.evaluate(() => document.querySelector('log-mesh').setLocal('no-such-post').then(() => null, (e) => ({ code: e.code, message: e.message })));
    assert.equal(unknown.code, 'data');
    assert.match(unknown.message, /no-such-post/);
    const errors = await events(page, 'error');
    assert.deepEqual(errors.map((e) => e.detail.code), ['data']);
    assert.equal(await page.evaluate(() => document.querySelector('log-mesh').stats().posts), all, 'what was shown stays');

    const logged = [];
    page.on('console', (m) => logged.push(m.text()));
    const result = await page.evaluate(async (id) => {
      const el = document.querySelector('log-mesh');
      await el.setLocal(id, 7);
      const b = el.getBoundingClientRect();
      return { stats: el.stats(), at: el.screenPosition(id), width: b.width, height: b.height };
    }, post.id);
    assert.ok(result.stats.posts > 1 && result.stats.posts <= 24, `${result.stats.posts} posts`);
    // The demo's finder called tags(): the local graph's search index is made too, while idle.
    await page.waitForFunction(() => {
      const s = document.querySelector('log-mesh').stats();
      return s.search_indexed === s.posts;
    }, null, { timeout: 10_000 });
    assert.ok(Math.abs(result.at.x - result.width / 2) <= 1 && Math.abs(result.at.y - result.height / 2) <= 1);
    assert.ok(logged.some((line) => /depth 7 is outside 1-3; 3 is used/.test(line)), logged.join('\n'));

    await page.evaluate(() => document.querySelector('log-mesh').setLocal(null));
    assert.equal(await page.evaluate(() => document.querySelector('log-mesh').stats().posts), all, 'setLocal(null): the whole graph again');
  } finally {
    await site.close();
  }
});
