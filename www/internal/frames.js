// The frame loop: frames are drawn on demand, at most one animation frame in flight and none
// while idle (nothing moves by itself). A frame that fails is told apart here: a lost context
// (now, or reported by the device's lost callback within a second) or a render error. Frame
// durations and presentation times are kept for `stats()`.
//
// It never decides what a failure leads to (the element recovers or reports) and never changes
// what is shown.

import { Samples } from './timing.js';
import { asFailure, guard, guardThrow } from './wasm.js';

/** @typedef {import('./wasm.js').View} View */
/** @typedef {import('./wasm.js').Failure} Failure */
/**
 * @typedef {object} FrameHooks
 * @property {() => View | null} view        the view on screen
 * @property {(view: View) => void} drawn    after each presented frame (overlay, id buffer)
 * @property {(why: string) => void} lost    the GPU context or device is lost
 * @property {(failure: Failure) => void} failed   a frame failed for another reason
 */

/** How long (ms) and how often a failed frame waits for the device's lost callback. */
const LOST_WAIT_MS = 20;
const LOST_WAITS = 50;

export class Frames {
  #queued = false;
  #hooks;
  /** Milliseconds per frame drawn. */
  frameMs = new Samples();
  /** performance.now() of each frame presented (for fps). */
  presented = new Samples();

  /** @param {FrameHooks} hooks */
  constructor(hooks) {
    this.#hooks = hooks;
  }

  /** Draws a frame at the next animation frame (once, however often asked meanwhile). */
  request() {
    if (this.#queued || !this.#hooks.view()) return;
    this.#queued = true;
    requestAnimationFrame(() => {
      this.#queued = false;
      this.#draw();
    });
  }

  #draw() {
    const hooks = this.#hooks;
    const view = hooks.view();
    if (!view) return;
    const t0 = performance.now();
    try {
      guardThrow(() => view.render());
    } catch (e) {
      const code = /** @type {{code?: unknown} | null} */ (e)?.code;
      if (code === 'context-lost' || guard(() => view.lost())) return hooks.lost(asFailure(e, 'render').message);
      // A device on its way out fails its frames before its lost callback runs: give the
      // callback a moment before calling this an error.
      (async () => {
        for (let i = 0; i < LOST_WAITS && hooks.view() === view; i++) {
          await new Promise((resolve) => setTimeout(resolve, LOST_WAIT_MS));
          const lost = guard(() => view.lost());
          if (lost) return hooks.lost(lost);
        }
        if (hooks.view() === view) hooks.failed(asFailure(e, 'render'));
      })();
      return;
    }
    const t1 = performance.now();
    this.frameMs.push(t1 - t0);
    this.presented.push(t1);
    hooks.drawn(view);
  }
}
