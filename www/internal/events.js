// How the element speaks: its events (docs/DESIGN.md: bubbling, composed, never `window`
// errors), the errors and downgrades it reports, and the console at its `log-level`. The last
// downgrade's reason is kept for `stats().reason`.
//
// Reporting never changes the element's state and never throws.

/** @typedef {import('./wasm.js').Failure} Failure */
/** @typedef {import('./backend.js').Backend} Backend */
/** @typedef {'error' | 'warn' | 'info' | 'debug'} Level */

/** @type {Record<string, number>} */
const LOG_LEVELS = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export class Reporter {
  #host;
  /** The last downgrade's reason (`stats().reason`), null while nothing was downgraded. @type {string | null} */
  reason = null;
  /** The reason before the last downgrade. @type {string | null} */
  #before = null;

  /** @param {HTMLElement} host */
  constructor(host) {
    this.#host = host;
  }

  /**
   * Fires `type` on the element; returns false when a listener cancelled it.
   * @param {string} type
   * @param {object} detail
   */
  emit(type, detail, cancelable = false) {
    return this.#host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  /**
   * Logs and fires `error` {code, message}.
   * @param {Failure} f
   */
  error(f) {
    this.log('error', `${f.code}: ${f.message}`);
    this.emit('error', { code: f.code, message: f.message });
  }

  /**
   * A downgrade: fires `fallback` {from, to, reason} and keeps the reason.
   * @param {Backend} from
   * @param {Backend} to
   * @param {string} reason
   */
  fallback(from, to, reason) {
    this.#before = this.reason;
    this.reason = reason;
    this.emit('fallback', { from, to, reason });
    this.log('info', `fallback ${from} -> ${to}: ${reason}`);
  }

  /** The last downgrade is undone (3D back after a lost context): the reason before it again. */
  undo() {
    this.log('info', `back from ${this.reason}`);
    this.reason = this.#before;
  }

  /**
   * Writes to the console when `level` is within the element's `log-level` (default `warn`).
   * @param {Level} level
   * @param {...unknown} args
   */
  log(level, ...args) {
    const wanted = LOG_LEVELS[this.#host.getAttribute('log-level') || 'warn'] ?? LOG_LEVELS.warn;
    if (LOG_LEVELS[level] > wanted) return;
    const write = level === 'error' ? console.error : level === 'warn' ? console.warn : level === 'info' ? console.info : console.debug;
    write('logmesh:', ...args);
  }
}
