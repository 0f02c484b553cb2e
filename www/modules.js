// The three wasm modules, loaded once per page and shared by every <log-mesh> on it.
//
// `webgpu` is the small module every visitor needs; `webgl2` is fetched only where WebGPU is
// missing or fails on first use; `2d` (no wgpu) only for the 2D view. Each is wasm-bindgen's ES
// module glue plus its .wasm file, found through `new URL(..., import.meta.url)` so bundlers
// copy it and static folders work. This file stays at the package root: the paths below are
// relative to it, in www/ and in the package as shipped (scripts/build-package.mjs bundles the
// element into index.js, beside this file's place).
//
// A panic traps the module instance (a WebAssembly.RuntimeError): the instance is poisoned for
// the whole page and never used again; every element is told and returns to its static frame.
// This file must never touch a DOM global at import time (index.js is imported under Node).

/** @typedef {import('./internal/wasm.js').Kind} Kind */
/** @typedef {import('./internal/wasm.js').Glue3d} Glue3d */
/** @typedef {import('./internal/wasm.js').Glue2d} Glue2d */
/** @typedef {import('./internal/wasm.js').Loaded} Loaded */
/** @typedef {{code: 'panic', message: string}} PoisonRecord */

// The WebGL2 glue is typed as the WebGPU one: tsc checks here that the two 3D modules export
// the same interface (`npm run typecheck`).
/** @type {{webgpu: () => Promise<Glue3d>, webgl2: () => Promise<Glue3d>, '2d': () => Promise<Glue2d>}} */
const loaders = {
  webgpu: () => import('./wasm/webgpu/logmesh.js'),
  webgl2: () => import('./wasm/webgl2/logmesh.js'),
  '2d': () => import('./wasm/2d/logmesh.js'),
};
const wasmUrls = {
  webgpu: () => new URL('./wasm/webgpu/logmesh_bg.wasm', import.meta.url),
  webgl2: () => new URL('./wasm/webgl2/logmesh_bg.wasm', import.meta.url),
  '2d': () => new URL('./wasm/2d/logmesh_bg.wasm', import.meta.url),
};

/** @type {Map<Kind, Promise<Loaded>>} */
const loading = new Map();
/** @type {Set<(record: PoisonRecord) => void>} */
const poisonListeners = new Set();
/** @type {PoisonRecord | null} */
let poisoned = null;

/**
 * The module for `kind`, initialised; rejects when it cannot load.
 * @template {Kind} K
 * @param {K} kind
 * @returns {Promise<Extract<Loaded, {kind: K}>>}
 */
export function loadModule(kind) {
  if (poisoned) return Promise.reject(poisoned);
  let promise = loading.get(kind);
  if (!promise) {
    promise = (async () => {
      const glue = await loaders[kind]();
      const url = wasmUrls[kind]();
      await glue.default({ module_or_path: url });
      return /** @type {Loaded} */ ({ kind, glue, url: url.href });
    })();
    promise.catch(() => loading.delete(kind));
    loading.set(kind, promise);
  }
  return /** @type {Promise<Extract<Loaded, {kind: K}>>} */ (promise);
}

/**
 * Whether `error` is a trap of the wasm module (a Rust panic).
 * @param {unknown} error
 */
export function isTrap(error) {
  return typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
}

/**
 * Marks every module instance as dead after a trap and tells every listener once.
 * @param {unknown} error
 */
export function poison(error) {
  if (poisoned) return;
  const message = error instanceof Error ? error.message : String(error);
  poisoned = { code: 'panic', message: `the wasm module panicked: ${message}` };
  for (const listener of [...poisonListeners]) listener(poisoned);
}

/** The poison record ({code, message}) once a module has trapped, or null. */
export function poisonState() {
  return poisoned;
}

/**
 * Calls `listener({code, message})` when a module traps; returns the unsubscribe function.
 * @param {(record: PoisonRecord) => void} listener
 * @returns {() => void}
 */
export function onPoison(listener) {
  poisonListeners.add(listener);
  return () => void poisonListeners.delete(listener);
}

/**
 * Bytes transferred for a module's .wasm (0 when the browser does not say).
 * @param {string | undefined} url
 */
export function wasmBytes(url) {
  if (typeof performance === 'undefined' || !url) return 0;
  const entry = /** @type {PerformanceResourceTiming | undefined} */ (performance.getEntriesByName(url).at(-1));
  return entry ? entry.encodedBodySize || entry.transferSize || 0 : 0;
}
