// When the live view may start loading (docs/DESIGN.md, "The element", loading order): the
// static picture comes first, so that on a slow network nothing the live view needs (the data,
// the layout, the wasm module) competes with the picture for bandwidth. Without Save-Data the
// live view starts loading once the picture has loaded or failed (at once when there is none),
// whether or not the element is on screen; with Save-Data it waits for the visitor's first
// interaction with the element, so a visitor who only looks downloads the picture alone.
//
// This file never fetches anything and never touches wasm.

/** What a visitor does that means they reach for the graph (a wheel may only scroll past it). */
const INTERACTIONS = ['pointerdown', 'touchstart', 'keydown', 'focusin'];

/** Whether the browser says the visitor asked to save data (Chromium's `navigator.connection`). */
export function saveData() {
  const connection = /** @type {{connection?: {saveData?: boolean}}} */ (/** @type {unknown} */ (navigator)).connection;
  return connection?.saveData === true;
}

/**
 * Resolves once the live view of `element` may start loading: with `'picture'` when its static
 * picture has loaded or failed, `'no-picture'` when it has none, `'interaction'` under Save-Data
 * after the first interaction, or `'aborted'` when `signal` aborts first (the caller then checks
 * that its run is still current). Never rejects.
 * @param {HTMLElement} element
 * @param {AbortSignal} signal
 * @returns {Promise<'picture' | 'no-picture' | 'interaction' | 'aborted'>}
 */
export function loadGate(element, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve('aborted');
    const local = new AbortController();
    /** @param {'picture' | 'no-picture' | 'interaction' | 'aborted'} why */
    const open = (why) => {
      local.abort();
      resolve(why);
    };
    signal.addEventListener('abort', () => open('aborted'), { once: true, signal: local.signal });
    if (saveData()) {
      for (const type of INTERACTIONS) {
        element.addEventListener(type, () => open('interaction'), { once: true, passive: true, signal: local.signal });
      }
      return;
    }
    const img = element.querySelector('.logmesh-frame img');
    if (!(img instanceof HTMLImageElement)) return open('no-picture');
    if (img.complete) return open('picture');
    img.addEventListener('load', () => open('picture'), { once: true, signal: local.signal });
    img.addEventListener('error', () => open('picture'), { once: true, signal: local.signal });
  });
}
