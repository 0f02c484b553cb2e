// The element's search and filter rule (www/internal/search.js; docs/DESIGN.md, "Search and
// filter") on hand-made posts: folding, the rank order, ties newest first, the filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchIndex, fold, unpackTexts } from '../../www/internal/search.js';

/** `SiteHandle.texts()` of `posts` ([title, date, tags] in id order). */
const texts = (posts) => posts.flatMap(([title, date, tags]) => [title, date, String(tags.length), ...tags]);

test('the packed texts (SiteHandle.texts: each followed by U+001F) unpack to the list', () => {
  const list = ['A; b, c', '', '2', 'café 😀', '東京', 'Second', '2024-01-02', '0'];
  assert.deepEqual(unpackTexts(list.map((t) => `${t}\u001f`).join('')), list);
  assert.deepEqual(unpackTexts(''), []);
  assert.deepEqual(unpackTexts('\u001f'), ['']);
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
