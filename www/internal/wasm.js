// The boundary with the wasm modules: the types of what they export (from wasm-bindgen's .d.ts,
// which scripts/build-web writes beside each glue), every call into them guarded so that a trap
// poisons the instance, their errors turned into the element's `{code, message}` failures, and
// their small result objects read into plain values and freed at once.
//
// Every module exports the same interface (SiteHandle, View, Pick, ...); the 3D
// ones add `SiteHandle.view_setup` and `start_view`, the 2D one `SiteHandle.view_2d` and
// `radial_hash`. This file never keeps state and never touches the DOM.

import { isTrap, poison, poisonState } from '../modules.js';

/** @typedef {'webgpu' | 'webgl2' | '2d'} Kind */
// A module's interface as the element uses it: all it exports but its init functions, whose
// `InitOutput` lists the build's own wasm exports (different in every build, never called).
/** @typedef {(options: {module_or_path: URL}) => Promise<unknown>} Init */
/** @typedef {Omit<typeof import('../wasm/webgpu/logmesh.js'), 'default' | 'initSync'> & {default: Init}} Glue3d */
/** @typedef {Omit<typeof import('../wasm/2d/logmesh.js'), 'default' | 'initSync'> & {default: Init}} Glue2d */
/**
 * A module, initialised, with the URL its .wasm came from (for `stats().wasm_bytes`).
 * @typedef {{kind: 'webgpu' | 'webgl2', glue: Glue3d, url: string} | {kind: '2d', glue: Glue2d, url: string}} Loaded
 */
// wasm-bindgen's classes have private constructors: their instance types are `prototype`'s.
/** @typedef {Glue3d['SiteHandle']['prototype']} SiteHandle3d */
/** @typedef {Glue2d['SiteHandle']['prototype']} SiteHandle2d */
/** @typedef {SiteHandle3d | SiteHandle2d} SiteHandle */
/** @typedef {Glue3d['View']['prototype'] | Glue2d['View']['prototype']} View */
/** @typedef {Glue3d['Pick'] | Glue2d['Pick']} PickCodes */
/**
 * `aborted`: a setData superseded by newer data or by destroy() (never an `error` event).
 * `too-large` and `context-lost` come from a view and never reach an event either: the element
 * falls back to 2D on them.
 */
/** @typedef {'fetch' | 'data' | 'layout' | 'render' | 'panic' | 'aborted' | 'too-large' | 'context-lost'} FailureCode */
/** The rejection value and `error` detail: an Error (for stack traces) with a code. */
/** @typedef {Error & {code: FailureCode}} Failure */
/** @typedef {{id: string, title: string, url: string | null, date: string | null, tags: string[]}} Post */
/** @typedef {{x: number, y: number, r: number, visible: boolean}} Point */
/** @typedef {{text: string, background: string, hovered: string, selected: string, focused: string, font: string}} Colours */

/**
 * @param {FailureCode} code
 * @param {string} message
 * @returns {Failure}
 */
export function failure(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * Whether `value` is a failure (and not, say, a site handle).
 * @param {unknown} value
 * @returns {value is Failure}
 */
export function isFailure(value) {
  return value instanceof Error && typeof (/** @type {{code?: unknown}} */ (value).code) === 'string';
}

/** The codes of wasm's errors, each the first word of one (src/web/mod.rs, `web_error`). */
const WASM_ERROR = /^(data|layout|render|context-lost|too-large) /;

/**
 * `error` as a failure: wasm's error string `CODE MESSAGE`, a failure as it is, or anything else
 * under `fallbackCode`.
 * @param {unknown} error
 * @param {FailureCode} fallbackCode
 * @returns {Failure}
 */
export function asFailure(error, fallbackCode) {
  if (typeof error === 'string' && WASM_ERROR.test(error)) {
    // wasm's codes are docs/DESIGN.md's, plus `context-lost`, which never reaches an event.
    const space = error.indexOf(' ');
    return failure(/** @type {FailureCode} */ (error.slice(0, space)), error.slice(space + 1));
  }
  if (isFailure(error)) return failure(error.code, error.message);
  const e = /** @type {{message?: unknown} | null | undefined} */ (error);
  return failure(fallbackCode, String(e?.message ?? error));
}

/**
 * Turns a trap into poison (every element on the page returns to its static frame).
 * @param {unknown} error
 */
export function trapCheck(error) {
  if (isTrap(error)) poison(error);
}

/**
 * Calls into wasm; a trap poisons the module, and any error gives undefined.
 * @template T
 * @param {() => T} fn
 * @returns {T | undefined}
 */
export function guard(fn) {
  try {
    return fn();
  } catch (e) {
    trapCheck(e);
    return undefined;
  }
}

/**
 * Calls into wasm; a trap poisons the module, and errors are rethrown.
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
export function guardThrow(fn) {
  try {
    return fn();
  } catch (e) {
    trapCheck(e);
    throw e;
  }
}

/**
 * Post `index` of `site` as plain values, or null (an index out of range, or a trap).
 * @param {SiteHandle} site
 * @param {number} index
 * @returns {Post | null}
 */
export function postOf(site, index) {
  return (
    guard(() => {
      const [id, title, url, date, ...tags] = site.post(index);
      return id === undefined ? null : { id, title, url: url || null, date: date || null, tags };
    }) ?? null
  );
}

/**
 * Where post `index` is in the frame on screen, in CSS px from the element's top left, or null.
 * @param {View} view
 * @param {number} index
 * @returns {Point | null}
 */
export function pointOf(view, index) {
  return (
    guard(() => {
      const [x, y, r, visible] = view.screen_position(index);
      return visible === undefined ? null : { x, y, r, visible: visible === 1 };
    }) ?? null
  );
}

/**
 * The labels of the frame on screen, most important first, with their text.
 * @param {View} view
 * @returns {{x: number, y: number, text: string}[]}
 */
export function labelsOf(view) {
  return (
    guard(() => {
      const flat = view.labels(); // [index, x, y] per label
      const placed = [];
      for (let i = 0; i + 2 < flat.length; i += 3) placed.push({ x: flat[i + 1], y: flat[i + 2], text: view.label_text(flat[i]) ?? '' });
      return placed;
    }) ?? []
  );
}

/**
 * The theme's colours and label font for the overlay (labels, rings, tooltip): the site's own
 * when its page data has a style (docs/DESIGN.md, "A site's colours").
 * @param {SiteHandle} site
 * @param {boolean} dark
 * @returns {Colours | null}
 */
export function coloursOf(site, dark) {
  return (
    guard(() => {
      const [text, background, hovered, selected, focused, font] = site.theme_colours(dark);
      return { text, background, hovered, selected, focused, font };
    }) ?? null
  );
}

/**
 * Releases a view's GPU context and frees it (nothing once the instance is poisoned: a dead
 * instance must not be called).
 * @param {View} view
 */
export function freeView(view) {
  if (poisonState()) return;
  guard(() => {
    view.release();
    view.free();
  });
}

/**
 * Frees a site handle, unless the instance is poisoned.
 * @param {SiteHandle | null | undefined} site
 */
export function freeSite(site) {
  if (site && !poisonState()) guard(() => site.free());
}
