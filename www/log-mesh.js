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

import { loadModule, onPoison, poisonState, wasmBytes } from './modules.js';
import { MAX_3D_VIEWS, REPEAT_LOSS_MS, backendOf, chooseBackend, nextAfter, recover, startView } from './internal/backend.js';
import { HeldText, layOut, parse, text } from './internal/data.js';
import { loadGate } from './internal/gate.js';
import { Reporter } from './internal/events.js';
import { Lifecycle } from './internal/lifecycle.js';
import { pointArchive } from './internal/overlay.js';
import { Stage } from './internal/stage.js';
import { asFailure, failure, freeSite, freeView, guard, guardThrow, isFailure, postOf } from './internal/wasm.js';

/** @typedef {import('./index.js').LogMeshElement} LogMeshElement */
/** @typedef {import('./index.js').LogMeshStats} LogMeshStats */
/** @typedef {import('./internal/wasm.js').Kind} Kind */
/** @typedef {import('./internal/wasm.js').Loaded} Loaded */
/** @typedef {import('./internal/wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./internal/wasm.js').Failure} Failure */
/** @typedef {import('./internal/backend.js').Attempt} Attempt */
/** @typedef {import('./internal/lifecycle.js').Run} Run */
/** @typedef {import('./internal/lifecycle.js').Load} Load */

/**
 * Makes the element class on `Base` (HTMLElement in a browser). The return type is the
 * published one (index.d.ts): tsc checks the class against it.
 * @param {typeof HTMLElement} Base
 * @returns {new () => LogMeshElement}
 */
export function createLogMeshClass(Base) {
  /**
   * The elements that hold a 3D view or are starting one, counted against MAX_3D_VIEWS (an
   * element leaves when it shows 2D, fails, or leaves the page).
   * @type {Set<HTMLElement>}
   */
  const gpuHolders = new Set();
  return class LogMeshElement extends Base {
    static get observedAttributes() {
      return ['theme', 'log-level', 'archive', 'local', 'depth', 'filter'];
    }

    #life = new Lifecycle();
    /** The backend chosen in this run (once, for every load of the run). @type {Promise<Kind> | null} */
    #choice = null;
    #report = new Reporter(this);
    #stage = new Stage(this, this.#report, (why) => void this.#contextLost(why), (why) => void this.#tooLarge(why));
    /** A focusPost(id) asked for before the first graph was shown. @type {string | null} */
    #pendingFocus = null;
    /** When the GPU context was last lost (performance.now() ms): a loss soon after goes to 2D. */
    #lastLossAt = -Infinity;
    #recovering = false;
    /** @type {{firstFrameMs: number | null}} */
    #timing = { firstFrameMs: null };
    /** The texts of the graph shown, to start the 2D view from. @type {[string, string | null] | null} */
    #texts = null;
    /** The local graph asked for (`local` and `depth`, or setLocal), null for the whole graph. @type {{id: string, depth: number} | null} */
    #local = null;
    /** The filter (the `filter` attribute's tags, or setFilter), null for none. @type {{tags: string[], query: string} | null} */
    #filter = null;

    /** `static` -> `loading` -> `live`, or `error` (the static frame and links stay). */
    get state() {
      return this.#life.state;
    }

    connectedCallback() {
      pointArchive(this);
      if (this.#life.run) return;
      this.#start().catch((e) => this.#report.log('error', 'start failed', e));
    }

    disconnectedCallback() {
      this.destroy();
    }

    /** @param {string} name */
    attributeChangedCallback(name) {
      if (name === 'theme' && this.#stage.view) this.#stage.applyTheme();
      if (name === 'archive') pointArchive(this);
      if (name === 'filter') this.setFilter(this.#filterFromAttribute());
      if ((name === 'local' || name === 'depth') && this.#texts) {
        const local = this.#localFromAttributes();
        this.setLocal(local?.id ?? null, local?.depth).catch(() => {});
      }
    }

    // ----- public API -----

    /**
     * Replaces the graph: `posts` is an object (posts.json) or a URL; `layout` likewise and
     * optional. Resolves when the new graph is drawn; rejects with `{code, message}` and fires
     * `error` when it is bad, keeping the old graph. Supersedes the data still loading (the
     * `src` of the start, or an earlier call, which rejects with `aborted`).
     * @param {object | string} posts
     * @param {object | string} [layout]
     * @returns {Promise<void>}
     */
    setData(posts, layout) {
      return (async () => {
        const poisoned = poisonState();
        if (poisoned) throw failure(poisoned.code, poisoned.message);
        const run = this.#life.run;
        if (!run) throw failure('render', 'the element is not on the page');
        return this.#load(this.#life.load(run), posts, layout ?? null, false);
      })();
    }

    /**
     * Shows the local graph of post `id` to `depth` (1-3, default 1; outside, clamped with a
     * warning) of the data shown, or with `id` null the whole graph (docs/DESIGN.md, "Local
     * graph"). Resolves when it is drawn; an id that is not a post of the data rejects with
     * `data` and fires `error`, keeping what is shown.
     * @param {string | null} id
     * @param {number} [depth]
     * @returns {Promise<void>}
     */
    setLocal(id, depth = 1) {
      return (async () => {
        const poisoned = poisonState();
        if (poisoned) throw failure(poisoned.code, poisoned.message);
        const run = this.#life.run;
        if (!run) throw failure('render', 'the element is not on the page');
        this.#local = id === null || id === undefined ? null : { id: String(id), depth: this.#clampDepth(depth) };
        const texts = this.#texts;
        const src = this.getAttribute('src');
        // Nothing shown yet: the local graph applies to the data when it comes.
        if (!texts && !src) return;
        /** @type {[unknown, unknown]} */
        const [posts, layout] = texts
          ? [new HeldText(texts[0]), texts[1] === null ? null : new HeldText(texts[1])]
          : [src, this.getAttribute('layout')];
        return this.#load(this.#life.load(run), posts, layout, !texts);
      })();
    }

    /**
     * Dims the posts that do not pass: those without any of `tags` (none: every post passes
     * that test) or not matching `query` as `search` matches (empty: likewise). Positions never
     * move; dimmed posts stay pickable. Fires `filter` with `{count}` (the posts that pass) once
     * a graph is shown; kept for the graphs shown later. `setFilter()` or `setFilter(null)`
     * clears it.
     * @param {{tags?: string[], query?: string} | null} [filter]
     */
    setFilter(filter = null) {
      const tags = Array.isArray(filter?.tags) ? filter.tags.map(String).filter((t) => t !== '') : [];
      const query = typeof filter?.query === 'string' ? filter.query : '';
      this.#filter = tags.length || query.trim() ? { tags, query } : null;
      this.#applyFilter();
    }

    /**
     * The posts matching `query`, best first: exact titles, then titles starting with it, then
     * titles holding all its words, then tags; ties newest first (docs/DESIGN.md, "Search and
     * filter"). All posts of the graph shown, whatever the filter; the first results are ringed.
     * An empty array while no graph is shown.
     * @param {string} query
     * @returns {{id: string, title: string}[]}
     */
    search(query) {
      return this.#stage.search(String(query ?? ''));
    }

    /**
     * The tags of the graph shown, as written, with how many posts have each: the most used
     * first, ties by tag (what a page needs for tag chips). Empty before a graph is shown.
     * @returns {{tag: string, count: number}[]}
     */
    tags() {
      return this.#stage.tags();
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
        search_indexed: this.#stage.searchIndexed(),
        wasm_bytes: mod ? wasmBytes(mod.url) : 0,
      };
    }

    /** Releases the GPU context, listeners and pending fetches; the static frame shows again. */
    destroy() {
      gpuHolders.delete(this);
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

    /** `local` and `depth` as the local graph they ask for, or null. */
    #localFromAttributes() {
      const id = this.getAttribute('local');
      if (id === null || id === '') return null;
      const depth = this.getAttribute('depth');
      return { id, depth: this.#clampDepth(depth === null ? 1 : Number(depth)) };
    }

    /**
     * A local graph's depth: 1-3, rounded; anything else clamped (not a number: 1) with a warning.
     * @param {number} depth
     */
    #clampDepth(depth) {
      const n = Number.isFinite(depth) ? Math.round(depth) : 1;
      const clamped = Math.min(3, Math.max(1, n));
      if (clamped !== depth) this.#report.log('warn', `depth ${String(depth)} is outside 1-3; ${clamped} is used`);
      return clamped;
    }

    /** The `filter` attribute (comma-separated tags) as a filter, or null. */
    #filterFromAttribute() {
      const tags = (this.getAttribute('filter') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
      return tags.length ? { tags, query: '' } : null;
    }

    /** The filter on the view shown, and `filter` {count} (nothing while no graph is shown). */
    #applyFilter() {
      const count = this.#stage.applyFilter(this.#filter ?? { tags: [], query: '' });
      if (count !== null) this.#report.emit('filter', { count });
    }

    async #start() {
      const run = this.#life.start();
      this.#local = this.#localFromAttributes();
      this.#filter = this.#filterFromAttribute();
      this.#lastLossAt = -Infinity;
      this.#choice = null;
      const unpoison = onPoison((record) => this.#onPoisoned(record));
      run.signal.addEventListener('abort', unpoison, { once: true });
      const poisoned = poisonState();
      if (poisoned) return this.#onPoisoned(poisoned);
      // The load of `src` begins now, so that a setData while the gate is shut supersedes it.
      const load = this.#life.load(run);
      // The picture first: nothing the live view needs is fetched before the static frame has
      // loaded (under Save-Data, before the visitor reaches for the graph); `static` meanwhile.
      await loadGate(this, load.signal);
      const src = this.getAttribute('src');
      // Without `src` the element waits, static, for setData.
      if (!src || !this.#life.latest(load) || poisonState()) return;
      await this.#load(load, src, this.getAttribute('layout'), true).catch(() => {});
    }

    /**
     * Loads `posts` and `layout` (objects or URLs) and shows them: the backend is chosen (once a
     * run) while the data is fetched, then #startWith. Every step goes on only while `load` is
     * the latest; else it rejects with `aborted`, firing nothing. Other failures fire `error`;
     * they are fatal (state `error`) while nothing is live. With `fromSrc` (the start's own
     * files), a layout file that fails to load is reported and the posts laid out afresh.
     * @param {Load} load
     * @param {unknown} posts
     * @param {unknown} layout
     * @param {boolean} fromSrc
     * @returns {Promise<void>}
     */
    async #load(load, posts, layout, fromSrc) {
      if (this.state === 'static' || this.state === 'error') this.#life.to('loading');
      try {
        // A layout file that is not UTF-8 is an invalid one (`layout`: laid out afresh); with
        // `fromSrc`, so is one that does not load (`fetch`).
        const layoutText = layout == null ? null : text(layout, load.signal, 'layout').catch((e) => {
          const f = asFailure(e, 'fetch');
          if (fromSrc || f.code === 'layout') return f;
          throw f;
        });
        /** @type {[string, string | Failure | null]} */
        let fetched;
        try {
          fetched = await Promise.all([text(posts, load.signal, 'posts'), layoutText]);
        } catch (e) {
          this.#check(load);
          throw asFailure(e, 'fetch');
        }
        this.#check(load);
        const [postsText, layoutFetched] = fetched;
        if (isFailure(layoutFetched)) this.#report.error(failure(layoutFetched.code, `${layoutFetched.message}; laid out afresh`));
        // The module shown now, if any (a lost context may have brought the 2D one meanwhile).
        const mode = this.getAttribute('mode') || 'auto';
        let kind = this.#stage.mod?.kind ?? (await (this.#choice ??= chooseBackend(mode, (...args) => this.#report.fallback(...args))));
        this.#check(load);
        // A lost context sent the view to 2D, and a minute has passed without another loss: new
        // data gets the 3D backend chosen at the start again (a loss is often passing: a tab in
        // the background, a driver update).
        let upgrading = false;
        if (kind === '2d' && this.#choice && this.#report.reason === 'context-lost' && performance.now() - this.#lastLossAt > REPEAT_LOSS_MS) {
          const chosen = await this.#choice;
          this.#check(load);
          if (chosen !== '2d') {
            kind = chosen;
            upgrading = true;
          }
        }
        if (kind !== '2d' && !gpuHolders.has(this)) {
          // One more 3D view, unless the page holds as many as it may (counted synchronously,
          // so elements starting together cannot all pass).
          const others = gpuHolders.size;
          if (others >= MAX_3D_VIEWS) {
            this.#report.log('warn', `the page holds ${others} 3D views already; the 2D view takes over`);
            this.#report.fallback(backendOf(kind), 'canvas2d', 'too-many-views');
            kind = '2d';
            this.#choice = Promise.resolve(kind);
          } else {
            gpuHolders.add(this);
          }
        }
        const layoutGot = isFailure(layoutFetched) ? null : layoutFetched;
        try {
          await this.#startWith(load, kind, postsText, layoutGot, true);
          if (upgrading) this.#report.undo();
        } catch (e) {
          const f = asFailure(e, 'render');
          if (!upgrading || f.code !== 'render') throw f;
          // 3D did not come back: the 2D view shows the new data, as after the loss.
          this.#lastLossAt = performance.now();
          this.#report.log('warn', `3D did not come back (${f.message}); the 2D view stays`);
          await this.#startWith(load, '2d', postsText, layoutGot, false);
        }
      } catch (e) {
        const f = asFailure(e, 'render');
        if (f.code !== 'aborted' && f.code !== 'panic') this.#fail(f, this.state !== 'live');
        throw f;
      }
    }

    /**
     * Throws `aborted` when `load` was superseded or its run ended, `panic` once the module is
     * poisoned.
     * @param {Load} load
     */
    #check(load) {
      const poisoned = poisonState();
      if (poisoned) throw failure(poisoned.code, poisoned.message);
      if (!this.#life.latest(load)) throw failure('aborted', 'superseded by newer data or removed from the page');
    }

    /**
     * Loads the module for `kind`, parses, lays out and shows; while nothing is live, a view that
     * fails on first use hands over to the next module of the chain (internal/backend.js, NEXT).
     * Rejects with a failure (fired by the caller).
     * @param {Load} load
     * @param {Kind} kind
     * @param {string} postsText
     * @param {string | null} layoutText
     * @param {boolean} first  the first attempt (later ones parse the same files again and report nothing)
     * @returns {Promise<void>}
     */
    async #startWith(load, kind, postsText, layoutText, first) {
      /** @type {Loaded} */
      let mod;
      try {
        mod = await loadModule(kind);
      } catch (e) {
        this.#check(load);
        throw failure('render', `the ${kind} module did not load: ${asFailure(e, 'render').message}`);
      }
      this.#check(load);
      let site = this.#parse(mod, postsText, layoutText, first);
      if (isFailure(site)) throw site;
      try {
        // Both views need the layout: the 2D view is the 3D first frame drawn flat.
        await this.#layOut(site, () => this.#life.latest(load));
        this.#check(load);
        site = this.#localise(site);
        await this.#show(load.run, () => this.#life.latest(load), mod, site, kind);
      } catch (e) {
        freeSite(site);
        const f = asFailure(e, 'render');
        this.#check(load);
        if (f.code === 'data') throw f;
        const next = nextAfter(kind, f.code);
        if (!next || f.code === 'panic' || this.state === 'live') throw failure('render', f.message);
        this.#report.log('warn', `${next.failed} (${f.message}); ${next.then}`);
        this.#report.fallback(backendOf(kind), backendOf(next.next), next.reason);
        return this.#startWith(load, next.next, postsText, layoutText, false);
      }
      this.#texts = [postsText, layoutText];
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
     * `site` (laid out) as the local graph asked for: itself when none is, or when it is that
     * post's local graph already (a file prerender wrote, with its `centre`); else a new handle
     * of the local graph, `site` freed. Throws a `data` failure for an id not in `site`.
     * @param {SiteHandle} site
     * @returns {SiteHandle}
     */
    #localise(site) {
      const local = this.#local;
      if (!local || postOf(site, guard(() => site.centre_index()) ?? -1)?.id === local.id) return site;
      let sub;
      try {
        sub = guardThrow(() => site.local(local.id, local.depth));
      } catch (e) {
        throw asFailure(e, 'data');
      }
      freeSite(site);
      return sub;
    }

    /**
     * Lays `site` out while `going()` holds and the module is not poisoned.
     * @param {SiteHandle} site
     * @param {() => boolean} going
     */
    #layOut(site, going) {
      return layOut(site, () => going() && !poisonState());
    }

    /**
     * Starts a view of `site` (a handle of `mod`) on a fresh canvas and swaps it in once its
     * first frame is presented (the old view or the static frame stays until then); the element
     * is live from then on, and listens in `run`. Rejects (a failure) when the view cannot
     * start, when `attempt` is called off, or when it is no longer `wanted()` (superseded).
     * @param {Run} run
     * @param {() => boolean} wanted
     * @param {Loaded} mod
     * @param {SiteHandle} site
     * @param {Kind} kind
     * @param {Attempt | null} [attempt]
     */
    async #show(run, wanted, mod, site, kind, attempt = null) {
      const stage = this.#stage;
      const canvas = stage.newCanvas();
      const frame = { ...stage.size(), dpr: devicePixelRatio || 1, dark: stage.isDark() };
      const view = await startView(mod, site, canvas, frame, attempt, this.#timing).catch((e) => {
        canvas.remove();
        throw e;
      });
      if (!wanted() || !stage.holds(canvas)) {
        canvas.remove();
        freeView(view);
        throw failure('render', 'superseded');
      }
      stage.swap(mod, site, view, canvas, kind);
      if (kind === '2d') gpuHolders.delete(this);
      if (kind === 'webgl2') {
        canvas.addEventListener('webglcontextlost', (e) => {
          e.preventDefault();
          if (stage.view === view) this.#contextLost('the WebGL2 context was lost');
        }, { signal: run.signal });
      }
      this.#life.to('live');
      stage.listen(run.signal);
      this.#report.emit('ready', { mode: stage.mode, backend: stage.backend });
      if (this.#filter) this.#applyFilter();
      if (this.#pendingFocus !== null) {
        const id = this.#pendingFocus;
        this.#pendingFocus = null;
        this.focusPost(id);
      }
    }

    // ----- failures -----

    /**
     * A lost device or context while live: internal/backend.js's `recover` rebuilds 3D, or falls
     * back to 2D when the last loss was under REPEAT_LOSS_MS ago (docs/DESIGN.md:
     * `context-lost`). The selection is kept.
     * @param {string} why
     */
    #contextLost(why) {
      return this.#leave3d(`GPU context lost: ${why}`, 'context-lost');
    }

    /**
     * The element grew larger than the GPU draws: the 2D view takes over, once (`too-large`).
     * @param {string} why
     */
    #tooLarge(why) {
      return this.#leave3d(why, 'too-large');
    }

    /**
     * The live 3D view goes: rebuilt after a loss (see #contextLost), else the 2D view of the
     * same posts, reported as a `fallback` with `reason`. The selection is kept.
     * @param {string} why
     * @param {'context-lost' | 'too-large'} reason
     */
    async #leave3d(why, reason) {
      const run = this.#life.run;
      const { site, mod, view } = this.#stage;
      if (!run || !view || !site || !mod || this.state !== 'live' || this.#stage.mode === '2d' || this.#recovering) return;
      this.#recovering = true;
      // New data shown meanwhile (setData) makes the recovery moot.
      const wanted = () => this.#life.current(run) && this.#stage.site === site;
      try {
        this.#report.log('warn', why);
        const lost = reason === 'context-lost';
        const now = performance.now();
        const rebuild = lost && now - this.#lastLossAt > REPEAT_LOSS_MS;
        if (lost) {
          this.#lastLossAt = now;
          this.#stage.dropView();
        }
        await recover({
          rebuild,
          rebuild3d: (attempt) => this.#show(run, wanted, mod, site, mod.kind, attempt),
          prepare2d: (attempt) => this.#prepare2d(run, wanted, attempt),
          downgrade: () => this.#report.fallback(this.#stage.backend ?? backendOf(mod.kind), 'canvas2d', reason),
          log: (message) => this.#report.log('warn', message),
        });
      } catch (e) {
        if (wanted()) this.#fail(asFailure(e, 'render'), true);
      } finally {
        this.#recovering = false;
      }
    }

    /**
     * Loads the 2D module, parses the current posts there and shows them in 2D (see #show).
     * @param {Run} run
     * @param {() => boolean} wanted
     * @param {Attempt} attempt
     */
    async #prepare2d(run, wanted, attempt) {
      const mod = await loadModule('2d');
      const [postsText, layoutText] = this.#texts ?? ['', null];
      /** @type {SiteHandle} */
      let site = guardThrow(() => mod.glue.SiteHandle.parse(postsText, layoutText ?? undefined));
      try {
        // The 2D view is drawn from the layout (at once with a layout file, else in slices).
        await this.#layOut(site, wanted);
        if (attempt.cancelled) throw failure('render', 'superseded');
        site = this.#localise(site);
        await this.#show(run, wanted, mod, site, '2d', attempt);
      } catch (e) {
        freeSite(site);
        throw e;
      }
    }

    /**
     * A module trapped: the instance is dead and nothing of it may be called again. The run ends
     * with it (its loads, listeners and timers), and the element stays in `error`.
     * @param {{code: 'panic', message: string}} record
     */
    #onPoisoned(record) {
      gpuHolders.delete(this);
      this.#stage.picks.stop();
      this.#life.stop('error');
      this.#stage.clear({ freeTheSite: false, poisoned: true });
      this.#report.error(failure(record.code, record.message));
    }

    /**
     * Reports `f`; with `fatal` (the first data or no renderer) the element ends in `error`.
     * @param {Failure} f
     * @param {boolean} fatal
     */
    #fail(f, fatal) {
      if (fatal) {
        gpuHolders.delete(this);
        this.#stage.clear({ freeTheSite: false });
        this.#life.to('error');
      }
      this.#report.error(f);
    }
  };
}
