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

/** How well a post matches, best first: exact title, title prefix, all words in the title, a tag. */
const EXACT = 0;
const PREFIX = 1;
const WORDS = 2;
const TAG = 3;

/** Posts folded between two looks at the clock in `foldUntil` (about a millisecond at 10,000 posts). */
const CHUNK = 256;

/**
 * The posts' folded titles and tags and their recency order, made per graph shown in two steps
 * (docs/DESIGN.md, "Search and filter"): the constructor reads the texts and counts the tags;
 * `foldUntil` folds, in slices a page can run while it is idle, or all at once at the first
 * search or filter that finds it unfinished.
 */
export class SearchIndex {
  /** The texts, split; null once every post is folded. @type {string[] | null} */
  #texts;
  /** Where each post's texts start in #texts. @type {number[]} */
  #starts = [];
  /** Each post's date, `YYYY-MM-DD` or empty. @type {string[]} */
  #dates = [];
  /** Post indices newest first, made at the first search. @type {number[] | null} */
  #recency = null;

  /**
   * @param {string} packed  the wasm module's `SiteHandle.texts()`: per post in id order its title,
   *   its date (`YYYY-MM-DD` or empty), its tags, then an empty text, each followed by U+001F
   */
  constructor(packed) {
    const texts = packed.split('\u001f');
    /** @type {Map<string, number>} */
    const used = new Map();
    for (let k = 0; k < texts.length - 1; k++) {
      this.#starts.push(k);
      this.#dates.push(texts[k + 1]);
      for (k += 2; texts[k]; k++) used.set(texts[k], (used.get(texts[k]) ?? 0) + 1);
    }
    this.#texts = texts;
    /** Folded titles, in id order, of the posts folded so far. @type {string[]} */
    this.titles = [];
    /** Folded tags, likewise. @type {string[][]} */
    this.tags = [];
    /** Every tag as written, with how many posts have it: the most used first, ties by tag (each once). */
    this.tagCounts = [...used]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : 1));
  }

  /**
   * Folds posts until every one is, or until `until` (a `performance.now()` time) has passed;
   * true once every one is.
   */
  foldUntil(until = Infinity) {
    const texts = this.#texts;
    if (!texts) return true;
    /** @type {Map<string, string>} */
    const folded = new Map();
    while (this.titles.length < this.#starts.length) {
      let k = this.#starts[this.titles.length];
      this.titles.push(fold(texts[k]));
      /** @type {string[]} */
      const tags = [];
      // A site has far fewer tags than posts: each is folded once a slice.
      for (k += 2; texts[k]; k++) {
        let f = folded.get(texts[k]);
        if (f === undefined) folded.set(texts[k], (f = fold(texts[k])));
        tags.push(f);
      }
      this.tags.push(tags);
      if (this.titles.length % CHUNK === 0 && performance.now() >= until) return false;
    }
    this.#texts = null;
    return true;
  }

  /** Post indices newest first (dates compare as text), undated last, then id order. */
  #byRecency() {
    const dates = this.#dates;
    return (this.#recency ??= dates.map((_, i) => i).sort((a, b) => {
      const da = dates[a];
      const db = dates[b];
      if (da !== db) return !da ? 1 : !db ? -1 : da < db ? 1 : -1;
      return a - b;
    }));
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
    this.foldUntil();
    const words = q.split(' ');
    /** @type {number[][]} */
    const byRank = [[], [], [], []];
    for (const i of this.#byRecency()) {
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
    // No filter (the call that clears one) needs nothing folded.
    if (wanted.length || q) this.foldUntil();
    const keep = new Uint8Array(this.#starts.length);
    for (let i = 0; i < keep.length; i++) {
      const tagOk = wanted.length === 0 || wanted.some((t) => this.tags[i].includes(t));
      keep[i] = tagOk && (!q || this.#rank(i, q, words) >= 0) ? 1 : 0;
    }
    return keep;
  }
}
