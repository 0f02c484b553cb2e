// <log-mesh>: the static frame from the first paint, then the live view on its first presented
// frame (docs/DESIGN.md, "The element", is the contract). This file is the element itself: its
// attributes, its lifecycle (a state machine with a generation counter, internal/lifecycle.js),
// start-up and recovery in order, its events and its public API. The machinery is internal:
// what is shown and what serves it (internal/stage.js: overlay, marks, frames, picks, input),
// the backend chain and context-loss recovery (internal/backend.js), data (internal/data.js)
// and the wasm boundary (internal/wasm.js). The wasm modules parse, lay out, draw and pick;
// nothing here computes a position.
//
// Importing this module touches no DOM global: the class is made by `createLogMeshClass`,
// called by `defineLogMesh` (index.js) only where custom elements exist.

import { isTrap, loadModule, onPoison, poisonState, wasmBytes } from './modules.js';
import { NEXT, backendOf, chooseBackend, recover, startView } from './internal/backend.js';
import { layOut, parse, text } from './internal/data.js';
import { loadGate } from './internal/gate.js';
import { Reporter } from './internal/events.js';
import { Lifecycle } from './internal/lifecycle.js';
import { Stage } from './internal/stage.js';
import { asFailure, failure, freeSite, freeView, guard, guardThrow, isFailure } from './internal/wasm.js';

/** @typedef {import('./index.js').LogMeshElement} LogMeshElement */
/** @typedef {import('./index.js').LogMeshStats} LogMeshStats */
/** @typedef {import('./internal/wasm.js').Kind} Kind */
/** @typedef {import('./internal/wasm.js').Loaded} Loaded */
/** @typedef {import('./internal/wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./internal/wasm.js').Failure} Failure */
/** @typedef {import('./internal/backend.js').Attempt} Attempt */
/** @typedef {import('./internal/lifecycle.js').Run} Run */

/**
 * Makes the element class on `Base` (HTMLElement in a browser). The return type is the
 * published one (index.d.ts): tsc checks the class against it.
 * @param {typeof HTMLElement} Base
 * @returns {new () => LogMeshElement}
 */
export function createLogMeshClass(Base) {
  return class LogMeshElement extends Base {
    static get observedAttributes() {
      return ['theme', 'log-level'];
    }

    #life = new Lifecycle();
    #report = new Reporter(this);
    #stage = new Stage(this, this.#report, (why) => void this.#contextLost(why));
    /** A focusPost(id) asked for before the first graph was shown. @type {string | null} */
    #pendingFocus = null;
    /** Whether 3D was rebuilt once after a lost context (a second loss goes to 2D). */
    #rebuilt = false;
    #recovering = false;
    /** @type {{firstFrameMs: number | null}} */
    #timing = { firstFrameMs: null };
    /** The texts of the graph shown, to start the 2D view from. @type {[string, string | null] | null} */
    #texts = null;

    /** `static` -> `loading` -> `live`, or `error` (the static frame and links stay). */
    get state() {
      return this.#life.state;
    }

    connectedCallback() {
      if (this.#life.run) return;
      this.#start().catch((e) => this.#report.log('error', 'start failed', e));
    }

    disconnectedCallback() {
      this.destroy();
    }

    /** @param {string} name */
    attributeChangedCallback(name) {
      if (name === 'theme' && this.#stage.view) this.#stage.applyTheme();
    }

    // ----- public API -----

    /**
     * Replaces the graph: `posts` is an object (posts.json) or a URL; `layout` likewise and
     * optional. Resolves when the new graph is drawn; rejects with `{code, message}` and fires
     * `error` when it is bad, keeping the old graph.
     * @param {object | string} posts
     * @param {object | string} [layout]
     * @returns {Promise<void>}
     */
    setData(posts, layout) {
      return (async () => {
        const run = this.#life.run;
        if (!run || !this.#stage.mod) throw failure('render', 'the element is not live');
        /** @type {[string, string | null]} */
        let texts;
        try {
          texts = await Promise.all([text(posts, run.signal), layout == null ? null : text(layout, run.signal)]);
        } catch (e) {
          const f = asFailure(e, 'fetch');
          this.#fail(f, false);
          throw f;
        }
        // The module shown now (a lost context may have brought the 2D one meanwhile).
        const mod = this.#stage.mod;
        const site = this.#parse(mod, texts[0], texts[1]);
        if (isFailure(site)) {
          this.#fail(site, false);
          throw site;
        }
        const kind = this.#stage.mode === '2d' ? '2d' : mod.kind;
        // Both views need the layout: the 2D view is the 3D first frame drawn flat.
        await this.#layOut(site, run);
        await this.#show(run, mod, site, kind);
        this.#texts = texts;
      })();
    }

    /**
     * Selects the post `id` and brings it into view; false for an unknown id.
     * @param {string} id
     */
    focusPost(id) {
      const site = this.#stage.site;
      const index = site ? guard(() => site.index_of(String(id))) : undefined;
      if (index === undefined || index === null) {
        if (!site) this.#pendingFocus = String(id);
        return false;
      }
      this.#stage.focus(index);
      return true;
    }

    clearSelection() {
      this.#stage.marks.select(-1);
    }

    /**
     * `{x, y, r, visible}` of post `id` in CSS px from the element's top left, or null.
     * @param {string} id
     */
    screenPosition(id) {
      return this.#stage.screenPosition(String(id));
    }

    /** @returns {LogMeshStats} */
    stats() {
      const now = performance.now();
      const { site, mod, frames, picks } = this.#stage;
      return {
        mode: this.#stage.mode,
        backend: this.#stage.backend,
        reason: this.#report.reason,
        fps: frames.presented.countWithin(now, 1000),
        frame_ms_p50: frames.frameMs.percentile(50),
        frame_ms_p95: frames.frameMs.percentile(95),
        pick_ms_p50: picks.samples.percentile(50),
        pick_ms_p95: picks.samples.percentile(95),
        posts: site ? guard(() => site.post_count()) ?? null : null,
        edges: site ? guard(() => site.edge_count()) ?? null : null,
        positions_hash: this.#stage.positionsHash(),
        wasm_bytes: mod ? wasmBytes(mod.url) : 0,
      };
    }

    /** Releases the GPU context, listeners and pending fetches; the static frame shows again. */
    destroy() {
      this.#stage.picks.stop();
      this.#life.stop();
      this.#stage.clear({ freeTheSite: true });
    }

    /** Debug builds of a page only (the `debug` attribute): panics inside wasm. */
    debugPanic() {
      const mod = this.#stage.mod;
      if (!this.hasAttribute('debug') || !mod) return false;
      guard(() => mod.glue.debug_panic());
      return true;
    }

    /** Debug pages only (the `debug` attribute): loses the GPU context as a browser might. */
    debugLoseContext() {
      const { view, canvas, mode, backend } = this.#stage;
      if (!this.hasAttribute('debug') || !view || mode !== '3d') return false;
      if (backend === 'webgl2') {
        canvas?.getContext('webgl2')?.getExtension('WEBGL_lose_context')?.loseContext();
      } else {
        // device.destroy(): the device is gone at once, as after a crashed GPU process (whose
        // loss the next frame or pick reports through the device-lost flag).
        guard(() => view.release());
        this.#contextLost('the device was destroyed');
      }
      return true;
    }

    // ----- start-up -----

    async #start() {
      const run = this.#life.start();
      this.#rebuilt = false;
      const unpoison = onPoison((record) => this.#onPoisoned(record));
      run.signal.addEventListener('abort', unpoison, { once: true });
      const poisoned = poisonState();
      if (poisoned) return this.#onPoisoned(poisoned);
      // The picture first: nothing the live view needs is fetched before the static frame has
      // loaded (under Save-Data, before the visitor reaches for the graph); `static` meanwhile.
      await loadGate(this, run.signal);
      if (!this.#life.current(run) || poisonState()) return;
      this.#life.to('loading');
      const src = this.getAttribute('src');
      const layoutUrl = this.getAttribute('layout');
      if (!src) return this.#fail(failure('data', 'the src attribute is missing'), true);

      // The data is fetched while the backend is chosen.
      const texts = Promise.all([text(src, run.signal), layoutUrl ? text(layoutUrl, run.signal).catch(() => null) : null]);
      texts.catch(() => {});
      /** @type {Kind} */
      let kind;
      try {
        kind = await chooseBackend(this.getAttribute('mode') || 'auto', (from, to, reason) => this.#report.fallback(from, to, reason));
      } catch (e) {
        return this.#fail(asFailure(e, 'render'), true);
      }
      if (!this.#life.current(run)) return;
      /** @type {[string, string | null]} */
      let fetched;
      try {
        fetched = await texts;
      } catch (e) {
        if (!this.#life.current(run)) return;
        return this.#fail(asFailure(e, 'fetch'), true);
      }
      if (!this.#life.current(run)) return;
      await this.#startWith(run, kind, ...fetched);
    }

    /**
     * Loads the module for `kind`, parses, lays out and shows; a view that fails on first use
     * hands over to the next module of the chain (internal/backend.js, NEXT).
     * @param {Run} run
     * @param {Kind} kind
     * @param {string} postsText
     * @param {string | null} layoutText
     * @returns {Promise<void>}
     */
    async #startWith(run, kind, postsText, layoutText) {
      /** @type {Loaded} */
      let mod;
      try {
        mod = await loadModule(kind);
      } catch (e) {
        if (isTrap(e)) return;
        return this.#fail(failure('render', `the ${kind} module did not load: ${asFailure(e, 'render').message}`), true);
      }
      if (!this.#life.current(run)) return;
      this.#stage.mod = mod;
      const site = this.#parse(mod, postsText, layoutText, this.state !== 'live');
      if (isFailure(site)) return this.#fail(site, this.state !== 'live');
      this.#texts = [postsText, layoutText];
      // Both views need the layout: the 2D view is the 3D first frame drawn flat.
      await this.#layOut(site, run);
      if (!this.#life.current(run)) return freeSite(site);
      try {
        await this.#show(run, mod, site, kind);
      } catch (e) {
        const f = asFailure(e, 'render');
        if (!this.#life.current(run) || poisonState()) return;
        freeSite(site);
        const next = NEXT[kind];
        if (next && f.code !== 'panic') {
          this.#report.log('warn', `${next.failed} (${f.message}); ${next.then}`);
          this.#report.fallback(backendOf(kind), backendOf(next.next), next.reason);
          return this.#startWith(run, next.next, postsText, layoutText);
        }
        this.#fail(failure('render', f.message), true);
      }
    }

    /**
     * A site handle of `mod`, or a `data` failure (fired by the caller). Fires `error` `layout`
     * itself, unless `report` is false (the same files parsed again).
     * @param {Loaded} mod
     * @param {string} postsText
     * @param {string | null} layoutText
     * @returns {SiteHandle | Failure}
     */
    #parse(mod, postsText, layoutText, report = true) {
      const parsed = parse(mod, postsText, layoutText);
      if (isFailure(parsed)) return parsed;
      if (parsed.layoutError && report) this.#report.error(failure('layout', parsed.layoutError));
      for (const w of parsed.warnings) this.#report.log('warn', w);
      return parsed.site;
    }

    /**
     * @param {SiteHandle} site
     * @param {Run} run
     */
    #layOut(site, run) {
      return layOut(site, () => this.#life.current(run) && !poisonState());
    }

    /**
     * Starts a view of `site` (a handle of `mod`) on a fresh canvas and swaps it in once its
     * first frame is presented (the old view or the static frame stays until then); the element
     * is live from then on. Rejects (a failure) when the view cannot start, when `attempt` is
     * called off, or when the run is over.
     * @param {Run} run
     * @param {Loaded} mod
     * @param {SiteHandle} site
     * @param {Kind} kind
     * @param {Attempt | null} [attempt]
     */
    async #show(run, mod, site, kind, attempt = null) {
      const stage = this.#stage;
      const canvas = stage.newCanvas();
      const frame = { ...stage.size(), dpr: devicePixelRatio || 1, dark: stage.isDark() };
      const view = await startView(mod, site, canvas, frame, attempt, this.#timing).catch((e) => {
        canvas.remove();
        throw e;
      });
      if (!this.#life.current(run) || !stage.holds(canvas)) {
        canvas.remove();
        freeView(view);
        throw failure('render', 'superseded');
      }
      stage.swap(mod, site, view, canvas, kind);
      if (kind === 'webgl2') {
        canvas.addEventListener('webglcontextlost', (e) => {
          e.preventDefault();
          if (stage.view === view) this.#contextLost('the WebGL2 context was lost');
        }, { signal: run.signal });
      }
      const first = this.state !== 'live';
      this.#life.to('live');
      if (first) stage.listen(run.signal);
      this.#report.emit('ready', { mode: stage.mode, backend: stage.backend });
      if (this.#pendingFocus !== null) {
        const id = this.#pendingFocus;
        this.#pendingFocus = null;
        this.focusPost(id);
      }
    }

    // ----- failures -----

    /**
     * A lost device or context while live: internal/backend.js's `recover` rebuilds 3D once or
     * falls back to 2D (docs/DESIGN.md: `context-lost`). The selection is kept.
     * @param {string} why
     */
    async #contextLost(why) {
      const run = this.#life.run;
      const { site, mod, view } = this.#stage;
      if (!run || !view || !site || !mod || this.state !== 'live' || this.#stage.mode === '2d' || this.#recovering) return;
      this.#recovering = true;
      try {
        this.#report.log('warn', `GPU context lost: ${why}`);
        this.#stage.dropView();
        await recover({
          rebuilt: this.#rebuilt,
          rebuild: (attempt) => {
            this.#rebuilt = true;
            return this.#show(run, mod, site, mod.kind, attempt);
          },
          prepare2d: (attempt) => this.#prepare2d(run, attempt),
          downgrade: () => this.#report.fallback(this.#stage.backend ?? backendOf(mod.kind), 'canvas2d', 'context-lost'),
          log: (message) => this.#report.log('warn', message),
        });
      } catch (e) {
        this.#fail(asFailure(e, 'render'), true);
      } finally {
        this.#recovering = false;
      }
    }

    /**
     * Loads the 2D module, parses the current posts there and shows them in 2D (see #show).
     * @param {Run} run
     * @param {Attempt} attempt
     */
    async #prepare2d(run, attempt) {
      const mod = await loadModule('2d');
      const [postsText, layoutText] = this.#texts ?? ['', null];
      const site = guardThrow(() => mod.glue.SiteHandle.parse(postsText, layoutText ?? undefined));
      try {
        // The 2D view is drawn from the layout (at once with a layout file, else in slices).
        await this.#layOut(site, run);
        if (attempt.cancelled) throw failure('render', 'superseded');
        await this.#show(run, mod, site, '2d', attempt);
      } catch (e) {
        freeSite(site);
        throw e;
      }
    }

    /**
     * A module trapped: the instance is dead and nothing of it may be called again.
     * @param {{code: 'panic', message: string}} record
     */
    #onPoisoned(record) {
      this.#stage.clear({ freeTheSite: false, poisoned: true });
      this.#life.to('error');
      this.#report.error(failure(record.code, record.message));
    }

    /**
     * Reports `f`; with `fatal` (the first data or no renderer) the element ends in `error`.
     * @param {Failure} f
     * @param {boolean} fatal
     */
    #fail(f, fatal) {
      if (fatal) {
        this.#stage.clear({ freeTheSite: false });
        this.#life.to('error');
      }
      this.#report.error(f);
    }
  };
}
