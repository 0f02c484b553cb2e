// The pick queue: which post lies under a point of the frame on screen. A GPU view reads one
// pixel back at a time, so picks run one after another; hover keeps only the latest point while
// a pick is in flight; once the camera has rested the whole id buffer is read back, after which
// picks of that frame answer at once (the 2D view answers every pick at once on the CPU).
//
// It answers post indices (or null for none) and never decides what they mean: the selection,
// the tooltip and the events are the element's. It never touches the DOM.

import { Samples, tick } from './timing.js';
import { guard, guardThrow, trapCheck } from './wasm.js';

/** @typedef {import('./wasm.js').View} View */
/** @typedef {import('./wasm.js').PickCodes} PickCodes */
/** @typedef {{view: View, Pick: PickCodes}} Current */

/** Once the camera has rested this long (ms) the whole id buffer is read back for instant picks. */
const IDS_REST_MS = 120;

/**
 * The raw answer for CSS point (x, y) of `view`'s frame on screen: a post index, `Pick.None`
 * or `Pick.Failed` (a readback failed: a lost device, or none came back by `deadline`,
 * performance.now() ms). Throws what wasm throws.
 * @param {View} view
 * @param {PickCodes} Pick
 * @param {number} x
 * @param {number} y
 * @param {number} [deadline]
 * @returns {Promise<number>}
 */
export async function pickWith(view, Pick, x, y, deadline = Infinity) {
  // The id buffer of the frame on screen, read back whole once the camera rested: answers at
  // once. Otherwise (the camera just moved) read the one pixel.
  const cached = guardThrow(() => view.pick_cached(x, y));
  if (cached !== Pick.Pending) return cached;
  while (!guardThrow(() => view.pick_begin(x, y))) {
    if (performance.now() > deadline) return Pick.Failed;
    await tick();
  }
  for (;;) {
    const answer = guardThrow(() => view.pick_poll());
    if (answer !== Pick.Pending) return answer;
    if (performance.now() > deadline) return Pick.Failed;
    await tick();
  }
}

export class PickQueue {
  /** The view on screen and its module's pick codes, or null (nothing to pick from). */
  #current;
  /** Called when a readback failed: the element checks whether the context was lost. */
  #onFailed;
  /** @type {Promise<unknown>} */
  #chain = Promise.resolve();
  /** @type {{x: number, y: number} | null} */
  #hoverWanted = null;
  #hoverBusy = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #idsTimer = undefined;
  /** Milliseconds per answered pick, for `stats()`. */
  samples = new Samples();

  /**
   * @param {() => Current | null} current
   * @param {() => void} onFailed
   */
  constructor(current, onFailed) {
    this.#current = current;
    this.#onFailed = onFailed;
  }

  /**
   * The post index under CSS point (x, y) of the frame on screen, or null for none (also when
   * the view changed meanwhile, or the pick failed).
   * @param {number} x
   * @param {number} y
   * @returns {Promise<number | null>}
   */
  pick(x, y) {
    return this.#answer(x, y).then((answer) => (answer === 'failed' ? null : answer));
  }

  /**
   * Hovering at (x, y): `answer(index | null)` once the pick is done, unless it failed. While a
   * pick is in flight only the latest point is kept.
   * @param {number} x
   * @param {number} y
   * @param {(index: number | null) => void} answer
   */
  hover(x, y, answer) {
    this.#hoverWanted = { x, y };
    if (this.#hoverBusy) return;
    this.#hoverBusy = true;
    (async () => {
      while (this.#hoverWanted) {
        const { x: hx, y: hy } = this.#hoverWanted;
        this.#hoverWanted = null;
        const index = await this.#answer(hx, hy);
        if (index !== 'failed') answer(index);
      }
      this.#hoverBusy = false;
    })();
  }

  /**
   * The post a finger at CSS point (x, y) reaches, or null: the CPU picker's touch rule (the
   * nearest visible centre within reach; docs/DESIGN.md, "Touch"), answered at once from the
   * projection of the frame on screen, in 3D as in 2D.
   * @param {number} x
   * @param {number} y
   * @returns {number | null}
   */
  touch(x, y) {
    const current = this.#current();
    if (!current) return null;
    try {
      const answer = guardThrow(() => current.view.pick_touch(x, y));
      return answer >= 0 ? answer : null;
    } catch (e) {
      trapCheck(e);
      return null;
    }
  }

  /** After each frame: reads the whole id buffer back once the camera has rested. */
  scheduleIds() {
    clearTimeout(this.#idsTimer);
    this.#idsTimer = setTimeout(async () => {
      const view = this.#current()?.view;
      if (!view || !guard(() => view.ids_begin())) return;
      while (view === this.#current()?.view && guard(() => view.ids_poll())) await tick();
    }, IDS_REST_MS);
  }

  /** Stops the pending id-buffer read (the element is going away). */
  stop() {
    clearTimeout(this.#idsTimer);
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {Promise<number | null | 'failed'>}
   */
  #answer(x, y) {
    const current = this.#current();
    /** @type {Promise<number | null | 'failed'>} */
    const run = this.#chain.then(async () => {
      if (!current || current.view !== this.#current()?.view) return null;
      const t0 = performance.now();
      const answer = await pickWith(current.view, current.Pick, x, y);
      if (answer === current.Pick.Failed) {
        this.#onFailed();
        return 'failed';
      }
      this.samples.push(performance.now() - t0);
      return answer >= 0 ? answer : null;
    });
    this.#chain = run.catch(() => {});
    return run.catch((e) => {
      trapCheck(e);
      return /** @type {'failed'} */ ('failed');
    });
  }
}
