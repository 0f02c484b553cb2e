// The element's data: posts.json and layout.json fetched (or given as objects), parsed by a
// module into a site handle, and laid out on the main thread in slices so that the page stays
// responsive (docs/DESIGN.md, "Packaging": only without a layout file, or with a stale one).
//
// This file fires no event and keeps no state: what is wrong comes back to the element as a
// failure, warnings as a list.

import { tick } from './timing.js';
import { asFailure, failure, guard, trapCheck } from './wasm.js';

/** @typedef {import('./wasm.js').Loaded} Loaded */
/** @typedef {import('./wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./wasm.js').Failure} Failure */

/** Target length of one layout slice on the main thread, ms. */
const LAYOUT_SLICE_MS = 12;
/** The most iterations one slice may run (the whole layout is 300). */
const MAX_SLICE_ITERATIONS = 300;

/**
 * The text of `source`: an object (posts.json or layout.json) as JSON, or a URL (relative to
 * the document) fetched with `signal`. Rejects with a `fetch` failure naming the URL on a
 * network or HTTP error, and with a `data` failure for an object JSON cannot carry.
 * @param {unknown} source
 * @param {AbortSignal} signal
 * @returns {Promise<string>}
 */
export async function text(source, signal) {
  if (typeof source !== 'string') return json(source);
  /** @type {Response} */
  let response;
  try {
    response = await fetch(new URL(source, document.baseURI), { signal });
  } catch (e) {
    throw failure('fetch', `${source}: ${asFailure(e, 'fetch').message}`);
  }
  if (!response.ok) throw failure('fetch', `${source}: HTTP ${response.status}`);
  return response.text();
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
