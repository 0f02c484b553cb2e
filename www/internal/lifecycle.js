// The element's lifecycle as an explicit state machine (docs/DESIGN.md, "The element"):
//
//   static --load--> loading --shown--> live --shown--> live (new data, a rebuild, the 2D view)
//   loading | live --fail (fatal)--> error --load--> loading
//   any --poison--> error (the run stops with it: nothing of the element works on)
//   loading | live --stop (destroy, removed from the page)--> static
//   error --shown--> live (a good setData after bad first data)
//
// Every start and stop bumps a generation counter and makes a new run (an AbortController for
// its fetches and listeners): an async continuation holds the run it began in and goes on only
// while `current(run)` holds, so work of an earlier start or of a destroyed element stops at its
// next step. Within a run each data load (the `src` of the start, or a `setData`) has its own
// AbortController: a new load supersedes the one in progress, whose fetches abort and whose
// continuations go on only while `latest(load)` holds, so the newest data always wins. A
// transition the table does not allow throws: it is a bug in the element.
//
// This file never touches the DOM or wasm.

/** @typedef {'static' | 'loading' | 'live' | 'error'} State */
/** @typedef {{generation: number, signal: AbortSignal, abort: () => void}} Run */
/** A data load of a run; its signal aborts when it is superseded or the run ends. */
/** @typedef {{run: Run, signal: AbortSignal}} Load */

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
  /** The load in progress and how to supersede it. @type {{load: Load, abort: () => void} | null} */
  #load = null;

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
    this.#abort();
    const controller = new AbortController();
    const run = { generation: ++this.#generation, signal: controller.signal, abort: () => controller.abort() };
    this.#run = run;
    return run;
  }

  /**
   * Begins a data load in `run`, superseding the load in progress.
   * @param {Run} run
   * @returns {Load}
   */
  load(run) {
    this.#load?.abort();
    const controller = new AbortController();
    const load = { run, signal: AbortSignal.any([run.signal, controller.signal]) };
    this.#load = { load, abort: () => controller.abort() };
    return load;
  }

  /**
   * Whether `load` is the load in progress of the run in progress.
   * @param {Load} load
   */
  latest(load) {
    return this.current(load.run) && this.#load?.load === load && !load.signal.aborted;
  }

  /**
   * Ends the run: its fetches and listeners stop, its continuations are no longer current, and
   * `loading` or `live` go back to `static` (an `error` stays: the static frame shows either
   * way). With `to` `error` (a panic) every state ends in `error`.
   * @param {'static' | 'error'} [to]
   */
  stop(to = 'static') {
    this.#abort();
    this.#generation++;
    if (to === 'error' || this.#state === 'loading' || this.#state === 'live') this.to(to);
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

  #abort() {
    this.#load?.abort();
    this.#load = null;
    this.#run?.abort();
    this.#run = null;
  }
}
