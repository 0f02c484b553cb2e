// Filter and search (docs/DESIGN.md, "Search and filter") on the demo's 1,000 posts: setFilter's
// `filter` counts and search's order against a reference written here from the rule, the posts
// that do not pass dimmed where they are and still named by hover, the results ringed, in 3D
// and in the phone's 2D view; tags(); and the demo's finder (search box, tag chips, announced
// count).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodePng, meanAbsDiff } from './lib/images.mjs';
import { GRAPH, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const { posts } = JSON.parse(readFileSync(join(GRAPH, 'posts.min.json'), 'utf8'));
/** Case and Latin accents folded, white space runs as one space (search::fold, for these texts). */
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
/** The rank of `post` for a folded `query` (0 exact, 1 prefix, 2 all words, 3 tag), or null. */
function rank(post, query) {
  const title = fold(post.title);
  const words = query.split(' ').filter(Boolean);
  const all = (text) => words.every((w) => text.includes(w));
  if (title === query) return 0;
  if (title.startsWith(query)) return 1;
  if (all(title)) return 2;
  if ((post.tags ?? []).some((t) => fold(t) === query || all(fold(t)))) return 3;
  return null;
}
function search(query) {
  const q = fold(query);
  if (!q) return [];
  const newest = (p) => (p.date ? -Date.parse(p.date) : Infinity);
  return posts
    .map((p) => ({ p, r: rank(p, q) }))
    .filter((x) => x.r !== null)
    .sort((a, b) => a.r - b.r || newest(a.p) - newest(b.p) || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0))
    .map((x) => x.p.id);
}
function passes(post, tags, query) {
  const own = (post.tags ?? []).map(fold);
  const tagOk = tags.length === 0 || tags.some((t) => own.includes(fold(t)));
  const q = fold(query);
  return tagOk && (!q || rank(post, q) !== null);
}
/** The most used tag of the fixture. */
function topTag() {
  const counts = new Map();
  for (const p of posts) for (const t of p.tags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

const cases = [
  { name: 'desktop 3D', flagSet: 'webgpu', mode: '3d', contextOptions: {} },
  {
    name: 'phone 2D',
    flagSet: 'webgl2',
    mode: '2d',
    contextOptions: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  },
];

for (const c of cases) {
  test(`setFilter dims what does not pass and counts what does; search ranks and rings [${c.name}]`, { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
    const site = await open(c.flagSet, { contextOptions: c.contextOptions });
    const { page } = site;
    try {
      await page.goto(site.url('/log/'));
      assert.equal(await waitForState(page, ['live', 'error']), 'live');
      assert.equal(await page.evaluate(() => document.querySelector('log-mesh').stats().mode), c.mode);
      await page.evaluate(() => {
        window.__counts = [];
        document.querySelector('log-mesh').addEventListener('filter', (e) => window.__counts.push(e.detail.count));
      });
      const element = page.locator('log-mesh');
      const before = decodePng(await element.screenshot());
      const tag = topTag();
      const filters = [
        { tags: [tag], query: '' },
        { tags: [], query: 'production' },
        { tags: [tag, 'rust'], query: 'the' },
        { tags: [], query: '' },
      ];
      const want = filters.map((f) => posts.filter((p) => passes(p, f.tags, f.query)).length);
      const timings = [];
      for (const f of filters) {
        timings.push(await page.evaluate((filter) => {
          const t0 = performance.now();
          document.querySelector('log-mesh').setFilter(filter);
          return performance.now() - t0;
        }, f));
        if (f === filters[0]) {
          await page.waitForTimeout(300);
          const dimmed = decodePng(await element.screenshot());
          assert.ok(meanAbsDiff(before, dimmed) > 0.005, 'the filter changes the picture');
          // Labels: only posts that pass keep theirs.
          const labels = await page.evaluate(() => [...document.querySelectorAll('log-mesh .logmesh-live-labels text')].map((t) => t.textContent));
          const kept = posts.filter((p) => passes(p, f.tags, f.query)).map((p) => p.title);
          assert.ok(labels.length > 0, 'the posts kept keep their labels');
          for (const label of labels) {
            const stem = label.replace(/…$/, '');
            assert.ok(kept.some((title) => title.startsWith(stem)), `the label ${label} is of a post the filter dims`);
          }
          // A post the filter leaves out: still where it was, still named by hover.
          const out = posts.find((p) => !passes(p, f.tags, f.query));
          const at = await page.evaluate((id) => document.querySelector('log-mesh').screenPosition(id), out.id);
          assert.equal(await page.evaluate(() => document.querySelector('log-mesh').stats().posts), posts.length);
          if (at?.visible && c.mode === '3d') {
            const b = await element.boundingBox();
            await page.mouse.move(b.x + at.x, b.y + at.y);
            await page.waitForFunction((id) => window.__events.some((e) => e.type === 'hover' && e.detail.id !== null), out.id, { timeout: 5000 });
            const hovered = await page.evaluate(() => window.__events.filter((e) => e.type === 'hover' && e.detail.id !== null).at(-1).detail.id);
            const again = await page.evaluate((id) => document.querySelector('log-mesh').screenPosition(id), hovered);
            assert.ok(Math.hypot(again.x - at.x, again.y - at.y) <= again.r + at.r, `hover names the post under the pointer (${hovered})`);
          }
          await page.mouse.move(1, 1);
          await page.waitForTimeout(200);
        }
      }
      assert.deepEqual(await page.evaluate(() => window.__counts), want);
      await page.waitForTimeout(300);
      const after = decodePng(await element.screenshot());
      assert.ok(meanAbsDiff(before, after) < 0.01, 'an empty filter shows every post again');

      for (const query of ['production', 'rust', 'Error handling', 'zzzz']) {
        const found = await page.evaluate((q) => document.querySelector('log-mesh').search(q), query);
        assert.deepEqual(found.map((r) => r.id), search(query), `search ${query}`);
        if (found.length) assert.equal(found[0].title, posts.find((p) => p.id === found[0].id).title);
        const rings = await page.evaluate(() => document.querySelectorAll('log-mesh .logmesh-ring-result').length);
        const onScreen = await page.evaluate((ids) => ids.filter((id) => document.querySelector('log-mesh').screenPosition(id)).length, found.slice(0, 64).map((r) => r.id));
        assert.equal(rings, onScreen, `rings for ${query}`);
      }
      console.log(`# ${c.name}: counts ${want.join(', ')}; setFilter ${timings.map((t) => t.toFixed(1)).join(', ')} ms (1,000 posts)`);
      assert.deepEqual(page.errors, []);
    } finally {
      await site.close();
    }
  });
}

test('the demo finder: a search box and tag chips, by keyboard, the count announced [webgpu]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgpu');
  const { page } = site;
  try {
    await page.goto(site.url('/log/'));
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    await page.waitForSelector('form.finder .chip');
    // The chips called tags(), so search's index is made while the page is idle, before any
    // search or filter (which then cost what the later ones do).
    await page.waitForFunction(() => {
      const s = document.querySelector('log-mesh').stats();
      return s.posts > 0 && s.search_indexed === s.posts;
    }, null, { timeout: 10_000 });
    assert.equal(await page.locator('#finder-status').textContent(), '', 'nothing was searched or filtered');
    // tags(): every tag with its count, the most used first, ties by tag; the chips are the first 8.
    const counts = new Map();
    for (const p of posts) for (const t of p.tags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
    const want = [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
    assert.deepEqual(await page.evaluate(() => document.querySelector('log-mesh').tags()), want);
    assert.deepEqual(await page.locator('form.finder .chip').allTextContents(), want.slice(0, 8).map((t) => `#${t.tag}`));
    await page.locator('#finder-query').focus();
    await page.keyboard.type('production');
    const expected = posts.filter((p) => passes(p, [], 'production')).length;
    await page.waitForFunction((n) => document.querySelector('#finder-status').textContent === `${n} posts match`, expected);
    const listed = await page.locator('form.finder .results li').count();
    assert.equal(listed, Math.min(8, search('production').length));
    // Tab to the first chip and press it with the keyboard.
    await page.locator('#finder-query').fill('');
    await page.locator('form.finder .chip').first().focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('form.finder .chip').first().getAttribute('aria-pressed'), 'true');
    const tag = (await page.locator('form.finder .chip').first().textContent()).slice(1);
    const tagged = posts.filter((p) => passes(p, [tag], '')).length;
    await page.waitForFunction((n) => document.querySelector('#finder-status').textContent === `${n} posts match`, tagged);
    assert.equal(await page.getAttribute('#finder-status', 'role'), 'status');
    assert.deepEqual(page.errors, []);
  } finally {
    await site.close();
  }
});
