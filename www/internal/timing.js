// Time: waiting for the next task or animation frame, and the timings kept for `stats()` (the
// last few hundred frame and pick durations, for percentiles, and the times frames were
// presented, for fps). Samples never read a clock themselves: callers pass the values.

/** Resolves in a later task (lets the page run between slices of work). */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
/** Resolves at the next animation frame. */
export const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

/** Samples kept per series. */
const LIMIT = 240;

export class Samples {
  /** @type {number[]} */
  #values = [];

  /** @param {number} value */
  push(value) {
    this.#values.push(value);
    if (this.#values.length > LIMIT) this.#values.shift();
  }

  /**
   * The `p`th percentile of the samples (nearest rank), or null when there are none.
   * @param {number} p
   */
  percentile(p) {
    if (this.#values.length === 0) return null;
    const sorted = [...this.#values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  /**
   * How many samples (times, ms) lie within `windowMs` before `now`.
   * @param {number} now
   * @param {number} windowMs
   */
  countWithin(now, windowMs) {
    return this.#values.filter((t) => now - t <= windowMs).length;
  }
}
