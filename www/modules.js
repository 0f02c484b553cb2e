// The three wasm modules, loaded once per page and shared by every <log-mesh> on it.
//
// `webgpu` is the small module every visitor needs; `webgl2` is fetched only where WebGPU is
// missing or fails on first use; `2d` (no wgpu) only for the 2D view. Each is wasm-bindgen's ES
// module glue plus its .wasm file, found through `new URL(..., import.meta.url)` so bundlers
// copy it and static folders work.
//
// A panic traps the module instance (a WebAssembly.RuntimeError): the instance is poisoned for
// the whole page and never used again; every element is told and returns to its static frame.

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

const loading = new Map();
const poisonListeners = new Set();
let poisoned = null;

/** The module for `kind` ('webgpu' | 'webgl2' | '2d'), initialised; rejects when it cannot load. */
export function loadModule(kind) {
  if (poisoned) return Promise.reject(poisoned);
  let promise = loading.get(kind);
  if (!promise) {
    promise = (async () => {
      const glue = await loaders[kind]();
      const url = wasmUrls[kind]();
      await glue.default({ module_or_path: url });
      return { kind, glue, url: url.href };
    })();
    promise.catch(() => loading.delete(kind));
    loading.set(kind, promise);
  }
  return promise;
}

/** Whether `error` is a trap of the wasm module (a Rust panic). */
export function isTrap(error) {
  return typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
}

/** Marks every module instance as dead after a trap and tells every listener once. */
export function poison(error) {
  if (poisoned) return;
  poisoned = { code: 'panic', message: `the wasm module panicked: ${error?.message ?? error}` };
  for (const listener of [...poisonListeners]) listener(poisoned);
}

/** The poison record ({code, message}) once a module has trapped, or null. */
export function poisonState() {
  return poisoned;
}

/** Calls `listener({code, message})` when a module traps; returns the unsubscribe function. */
export function onPoison(listener) {
  poisonListeners.add(listener);
  return () => poisonListeners.delete(listener);
}

/** Bytes transferred for a module's .wasm (0 when the browser does not say). */
export function wasmBytes(url) {
  if (typeof performance === 'undefined' || !url) return 0;
  const entry = performance.getEntriesByName(url).at(-1);
  return entry ? entry.encodedBodySize || entry.transferSize || 0 : 0;
}
