// The element's data: posts.json and layout.json fetched (or given as objects), parsed by a
// module into a site handle, and laid out on the main thread in slices so that the page stays
// responsive (docs/DESIGN.md, "Packaging": only without a layout file, or with a stale one).
//
// This file fires no event and keeps no state: what is wrong comes back to the element as a
// failure, warnings as a list.

import { tick } from './timing.js';
import { asFailure, failure, guard, isFailure, trapCheck } from './wasm.js';

/** @typedef {import('./wasm.js').Loaded} Loaded */
/** @typedef {import('./wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./wasm.js').Failure} Failure */

/** Target length of one layout slice on the main thread, ms. */
const LAYOUT_SLICE_MS = 12;
/** The most iterations one slice may run (the whole layout is 300). */
const MAX_SLICE_ITERATIONS = 300;

/**
 * The text of `source`: an object (posts.json or layout.json, `what`) as JSON, or a URL (relative
 * to the document) fetched with `signal`. Rejects with a `fetch` failure naming the URL on a
 * network or HTTP error, and with a `data` failure for an object JSON cannot carry. The bytes
 * are read as the CLI reads a file (docs/DESIGN.md, "posts.json"): a leading UTF-8 byte order
 * mark is kept, for the module to drop with a warning, and invalid UTF-8 is refused where it
 * starts (line and column counted in bytes after a BOM, as the module counts them): a `data`
 * failure for posts, a `layout` failure for a layout file.
 * @param {unknown} source
 * @param {AbortSignal} signal
 * @param {'posts' | 'layout'} what
 * @returns {Promise<string>}
 */
export async function text(source, signal, what) {
  if (source instanceof HeldText) return source.text;
  if (typeof source !== 'string') return json(source);
  /** @type {ArrayBuffer} */
  let body;
  try {
    const response = await fetch(new URL(source, document.baseURI), { signal });
    if (!response.ok) throw failure('fetch', `${source}: HTTP ${response.status}`);
    body = await response.arrayBuffer();
  } catch (e) {
    throw isFailure(e) ? e : failure('fetch', `${source}: ${asFailure(e, 'fetch').message}`);
  }
  try {
    // `ignoreBOM` keeps a BOM in the text (as U+FEFF), so the module sees and reports it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const bytes = new Uint8Array(body);
    const rest = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const at = validUpTo(rest);
    const line = 1 + rest.subarray(0, at).filter((b) => b === 10).length;
    const column = at - (at > 0 ? rest.lastIndexOf(10, at - 1) : -1);
    // The module's own words for the same bytes (posts::parse, LayoutFile::parse).
    throw what === 'posts'
      ? failure('data', `line ${line}, column ${column}: invalid UTF-8 (byte 0x${(rest[at] ?? 0).toString(16).padStart(2, '0')})`)
      : failure('layout', `layout: invalid UTF-8 at line ${line} column ${column}`);
  }
}

/** A file's text the element holds already (the graph shown, shown again another way). */
export class HeldText {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }
}

/**
 * How many bytes at the start of `bytes` are valid UTF-8 (whole characters): where the first
 * invalid or unfinished sequence starts, as Rust's `Utf8Error::valid_up_to` counts.
 * @param {Uint8Array} bytes
 */
function validUpTo(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes after the lead; the second byte's range excludes overlong forms,
    // surrogates and code points above U+10FFFF.
    const more = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (!more || i + more >= bytes.length || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k <= more; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return i;
}

/**
 * `value` as JSON, or a `data` failure: a cycle, a BigInt or a number that is not finite (which
 * JSON.stringify would write as null) is refused, the last two by their place (`posts[3].weight`).
 * @param {unknown} value
 * @returns {string}
 */
function json(value) {
  /** Where each object met lies, from the root. @type {WeakMap<object, string>} */
  const places = new WeakMap();
  /** @type {string | null} */
  let bad = null;
  /**
   * @this {unknown}
   * @param {string} key
   * @param {unknown} v
   */
  function check(key, v) {
    const base = (this && typeof this === 'object' && places.get(this)) || '';
    const place = Array.isArray(this) ? `${base}[${key}]` : base && key ? `${base}.${key}` : key;
    if (v && typeof v === 'object') places.set(v, place);
    else if ((typeof v === 'number' && !Number.isFinite(v)) || typeof v === 'bigint') {
      bad ??= `${place || 'the data'}: ${typeof v === 'bigint' ? `${v}n` : v} is not a finite number`;
      return null;
    }
    return v;
  }
  /** @type {string} */
  let out;
  try {
    out = JSON.stringify(value, check);
  } catch (e) {
    throw failure('data', `not JSON: ${asFailure(e, 'data').message}`);
  }
  if (bad) throw failure('data', bad);
  return out;
}

/**
 * Parses posts (and a layout, when given) with `mod`: the site handle, why the layout file was
 * not used (laid out afresh) and the warnings; or a `data` failure (every problem, named by
 * post and field).
 * @param {Loaded} mod
 * @param {string} postsText
 * @param {string | null} layoutText
 * @returns {{site: SiteHandle, layoutError: string | null, warnings: string[]} | Failure}
 */
export function parse(mod, postsText, layoutText) {
  try {
    const site = mod.glue.SiteHandle.parse(postsText, layoutText ?? undefined);
    return { site, layoutError: site.layout_error() ?? null, warnings: /** @type {string[]} */ (site.warnings()) };
  } catch (e) {
    trapCheck(e);
    return asFailure(e, 'data');
  }
}

/**
 * Runs the layout in slices of about LAYOUT_SLICE_MS, yielding to the page between them, while
 * `going()` holds.
 * @param {SiteHandle} site
 * @param {() => boolean} going
 */
export async function layOut(site, going) {
  let step = 1;
  for (;;) {
    const t0 = performance.now();
    const done = guard(() => site.layout_step(step));
    if (done) return;
    if (!going()) return;
    const perIteration = Math.max(0.01, (performance.now() - t0) / step);
    step = Math.max(1, Math.min(MAX_SLICE_ITERATIONS, Math.floor(LAYOUT_SLICE_MS / perIteration)));
    await tick();
  }
}
