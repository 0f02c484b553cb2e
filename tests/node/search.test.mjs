// The element's search and filter rule (www/internal/search.js; docs/DESIGN.md, "Search and
// filter") on hand-made posts: folding, the rank order, ties newest first, the filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchIndex, fold } from '../../www/internal/search.js';

/**
 * `SiteHandle.texts()` of `posts` ([title, date, tags] in id order): per post its title, its
 * date, its tags and an empty text, each followed by U+001F.
 */
const texts = (posts) => posts.flatMap(([title, date, tags]) => [title, date, ...tags, '']).map((t) => `${t}\u001f`).join('');

test('the packed texts are read post by post: an empty date, no tags, any script', () => {
  const index = new SearchIndex(texts([
    ['A; b, c', '', []],
    ['café 😀', '2024-01-02', ['東京', 'x']],
    ['Second', '', ['x']],
  ]));
  assert.deepEqual(index.tagCounts, [{ tag: 'x', count: 2 }, { tag: '東京', count: 1 }]);
  assert.deepEqual(index.search('cafe'), [1]);
  assert.deepEqual(index.titles, ['a; b, c', 'cafe 😀', 'second']);
  assert.deepEqual(index.tags, [[], ['東京', 'x'], ['x']]);
  assert.deepEqual(new SearchIndex('').tagCounts, []);
  assert.deepEqual([...new SearchIndex('').filter(['x'], 'a')], []);
});

test('folded in slices, the index is the one folded at once; clearing a filter folds nothing', () => {
  const posts = Array.from({ length: 1000 }, (_, i) => [`Post ${i} Über`, i % 3 ? `2024-01-${String(1 + (i % 28)).padStart(2, '0')}` : '', i % 5 ? [`Tag ${i % 7}`] : []]);
  const whole = new SearchIndex(texts(posts));
  assert.equal(whole.search('Post 12 ÜBER')[0], 12);
  const sliced = new SearchIndex(texts(posts));
  assert.deepEqual([...sliced.filter([], '')], posts.map(() => 1));
  assert.equal(sliced.titles.length, 0, 'no filter needs nothing folded');
  let slices = 1;
  while (!sliced.foldUntil(0)) slices++;
  assert.equal(slices, 4, 'a slice past its time stops after 256 posts');
  assert.deepEqual([sliced.titles, sliced.tags], [whole.titles, whole.tags]);
  for (const [tags, query] of [[['TAG 3'], ''], [[], 'post 99'], [['tag 1', 'tag 2'], 'uber']]) {
    assert.deepEqual(sliced.filter(tags, query), whole.filter(tags, query));
    assert.ok(whole.filter(tags, query).includes(1) && whole.filter(tags, query).includes(0));
  }
  assert.ok(whole.search('uber').length === 1000);
});

test('folding drops case, accents and runs of white space, in every script', () => {
  assert.equal(fold('  Crème   BRÛLÉE '), 'creme brulee');
  assert.equal(fold('Straße Łódź Œuvre Ærø'), 'strasse lodz oeuvre aero');
  assert.equal(fold('Cafe\u0301'), 'cafe');
  assert.equal(fold('ΑΘΗΝΑ Москва ЁЖ'), 'αθηνα москва еж');
  assert.equal(fold('東京\u3000タワー'), '東京 タワー');
  assert.equal(fold('a\u00a0b\tc\n'), 'a b c');
  assert.equal(fold('ﬁle'), 'file');
});

test('results rank exact, then prefix, then all words, then tags; ties newest first, undated last', () => {
  const index = new SearchIndex(texts([
    ['Rust in production', '2024-01-01', []],
    ['Rust', '2020-01-01', []],
    ['Production notes on Rust', '2025-01-01', []],
    ['Rustaceans', '2023-01-01', []],
    ['Gardening', '2022-01-01', ['Rust']],
    ['Rüst', '', []],
    ['Unrelated', '2026-01-01', ['ops']],
  ]));
  assert.deepEqual(index.search('RUST'), [1, 5, 0, 3, 2, 4]);
  assert.deepEqual(index.search('production rust'), [2, 0]);
  assert.deepEqual(index.search('   '), []);
  assert.deepEqual(index.search('zzz'), []);
});

test('the filter keeps posts with any of its tags that match its query', () => {
  const index = new SearchIndex(texts([
    ['Rust in production', '2024-01-02', ['Rust', 'ops']],
    ['Café notes', '', ['food']],
    ['Production incidents', '2023-05-01', ['ops']],
  ]));
  const cases = [
    [[], '', [1, 1, 1]],
    [['ops'], '', [1, 0, 1]],
    [['RUST', 'food'], '', [1, 1, 0]],
    [[], 'production', [1, 0, 1]],
    [['ops'], 'incidents', [0, 0, 1]],
    [[], 'cafe', [0, 1, 0]],
  ];
  for (const [tags, query, want] of cases) {
    assert.deepEqual([...index.filter(tags, query)], want, `${JSON.stringify(tags)} ${query}`);
  }
});
