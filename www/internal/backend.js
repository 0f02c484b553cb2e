// The backend chain: which module a visitor gets (decided before anything heavy loads), what to
// try next when one fails on first use (WebGPU -> WebGL2 -> 2D), starting a view on a fresh
// canvas and checking its first frame, and the recovery from a lost GPU context (rebuild 3D
// once; the 2D view, prepared meanwhile, if that is not live in time). docs/DESIGN.md names
// every reason reported here.
//
// This file decides and starts; it never swaps what the element shows, never fires an event
// itself (it calls the `downgrade` it is given) and never keeps state between calls.

import { pickWith } from './picks.js';
import { nextFrame, tick } from './timing.js';
import { asFailure, failure, freeView, guardThrow, trapCheck } from './wasm.js';

/** @typedef {import('./wasm.js').Kind} Kind */
/** @typedef {import('./wasm.js').Loaded} Loaded */
/** @typedef {import('./wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./wasm.js').SiteHandle3d} SiteHandle3d */
/** @typedef {import('./wasm.js').SiteHandle2d} SiteHandle2d */
/** @typedef {import('./wasm.js').View} View */
/** @typedef {'webgpu' | 'webgl2' | 'canvas2d'} Backend */
/** @typedef {(from: Backend, to: Backend, reason: string) => void} Downgrade */
/**
 * A view being started that may be called off: `cancelled` (checked before the swap), a
 * `deadline` (performance.now() ms) for a rebuild's first frame, and `go`, a gate the swap
 * waits for (the 2D view prepared during a rebuild waits for the rebuild's outcome).
 * @typedef {{cancelled: boolean, deadline?: number, go?: Promise<void>, release?: () => void}} Attempt
 */

/** docs/DESIGN.md's `small-touch-screen`: true even on pages without a viewport meta tag. */
const SMALL_TOUCH_SCREEN = '(pointer: coarse) and (max-device-width: 599px)';
/** After a lost context the rebuilt 3D view must be live within this many ms, or 2D takes over. */
const REBUILD_DEADLINE_MS = 500;
/** A context lost again within this many ms of the last loss is not rebuilt: 2D takes over. */
export const REPEAT_LOSS_MS = 60_000;
/** A 3D view must start (device, first frame drawn and read back) within this many ms. */
const START_DEADLINE_MS = 15_000;
/**
 * The most 3D views one page holds; more elements get the 2D view (`too-many-views`). Browsers
 * keep a few GPU contexts a page (Chromium 16 WebGL contexts, fewer on Android) and lose the
 * oldest past that, which would take a live graph away from the visitor.
 */
export const MAX_3D_VIEWS = 8;

/**
 * The backend a module draws with.
 * @param {Kind} kind
 * @returns {Backend}
 */
export const backendOf = (kind) => (kind === '2d' ? 'canvas2d' : kind);

/**
 * When a view fails on first use: the module to try next, the reason, and what to log.
 * @type {Partial<Record<Kind, {next: Kind, reason: string, failed: string, then: string}>>}
 */
const NEXT = {
  webgpu: { next: 'webgl2', reason: 'webgpu-failed', failed: 'WebGPU failed on first use', then: 'trying WebGL2' },
  webgl2: { next: '2d', reason: 'context-failed', failed: 'WebGL2 failed to start', then: 'the 2D view takes over' },
};

/**
 * What to try after a view of `kind` failed to start with `code`: a frame larger than the GPU
 * draws (`too-large`) goes straight to 2D (WebGL2's limit is no larger); other failures follow
 * the chain. Undefined when nothing is left.
 * @param {Kind} kind
 * @param {string} code
 */
export function nextAfter(kind, code) {
  if (code === 'too-large' && kind !== '2d') {
    return { next: /** @type {Kind} */ ('2d'), reason: 'too-large', failed: 'the frame is larger than the GPU draws', then: 'the 2D view takes over' };
  }
  return NEXT[kind];
}

/** Whether WebGL2 can start here (the context made to ask is released at once). */
function hasWebGl2() {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2');
    if (!gl) return false;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}

/**
 * The module for `mode` (the `mode` attribute), decided before anything heavy starts; each
 * downgrade is reported through `downgrade` (forced, small-touch-screen, no-webgpu, no-gpu-api).
 * @param {string} mode
 * @param {Downgrade} downgrade
 * @returns {Promise<Kind>}
 */
export async function chooseBackend(mode, downgrade) {
  if (mode === '2d') {
    downgrade('webgpu', 'canvas2d', 'forced');
    return '2d';
  }
  if (mode !== '3d' && matchMedia(SMALL_TOUCH_SCREEN).matches) {
    downgrade('webgpu', 'canvas2d', 'small-touch-screen');
    return '2d';
  }
  if (navigator.gpu) {
    try {
      if (await navigator.gpu.requestAdapter()) return 'webgpu';
    } catch {
      // An adapter request that throws is the same as none.
    }
  }
  if (hasWebGl2()) {
    downgrade('webgpu', 'webgl2', 'no-webgpu');
    return 'webgl2';
  }
  downgrade('webgpu', 'canvas2d', 'no-gpu-api');
  return '2d';
}

/**
 * Starts a view of `site` (a handle of `mod`) on `canvas`: the 2D view draws at once; a 3D view
 * is checked by a GPU pick of its first frame (a WebGPU that fails on first use fails here).
 * Rejects with a failure when the view cannot start or `attempt` is called off; the view is
 * freed then. `timing.firstFrameMs` is how long the last first frame took.
 * @param {Loaded} mod
 * @param {SiteHandle} site
 * @param {HTMLCanvasElement} canvas
 * @param {{width: number, height: number, dpr: number, dark: boolean}} frame
 * @param {Attempt | null} attempt
 * @param {{firstFrameMs: number | null}} timing
 * @returns {Promise<View>}
 */
export async function startView(mod, site, canvas, { width, height, dpr, dark }, attempt, timing) {
  /** @type {View | undefined} */
  let view;
  try {
    if (mod.kind === '2d') {
      const site2d = /** @type {SiteHandle2d} */ (site);
      const view2d = guardThrow(() => site2d.view_2d(canvas, width, height, dpr, dark));
      view = view2d;
      guardThrow(() => view2d.render());
    } else {
      const site3d = /** @type {SiteHandle3d} */ (site);
      const setup = guardThrow(() => site3d.view_setup(canvas));
      // A GPU that never answers (an adapter or device request, or a readback, that hangs) must
      // not keep the element loading: past the deadline this view has failed on first use.
      const deadline = performance.now() + START_DEADLINE_MS;
      const view3d = await withDeadline(mod.glue.start_view(setup, width, height, dpr, dark), deadline, freeView);
      view = view3d;
      // A rebuild stops here, before its first frame, if it is past its deadline or if a frame
      // (as long as the last ones took: WebGL2 draws on this thread) would end past it.
      await tick();
      if (attempt?.cancelled) throw failure('render', 'superseded');
      const firstMs = timing.firstFrameMs ?? 0;
      if (attempt?.deadline && performance.now() + firstMs > attempt.deadline) {
        throw failure('render', `a first frame (${firstMs.toFixed(0)} ms last time) would end past the deadline`);
      }
      const t0 = performance.now();
      // A surface may give no frame to draw into at first (a canvas being configured).
      while (!guardThrow(() => view3d.render())) {
        if (performance.now() > deadline) throw failure('render', 'the surface gave no frame to draw into');
        await nextFrame();
      }
      // pickWith answers Pick.Failed once the deadline has passed.
      const probe = await pickWith(view3d, mod.glue.Pick, 0.5, 0.5, deadline);
      // A first frame (shaders compiled, drawn, read back) costs more than later ones.
      timing.firstFrameMs = performance.now() - t0;
      await nextFrame();
      await nextFrame();
      const lost = guardThrow(() => view3d.lost());
      if (probe === mod.glue.Pick.Failed || lost) throw failure('render', lost || 'the first frame could not be read back');
    }
  } catch (e) {
    trapCheck(e);
    if (view) freeView(view);
    throw asFailure(e, 'render');
  }
  if (attempt?.go) await attempt.go;
  if (attempt?.cancelled) {
    // Superseded (a rebuild that came too late, a 2D view not needed): drop it.
    freeView(view);
    throw failure('render', 'superseded');
  }
  return view;
}

/**
 * `promise`, or a `render` failure once `deadline` (performance.now() ms) has passed; what it
 * resolves to after that is handed to `late` (to free it).
 * @template T
 * @param {Promise<T>} promise
 * @param {number} deadline
 * @param {(value: T) => void} [late]
 * @returns {Promise<T>}
 */
function withDeadline(promise, deadline, late) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let settled = false;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      promise.then((value) => late?.(value), () => {});
      reject(failure('render', `the GPU did not answer within ${START_DEADLINE_MS / 1000} s`));
    }, Math.max(0, deadline - performance.now()));
  });
  const kept = promise.then((value) => {
    if (settled) return value;
    settled = true;
    clearTimeout(timer);
    return value;
  }, (e) => {
    settled = true;
    clearTimeout(timer);
    throw e;
  });
  return Promise.race([kept, expired]);
}

/**
 * What recovering from a lost context needs from the element.
 * @typedef {object} Recovery
 * @property {boolean} rebuild                       whether to rebuild 3D (no loss within REPEAT_LOSS_MS before this one)
 * @property {(attempt: Attempt) => Promise<void>} rebuild3d  3D again on a fresh canvas, swapped in when live
 * @property {(attempt: Attempt) => Promise<void>} prepare2d  the 2D view of the same posts, swapped in once `attempt.go` opens
 * @property {() => void} downgrade                  reports the fallback (`context-lost`, `too-large`)
 * @property {(message: string) => void} log         a warning
 */

/**
 * A lost device or context while live: rebuild 3D on a fresh canvas (unless `rebuild` is false:
 * a loss soon after another); if that fails or is not live within REBUILD_DEADLINE_MS, the 2D
 * view takes over. Also the way to 2D of a live view that grew too large (`rebuild` false).
 * The 2D view is prepared at once, beside the rebuild, so the element is live again well within
 * a second either way. Resolves when one of them is live; rejects when the 2D view did not start.
 * @param {Recovery} recovery
 */
export async function recover(recovery) {
  /** @type {Attempt} */
  const to2d = { cancelled: false };
  /** @type {() => void} */
  let release = () => {};
  to2d.go = new Promise((resolve) => (release = () => resolve(undefined)));
  const prepared2d = recovery.prepare2d(to2d).then(() => null, (/** @type {Error} */ e) => e);
  if (recovery.rebuild) {
    /** @type {Attempt} */
    const attempt = { cancelled: false, deadline: performance.now() + REBUILD_DEADLINE_MS };
    const deadline = new Promise((resolve) => setTimeout(() => resolve('late'), REBUILD_DEADLINE_MS));
    const rebuilt = recovery.rebuild3d(attempt).then(() => 'ok', (/** @type {Error} */ e) => e);
    const outcome = await Promise.race([rebuilt, deadline]);
    if (outcome === 'ok') {
      to2d.cancelled = true;
      release();
      return;
    }
    attempt.cancelled = true;
    const why = outcome instanceof Error ? outcome.message : `not live within ${REBUILD_DEADLINE_MS} ms`;
    recovery.log(`3D did not come back (${why})`);
  }
  recovery.downgrade();
  release();
  const error = await prepared2d;
  if (error) throw failure('render', `the 2D view did not start: ${error.message}`);
}
