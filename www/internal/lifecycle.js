// The element's lifecycle as an explicit state machine (docs/DESIGN.md, "The element"):
//
//   static --start--> loading --shown--> live --shown--> live (new data, a rebuild, the 2D view)
//   loading | live --fail (fatal) / poison--> error --start--> loading
//   loading | live --stop (destroy, removed from the page)--> static
//   error --shown--> live (a good setData after bad first data)
//
// Every start and stop bumps a generation counter and makes a new run (an AbortController for
// its fetches and listeners): an async continuation holds the run it began in and goes on only
// while `current(run)` holds, so work of an earlier start or of a destroyed element stops at its
// next step. A transition the table does not allow throws: it is a bug in the element.
//
// This file never touches the DOM or wasm.

/** @typedef {'static' | 'loading' | 'live' | 'error'} State */
/** @typedef {{generation: number, signal: AbortSignal, abort: () => void}} Run */

/** @type {Record<State, State[]>} */
const ALLOWED = {
  static: ['loading', 'error'],
  loading: ['live', 'error', 'static'],
  live: ['live', 'error', 'static'],
  error: ['loading', 'live', 'error'],
};

export class Lifecycle {
  /** @type {State} */
  #state = 'static';
  #generation = 0;
  /** @type {Run | null} */
  #run = null;

  /** `static`, `loading`, `live` or `error`: the element's public `state`. */
  get state() {
    return this.#state;
  }

  /** Bumped on every start and stop. */
  get generation() {
    return this.#generation;
  }

  /** The run in progress (between start and stop), or null. */
  get run() {
    return this.#run;
  }

  /**
   * Begins a new run (after stopping any earlier one) and returns it; the state is left to the
   * caller (`loading`, or `error` when the module is poisoned already).
   * @returns {Run}
   */
  start() {
    this.#run?.abort();
    const controller = new AbortController();
    const run = { generation: ++this.#generation, signal: controller.signal, abort: () => controller.abort() };
    this.#run = run;
    return run;
  }

  /**
   * Ends the run: its fetches and listeners stop, its continuations are no longer current, and
   * `loading` or `live` go back to `static` (an `error` stays: the static frame shows either way).
   */
  stop() {
    this.#run?.abort();
    this.#run = null;
    this.#generation++;
    if (this.#state === 'loading' || this.#state === 'live') this.to('static');
  }

  /**
   * Whether `run` is the run in progress (not stopped, not superseded by a later start).
   * @param {Run | null | undefined} run
   */
  current(run) {
    return !!run && run === this.#run && run.generation === this.#generation && !run.signal.aborted;
  }

  /**
   * Moves to `next`; throws when the table above does not allow it.
   * @param {State} next
   */
  to(next) {
    if (!ALLOWED[this.#state].includes(next)) throw new Error(`logmesh: no transition from ${this.#state} to ${next}`);
    this.#state = next;
  }
}
