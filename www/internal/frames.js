// The frame loop: frames are drawn on demand, at most one animation frame in flight and none
// while idle (nothing moves by itself). A frame that fails is told apart here: a lost context
// (now, or reported by the device's lost callback within a second) or a render error. A frame
// that was not drawn (the surface had nothing to draw into after a resize, or the GPU is still
// busy with two frames) is tried again at the next animation frame. Frame durations and
// presentation times are kept for `stats()`.
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
/**
 * How many animation frames in a row a frame that was not drawn (the surface just reconfigured
 * after a resize, or occluded; the GPU still busy with the frames before) is tried again; after
 * that the next request tries.
 */
const UNDRAWN_RETRIES = 600;

export class Frames {
  #queued = false;
  /** Frames in a row the surface had nothing to draw into. */
  #undrawn = 0;
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
    this.#undrawn = 0;
    this.#queue();
  }

  #queue() {
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
    let drawn;
    try {
      drawn = guardThrow(() => view.render());
    } catch (e) {
      const f = asFailure(e, 'render');
      if (f.code === 'context-lost' || guard(() => view.lost())) return hooks.lost(f.message);
      // A device on its way out fails its frames before its lost callback runs: give the
      // callback a moment before calling this an error.
      (async () => {
        for (let i = 0; i < LOST_WAITS && hooks.view() === view; i++) {
          await new Promise((resolve) => setTimeout(resolve, LOST_WAIT_MS));
          const lost = guard(() => view.lost());
          if (lost) return hooks.lost(lost);
        }
        if (hooks.view() === view) hooks.failed(f);
      })();
      return;
    }
    if (!drawn) {
      // Nothing changed on screen (a canvas just resized would stay blank): again next frame.
      if (++this.#undrawn <= UNDRAWN_RETRIES) this.#queue();
      return;
    }
    this.#undrawn = 0;
    const t1 = performance.now();
    this.frameMs.push(t1 - t0);
    this.presented.push(t1);
    hooks.drawn(view);
  }
}
