// Search and filter over the posts shown (docs/DESIGN.md, "Search and filter"): text compared
// folded (case, accents and white space runs), results ranked as a reader expects (the exact
// title first), ties newest first. Here rather than in the wasm modules: the browser's own
// Unicode tables (`normalize`, `toLowerCase`) fold every script for nothing, where Rust's would
// cost the WebGPU module several kB of its budget. Pure: no DOM, no state beyond the index.

/** Latin letters that do not decompose into a letter and marks, and what they fold to. */
const LETTERS = /** @type {Record<string, string>} */ ({ ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ŀ: 'l', ŧ: 't', ħ: 'h', ĸ: 'k', ŉ: 'n', ſ: 's' });

/**
 * `text` lower-cased, without accents (compatibility-decomposed, marks dropped, the letters of
 * LETTERS spelt out), white space runs as one space, trimmed: what search compares.
 * @param {string} text
 */
export function fold(text) {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıŀŧħĸŉſ]/g, (c) => LETTERS[c] ?? c)
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The texts `SiteHandle.texts()` packs into one string (each followed by U+001F), as a list.
 * @param {string} packed
 * @returns {string[]}
 */
export function unpackTexts(packed) {
  return packed.split('\u001f').slice(0, -1);
}

/** How well a post matches, best first: exact title, title prefix, all words in the title, a tag. */
const EXACT = 0;
const PREFIX = 1;
const WORDS = 2;
const TAG = 3;

/** The posts' folded titles and tags and their recency order, made once per graph shown. */
export class SearchIndex {
  /**
   * @param {string[]} texts  the wasm module's `SiteHandle.texts()`, unpacked: per post in id order its
   *   title, its date (`YYYY-MM-DD` or empty), its number of tags, then its tags
   */
  constructor(texts) {
    /** @type {string[]} */
    this.titles = [];
    /** @type {string[][]} */
    this.tags = [];
    /** @type {string[]} */
    const dates = [];
    /** @type {Map<string, number>} */
    const used = new Map();
    // A site has far fewer tags than posts: each is folded once (the first search of a
    // 10,000-post site makes this index within a frame or two).
    /** @type {Map<string, string>} */
    const folded = new Map();
    const foldTag = (/** @type {string} */ tag) => {
      let f = folded.get(tag);
      if (f === undefined) folded.set(tag, (f = fold(tag)));
      return f;
    };
    for (let k = 0; k < texts.length; ) {
      this.titles.push(fold(texts[k]));
      dates.push(texts[k + 1]);
      const count = Number(texts[k + 2]);
      const tags = texts.slice(k + 3, k + 3 + count);
      for (const tag of tags) used.set(tag, (used.get(tag) ?? 0) + 1);
      this.tags.push(tags.map(foldTag));
      k += 3 + count;
    }
    /** Every tag as written, with how many posts have it: the most used first, ties by tag. */
    this.tagCounts = [...used]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    // Newest first (dates compare as text), undated last, then id order.
    this.recency = dates.map((_, i) => i).sort((a, b) => {
      const [da, db] = [dates[a], dates[b]];
      if (da !== db) return !da ? 1 : !db ? -1 : da < db ? 1 : -1;
      return a - b;
    });
  }

  /**
   * How post `i` matches the folded `query` with its `words`, or -1.
   * @param {number} i
   * @param {string} query
   * @param {string[]} words
   */
  #rank(i, query, words) {
    const title = this.titles[i];
    if (title === query) return EXACT;
    if (title.startsWith(query)) return PREFIX;
    const holdsAll = (/** @type {string} */ text) => words.every((w) => text.includes(w));
    if (holdsAll(title)) return WORDS;
    if (this.tags[i].some((t) => t === query || holdsAll(t))) return TAG;
    return -1;
  }

  /**
   * The posts matching `query`, best first, ties newest first; every post, whatever a filter
   * shows. An empty query matches nothing.
   * @param {string} query
   * @returns {number[]}
   */
  search(query) {
    const q = fold(query);
    if (!q) return [];
    const words = q.split(' ');
    /** @type {number[][]} */
    const byRank = [[], [], [], []];
    for (const i of this.recency) {
      const rank = this.#rank(i, q, words);
      if (rank >= 0) byRank[rank].push(i);
    }
    return byRank.flat();
  }

  /**
   * One byte per post (id order): 1 when it has any of `tags` (none: every post) and matches
   * `query` as search matches (empty: every post), else 0.
   * @param {string[]} tags
   * @param {string} query
   */
  filter(tags, query) {
    const wanted = tags.map(fold);
    const q = fold(query);
    const words = q ? q.split(' ') : [];
    const keep = new Uint8Array(this.titles.length);
    for (let i = 0; i < keep.length; i++) {
      const tagOk = wanted.length === 0 || wanted.some((t) => this.tags[i].includes(t));
      keep[i] = tagOk && (!q || this.#rank(i, q, words) >= 0) ? 1 : 0;
    }
    return keep;
  }
}
