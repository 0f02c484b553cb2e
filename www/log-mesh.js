// <log-mesh>: the static frame from the first paint, then the live view on its first presented
// frame (docs/DESIGN.md, "The element"). This file is glue: the wasm module parses, lays out, draws
// and picks; here are the DOM, the pointer, the events and the states.
//
// Importing this module touches no DOM global: the class is made by `createLogMeshClass`,
// called by `defineLogMesh` (index.js) only where custom elements exist.

import { isTrap, loadModule, onPoison, poison, poisonState, wasmBytes } from './modules.js';

const LOG_LEVELS = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };
const PICK_PENDING = -2;
const PICK_FAILED = -3;
/** Target length of one layout slice on the main thread, ms. */
const LAYOUT_SLICE_MS = 12;
/** Pointer travel (CSS px) below which a press is a click or tap, not a drag. */
const DRAG_THRESHOLD_PX = 4;
/** After a lost context the rebuilt 3D view must be live within this many ms, or 2D takes over. */
const REBUILD_DEADLINE_MS = 500;
/** Once the camera has rested this long (ms) the whole id buffer is read back for instant picks. */
const IDS_REST_MS = 120;
/** Samples kept for the frame and pick percentiles. */
const SAMPLES = 240;
/** Rings round the hovered, selected and focused post (CSS px): gap to the disc, width, dashes. */
const RINGS = {
  hovered: { gap: 1.5, width: 2, dash: null },
  selected: { gap: 1.5, width: 3, dash: null },
  focused: { gap: 5, width: 1.5, dash: '4 3' },
};
const SVG_NS = 'http://www.w3.org/2000/svg';
/** docs/DESIGN.md's `small-touch-screen`: true even on pages without a viewport meta tag. */
const SMALL_TOUCH_SCREEN = '(pointer: coarse) and (max-device-width: 599px)';
/** Arrow keys: the direction on screen (y down). */
const ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

function percentile(samples, p) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function pushSample(samples, value) {
  samples.push(value);
  if (samples.length > SAMPLES) samples.shift();
}

/** A rejection value and `error` detail: `{code, message}` (an Error, for stack traces). */
function failure(code, message) {
  return Object.assign(new Error(message), { code });
}

/** Whether wasm said `{code, message}` (a WebError) or something else went wrong. */
function asFailure(error, fallbackCode) {
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const f = failure(error.code, error.message);
    if (typeof error.free === 'function') error.free();
    return f;
  }
  return failure(fallbackCode, String(error?.message ?? error));
}

function setStyles(element, styles) {
  for (const [name, value] of Object.entries(styles)) element.style.setProperty(name, value);
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

/** Makes the element class on `Base` (HTMLElement in a browser). */
export function createLogMeshClass(Base) {
  return class LogMeshElement extends Base {
    static get observedAttributes() {
      return ['theme', 'log-level'];
    }

    #state = 'static';
    #run = null; // AbortController of the current start: fetches and listeners
    #mod = null;
    #site = null;
    #view = null;
    #backend = null;
    #mode = null;
    #reason = null;
    #layer = null;
    #canvas = null;
    #labels = null;
    #labelGroup = null;
    #ringGroup = null;
    #colours = null;
    #tooltip = null;
    #status = null;
    #hovered = -1;
    #selected = -1;
    #focused = -1;
    #tipFor = -1;
    #renderQueued = false;
    #frameMs = [];
    #pickMs = [];
    #presented = [];
    #pickChain = Promise.resolve();
    #hoverWanted = null;
    #hoverBusy = false;
    #pendingFocus = null;
    #rebuilt = false;
    #recovering = false;
    #firstFrameMs = null;
    #texts = null; // [posts, layout] of the graph shown, to start the 2D view from
    #hash2d = null;
    #idsTimer = 0;
    #unpoison = null;
    #themeQuery = null;

    /** `static` -> `loading` -> `live`, or `error` (the static frame and links stay). */
    get state() {
      return this.#state;
    }

    connectedCallback() {
      if (this.#run) return;
      this.#start().catch((e) => this.#log('error', 'start failed', e));
    }

    disconnectedCallback() {
      this.destroy();
    }

    attributeChangedCallback(name) {
      if (name === 'theme' && this.#view) this.#applyTheme();
    }

    // ----- public API -----

    /**
     * Replaces the graph: `posts` is an object (posts.json) or a URL; `layout` likewise and
     * optional. Resolves when the new graph is drawn; rejects with `{code, message}` and fires
     * `error` when it is bad, keeping the old graph.
     */
    setData(posts, layout) {
      return (async () => {
        if (!this.#run || !this.#mod) throw failure('render', 'the element is not live');
        const signal = this.#run.signal;
        let texts;
        try {
          texts = await Promise.all([this.#text(posts, signal), layout == null ? null : this.#text(layout, signal)]);
        } catch (e) {
          const f = asFailure(e, 'fetch');
          this.#fail(f, false);
          throw f;
        }
        const site = this.#parse(texts[0], texts[1]);
        if (site instanceof Error) {
          this.#fail(site, false);
          throw site;
        }
        const kind = this.#mode === '2d' ? '2d' : this.#mod.kind;
        if (kind !== '2d') await this.#layout(site, signal);
        await this.#showSite(site, kind);
        this.#texts = texts;
      })();
    }

    /** Selects the post `id` and brings it into view; false for an unknown id. */
    focusPost(id) {
      const index = this.#site ? this.#guard(() => this.#site.index_of(String(id))) : undefined;
      if (index === undefined || index === null) {
        if (!this.#site) this.#pendingFocus = String(id);
        return false;
      }
      this.#select(index);
      this.#guard(() => this.#view?.focus(index));
      this.#requestRender();
      return true;
    }

    clearSelection() {
      this.#select(-1);
    }

    /** `{x, y, r, visible}` of post `id` in CSS px from the element's top left, or null. */
    screenPosition(id) {
      if (!this.#site || !this.#view) return null;
      const index = this.#guard(() => this.#site.index_of(String(id)));
      if (index === undefined || index === null) return null;
      const p = this.#guard(() => this.#view.screen_position(index));
      if (!p) return null;
      return { x: p[0], y: p[1], r: p[2], visible: p[3] > 0 };
    }

    stats() {
      const now = performance.now();
      const site = this.#site;
      return {
        mode: this.#mode,
        backend: this.#backend,
        reason: this.#reason,
        fps: this.#presented.filter((t) => now - t <= 1000).length,
        frame_ms_p50: percentile(this.#frameMs, 50),
        frame_ms_p95: percentile(this.#frameMs, 95),
        pick_ms_p50: percentile(this.#pickMs, 50),
        pick_ms_p95: percentile(this.#pickMs, 95),
        posts: site ? this.#guard(() => site.post_count()) ?? null : null,
        edges: site ? this.#guard(() => site.edge_count()) ?? null : null,
        positions_hash: site ? this.#positionsHash(site) : null,
        wasm_bytes: this.#mod ? wasmBytes(this.#mod.url) : 0,
      };
    }

    /** The hash of the positions drawn: the 3D layout's, or in 2D the radial layout's. */
    #positionsHash(site) {
      if (this.#mode !== '2d') return this.#guard(() => site.positions_hash()) ?? null;
      this.#hash2d ??= this.#guard(() => site.radial_hash()) ?? null;
      return this.#hash2d;
    }

    /** Releases the GPU context, listeners and pending fetches; the static frame shows again. */
    destroy() {
      clearTimeout(this.#idsTimer);
      this.#run?.abort();
      this.#run = null;
      this.#unpoison?.();
      this.#unpoison = null;
      this.#teardownView(true);
      if (this.#state === 'loading' || this.#state === 'live') this.#state = 'static';
    }

    /** Debug builds of a page only (the `debug` attribute): panics inside wasm. */
    debugPanic() {
      if (!this.hasAttribute('debug') || !this.#mod) return false;
      this.#guard(() => this.#mod.glue.debug_panic());
      return true;
    }

    // ----- start-up -----

    async #start() {
      const run = new AbortController();
      this.#run = run;
      const { signal } = run;
      this.#rebuilt = false;
      this.#unpoison = onPoison((record) => this.#onPoisoned(record));
      if (poisonState()) return this.#onPoisoned(poisonState());
      this.#state = 'loading';
      const src = this.getAttribute('src');
      const layoutUrl = this.getAttribute('layout');
      if (!src) return this.#fail(failure('data', 'the src attribute is missing'), true);

      const texts = Promise.all([this.#text(src, signal), layoutUrl ? this.#text(layoutUrl, signal).catch(() => null) : null]);
      texts.catch(() => {});
      let kind;
      try {
        kind = await this.#chooseBackend();
      } catch (e) {
        return this.#fail(asFailure(e, 'render'), true);
      }
      if (signal.aborted) return;

      let postsText, layoutText;
      try {
        [postsText, layoutText] = await texts;
      } catch (e) {
        if (signal.aborted) return;
        return this.#fail(asFailure(e, 'fetch'), true);
      }
      if (signal.aborted) return;
      await this.#startWith(kind, postsText, layoutText, signal);
    }

    /**
     * 'webgpu', 'webgl2' or '2d', decided before anything heavy starts; records the reason of a
     * downgrade (docs/DESIGN.md: forced, small-touch-screen, no-webgpu, no-gpu-api).
     */
    async #chooseBackend() {
      const mode = this.getAttribute('mode') || 'auto';
      if (mode === '2d') {
        this.#downgrade('webgpu', 'canvas2d', 'forced');
        return '2d';
      }
      if (mode !== '3d' && matchMedia(SMALL_TOUCH_SCREEN).matches) {
        this.#downgrade('webgpu', 'canvas2d', 'small-touch-screen');
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
        this.#downgrade('webgpu', 'webgl2', 'no-webgpu');
        return 'webgl2';
      }
      this.#downgrade('webgpu', 'canvas2d', 'no-gpu-api');
      return '2d';
    }

    /** Loads the module for `kind` ('webgpu', 'webgl2' or '2d'), parses, lays out, shows. */
    async #startWith(kind, postsText, layoutText, signal, attempt = null) {
      let mod;
      const module = kind;
      try {
        mod = await loadModule(module);
      } catch (e) {
        if (isTrap(e)) return;
        return this.#fail(failure('render', `the ${module} module did not load: ${e?.message ?? e}`), true);
      }
      if (signal.aborted) return;
      this.#mod = mod;
      const site = this.#parse(postsText, layoutText, this.#state !== 'live');
      if (site instanceof Error) return this.#fail(site, this.#state !== 'live');
      this.#texts = [postsText, layoutText];
      if (kind !== '2d') await this.#layout(site, signal);
      if (signal.aborted) return site.free();
      try {
        await this.#showSite(site, kind, attempt);
      } catch (e) {
        if (signal.aborted || poisonState()) return;
        site.free();
        if (attempt?.cancelled) return;
        if (kind === 'webgpu' && e.code !== 'panic') {
          this.#log('warn', `WebGPU failed on first use (${e.message}); trying WebGL2`);
          this.#downgrade('webgpu', 'webgl2', 'webgpu-failed');
          return this.#startWith('webgl2', postsText, layoutText, signal);
        }
        if (kind === 'webgl2' && e.code !== 'panic') {
          this.#log('warn', `WebGL2 failed to start (${e.message}); the 2D view takes over`);
          this.#downgrade('webgl2', 'canvas2d', 'context-failed');
          return this.#startWith('2d', postsText, layoutText, signal);
        }
        this.#fail(failure('render', e.message), true);
      }
    }

    /** A Site, or a failure (`data`) after firing nothing. Fires `error` `layout` itself. */
    #parse(postsText, layoutText, report = true) {
      const mod = this.#mod;
      try {
        const site = mod.glue.Site.parse(postsText, layoutText ?? undefined);
        const layoutError = site.layout_error();
        if (layoutError && report) this.#emitError(failure('layout', layoutError));
        for (const w of site.warnings()) this.#log('warn', w);
        return site;
      } catch (e) {
        this.#trapCheck(e);
        return asFailure(e, 'data');
      }
    }

    /** Runs the layout in slices of about LAYOUT_SLICE_MS, yielding to the page between. */
    async #layout(site, signal) {
      let step = 1;
      for (;;) {
        const t0 = performance.now();
        const done = this.#guard(() => site.layout_step(step));
        if (done) return;
        if (signal.aborted) return;
        const perIteration = Math.max(0.01, (performance.now() - t0) / step);
        step = Math.max(1, Math.min(300, Math.floor(LAYOUT_SLICE_MS / perIteration)));
        await tick();
      }
    }

    /**
     * Starts a view of `site` on a fresh canvas ('webgpu' and 'webgl2': 3D, checked by a GPU
     * pick of the first frame; '2d': the Canvas2D view), then swaps: the old view or the static
     * frame goes only once the new frame is presented. The selection is kept (by id). `mod` is
     * the module `site` belongs to. Rejects (a failure) when the view cannot start.
     */
    async #showSite(site, kind, attempt = null, mod = this.#mod) {
      const layer = this.#ensureLayer();
      const canvas = document.createElement('canvas');
      setStyles(canvas, { position: 'absolute', inset: '0', width: '100%', height: '100%', display: 'block', 'touch-action': 'none', 'z-index': '0' });
      layer.prepend(canvas);
      const { width, height } = this.#size();
      const dpr = devicePixelRatio || 1;
      let view;
      try {
        if (kind === '2d') {
          view = this.#guardThrow(() => site.view_2d(canvas, width, height, dpr, this.#isDark()));
          this.#guardThrow(() => view.render());
        } else {
          const setup = this.#guardThrow(() => site.view_setup(canvas));
          view = await mod.glue.start_view(setup, width, height, dpr, this.#isDark());
          // A rebuild stops here, before its first frame, if it is past its deadline or if a
          // frame (as long as the last ones took: WebGL2 draws on this thread) would end past it.
          await tick();
          if (attempt?.cancelled) throw failure('render', 'superseded');
          const firstMs = this.#firstFrameMs ?? 0;
          if (attempt?.deadline && performance.now() + firstMs > attempt.deadline) {
            throw failure('render', `a first frame (${firstMs.toFixed(0)} ms last time) would end past the deadline`);
          }
          const t0 = performance.now();
          this.#guardThrow(() => view.render());
          const probe = await this.#pickWith(view, 0.5, 0.5);
          // A first frame (shaders compiled, drawn, read back) costs more than later ones.
          this.#firstFrameMs = performance.now() - t0;
          await nextFrame();
          await nextFrame();
          const lost = this.#guardThrow(() => view.lost());
          if (probe === PICK_FAILED || lost) throw failure('render', lost || 'the first frame could not be read back');
        }
      } catch (e) {
        this.#trapCheck(e);
        canvas.remove();
        if (view) this.#freeView(view);
        throw asFailure(e, 'render');
      }
      if (attempt?.go) await attempt.go;
      if (attempt?.cancelled) {
        // Superseded (a rebuild that came too late, a 2D view not needed): drop it.
        canvas.remove();
        this.#freeView(view);
        throw failure('render', 'superseded');
      }
      // The swap: new canvas and site in, old ones out, picture hidden.
      const keep = this.#selected >= 0 && this.#site ? this.#guard(() => this.#site.id(this.#selected)) : null;
      const oldSite = this.#site;
      const oldView = this.#view;
      const oldCanvas = this.#canvas;
      this.#mod = mod;
      this.#site = site;
      this.#view = view;
      this.#canvas = canvas;
      this.#backend = kind === '2d' ? 'canvas2d' : kind;
      this.#mode = kind === '2d' ? '2d' : '3d';
      this.#hash2d = null;
      this.#hovered = this.#selected = this.#focused = -1;
      this.#hideTooltip();
      if (oldView) this.#freeView(oldView);
      oldCanvas?.remove();
      if (oldSite && oldSite !== site && !poisonState()) oldSite.free();
      if (kind === 'webgl2') {
        canvas.addEventListener('webglcontextlost', (e) => {
          e.preventDefault();
          if (this.#view === view) this.#contextLost('the WebGL2 context was lost');
        }, { signal: this.#run.signal });
      }
      this.#setStatic(false);
      layer.setAttribute('aria-label', `Graph of ${site.post_count()} posts. Arrow keys move between posts, Enter opens one, Escape clears.`);
      this.#updateOverlay();
      this.#scheduleIds();
      const first = this.#state !== 'live';
      this.#state = 'live';
      if (first) this.#listen();
      if (keep !== null) {
        const index = this.#guard(() => site.index_of(keep));
        if (index !== undefined && index !== null) {
          this.#selected = index;
          this.#updateRings();
        }
      }
      this.#emit('ready', { mode: this.#mode, backend: this.#backend });
      if (this.#pendingFocus !== null) {
        const id = this.#pendingFocus;
        this.#pendingFocus = null;
        this.focusPost(id);
      }
    }

    #ensureLayer() {
      if (this.#layer) return this.#layer;
      if (!this.style.position && getComputedStyle(this).position === 'static') this.style.position = 'relative';
      if (getComputedStyle(this).display === 'inline') this.style.display = 'block';
      const layer = document.createElement('div');
      layer.className = 'logmesh-live';
      layer.tabIndex = 0;
      layer.setAttribute('role', 'application');
      setStyles(layer, { position: 'absolute', inset: '0', overflow: 'hidden', 'z-index': '0' });
      // Until the swap the static frame lies over the live layer.
      for (const child of this.children) {
        if (child.classList.contains('logmesh-frame') || child.classList.contains('logmesh-overlay')) {
          setStyles(child, { position: child.classList.contains('logmesh-frame') ? 'relative' : 'absolute', 'z-index': '1' });
        }
      }
      const labels = document.createElementNS(SVG_NS, 'svg');
      labels.setAttribute('aria-hidden', 'true');
      labels.setAttribute('class', 'logmesh-live-labels');
      setStyles(labels, { position: 'absolute', inset: '0', width: '100%', height: '100%', 'pointer-events': 'none', overflow: 'hidden' });
      const labelGroup = document.createElementNS(SVG_NS, 'g');
      labelGroup.setAttribute('font-family', 'system-ui, sans-serif');
      labelGroup.setAttribute('font-size', '12');
      labelGroup.setAttribute('dominant-baseline', 'central');
      labelGroup.setAttribute('stroke-width', '3');
      labelGroup.setAttribute('stroke-linejoin', 'round');
      labelGroup.setAttribute('paint-order', 'stroke');
      const ringGroup = document.createElementNS(SVG_NS, 'g');
      ringGroup.setAttribute('fill', 'none');
      labels.append(labelGroup, ringGroup);
      const tooltip = document.createElement('div');
      tooltip.className = 'logmesh-tooltip';
      tooltip.setAttribute('role', 'tooltip');
      tooltip.hidden = true;
      setStyles(tooltip, { position: 'absolute', 'pointer-events': 'none', 'max-width': '18em', padding: '0.4em 0.6em', 'border-radius': '4px', font: '13px/1.4 system-ui, sans-serif', 'box-shadow': '0 2px 8px rgba(0,0,0,0.35)', 'z-index': '2', 'white-space': 'normal' });
      const status = document.createElement('div');
      status.setAttribute('aria-live', 'polite');
      setStyles(status, { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', 'clip-path': 'inset(50%)' });
      layer.append(labels, tooltip, status);
      this.prepend(layer);
      this.#layer = layer;
      this.#labels = labels;
      this.#labelGroup = labelGroup;
      this.#ringGroup = ringGroup;
      this.#tooltip = tooltip;
      this.#status = status;
      return layer;
    }

    /** Shows (true) or hides the static frame and its overlay. */
    #setStatic(visible) {
      for (const child of this.children) {
        if (child.classList.contains('logmesh-frame') || child.classList.contains('logmesh-overlay')) {
          child.style.visibility = visible ? '' : 'hidden';
        }
      }
      if (this.#layer) this.#layer.style.visibility = visible ? 'hidden' : '';
    }

    #size() {
      const rect = this.getBoundingClientRect();
      return { width: Math.max(1, rect.width), height: Math.max(1, rect.height) };
    }

    #isDark() {
      const theme = this.getAttribute('theme') || 'auto';
      if (theme === 'dark') return true;
      if (theme === 'light') return false;
      return !matchMedia('(prefers-color-scheme: light)').matches;
    }

    #applyTheme() {
      const dark = this.#isDark();
      this.#guard(() => this.#view?.set_dark(dark));
      const [text, background, hovered, selected, focused] = this.#guard(() => this.#mod.glue.theme_colours(dark)) ?? [];
      this.#colours = { text, background, hovered, selected, focused };
      if (this.#tooltip) setStyles(this.#tooltip, { background, color: text, border: `1px solid ${text}33` });
      this.#labelGroup?.setAttribute('fill', text);
      this.#labelGroup?.setAttribute('stroke', background);
      this.#updateRings();
      this.#requestRender();
    }

    // ----- interaction -----

    #listen() {
      const signal = this.#run.signal;
      const layer = this.#layer;
      const opts = { signal };
      const pointers = new Map();
      let press = null;
      let pinch = null;
      const at = (e) => {
        const rect = layer.getBoundingClientRect();
        return { x: e.clientX - rect.left, y: e.clientY - rect.top };
      };
      layer.addEventListener('pointerdown', (e) => {
        const p = at(e);
        pointers.set(e.pointerId, p);
        layer.setPointerCapture?.(e.pointerId);
        if (pointers.size === 1) {
          press = { ...p, start: p, button: e.button, dragged: false, pan: e.button === 2 || e.shiftKey || e.ctrlKey, type: e.pointerType };
        } else if (pointers.size === 2) {
          const [a, b] = [...pointers.values()];
          pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
          if (press) press.dragged = true;
        }
      }, opts);
      layer.addEventListener('pointermove', (e) => {
        const p = at(e);
        if (pointers.has(e.pointerId)) pointers.set(e.pointerId, p);
        if (pinch && pointers.size >= 2) {
          const [a, b] = [...pointers.values()];
          const distance = Math.hypot(a.x - b.x, a.y - b.y);
          const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
          if (pinch.distance > 0 && distance > 0) this.#guard(() => this.#view.zoom(distance / pinch.distance));
          this.#guard(() => this.#view.pan(mid.x - pinch.mid.x, mid.y - pinch.mid.y));
          pinch = { distance, mid };
          this.#requestRender();
          return;
        }
        if (press && pointers.has(e.pointerId)) {
          const dx = p.x - press.x;
          const dy = p.y - press.y;
          if (!press.dragged && Math.hypot(p.x - press.start.x, p.y - press.start.y) < DRAG_THRESHOLD_PX) return;
          press.dragged = true;
          press.x = p.x;
          press.y = p.y;
          if (press.pan) this.#guard(() => this.#view.pan(dx, dy));
          else this.#guard(() => this.#view.orbit(dx, dy));
          this.#requestRender();
          return;
        }
        if (e.pointerType !== 'touch') this.#hoverAt(p.x, p.y);
      }, opts);
      const release = (e) => {
        pointers.delete(e.pointerId);
        if (pointers.size < 2) pinch = null;
        if (pointers.size > 0) return;
        const done = press;
        press = null;
        if (e.type !== 'pointerup' || !done || done.dragged || done.button !== 0) return;
        const p = at(e);
        this.#activate(p.x, p.y, e, done.type);
      };
      layer.addEventListener('pointerup', release, opts);
      layer.addEventListener('pointercancel', release, opts);
      layer.addEventListener('pointerleave', (e) => {
        if (e.pointerType !== 'touch' && pointers.size === 0) this.#setHover(-1);
      }, opts);
      layer.addEventListener('mousedown', (e) => {
        if (e.button === 1) e.preventDefault(); // no autoscroll: a middle click opens, like a link
      }, opts);
      layer.addEventListener('auxclick', (e) => {
        if (e.button !== 1) return;
        const p = at(e);
        this.#pick(p.x, p.y).then((index) => {
          if (index >= 0) this.#open(index, true);
        });
      }, opts);
      layer.addEventListener('contextmenu', (e) => e.preventDefault(), opts);
      layer.addEventListener('wheel', (e) => {
        e.preventDefault();
        const lines = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
        this.#guard(() => this.#view.zoom(Math.exp(-e.deltaY * lines * 0.0015)));
        this.#requestRender();
      }, { signal, passive: false });
      layer.addEventListener('keydown', (e) => this.#key(e), opts);
      new ResizeObserverScoped(this, signal, () => this.#resized());
      if ((this.getAttribute('theme') || 'auto') === 'auto') {
        matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => this.#applyTheme(), opts);
      }
      this.#applyTheme();
    }

    #resized() {
      if (!this.#view) return;
      const { width, height } = this.#size();
      try {
        this.#guardThrow(() => this.#view.resize(width, height, devicePixelRatio || 1));
      } catch (e) {
        this.#trapCheck(e);
        this.#log('warn', 'resize failed', e);
        return;
      }
      this.#requestRender();
    }

    /**
     * Keyboard: arrows move to the nearest post in that direction on screen (the first press
     * picks the post nearest the centre), Enter opens, Escape clears, Home resets the view. The
     * focused post is ringed (dashed) and announced.
     */
    #key(e) {
      if (!this.#site || !this.#view) return;
      const arrow = ARROWS[e.key];
      if (arrow) {
        e.preventDefault();
        const from = this.#focused >= 0 ? this.#focused : this.#selected;
        const next = this.#guard(() => this.#view.neighbour(from, arrow[0], arrow[1]));
        if (next === undefined || next < 0) return;
        this.#focused = next;
        this.#select(next);
        this.#showTooltip(next);
        this.#updateRings();
        this.#announce(next);
        return;
      }
      if (e.key === 'Enter' && this.#selected >= 0) {
        e.preventDefault();
        this.#open(this.#selected, e.ctrlKey || e.metaKey);
      } else if (e.key === 'Escape') {
        this.#select(-1);
        this.#focused = -1;
        this.#hideTooltip();
        this.#updateRings();
      } else if (e.key === 'Home') {
        e.preventDefault();
        this.#guard(() => this.#view.reset_camera());
        this.#requestRender();
      }
    }

    /** Says the post's title, date and tags in the live region (screen readers). */
    #announce(index) {
      if (!this.#status || !this.#site) return;
      const site = this.#site;
      const parts = [site.title(index), site.date(index), site.tags(index).join(', '), site.url(index) ? 'Enter opens it' : ''];
      this.#status.textContent = parts.filter(Boolean).join('. ');
    }

    /** Click (mouse: select and open) or tap (touch: select, then open on a second tap). */
    async #activate(x, y, event, pointerType) {
      const index = await this.#pick(x, y);
      if (index < 0) {
        this.#select(-1);
        this.#hideTooltip();
        return;
      }
      if (pointerType === 'touch') {
        if (index === this.#selected) return this.#open(index, false);
        this.#select(index);
        this.#showTooltip(index);
        return;
      }
      this.#select(index);
      this.#open(index, event.ctrlKey || event.metaKey || event.shiftKey);
    }

    #hoverAt(x, y) {
      this.#hoverWanted = { x, y };
      if (this.#hoverBusy) return;
      this.#hoverBusy = true;
      (async () => {
        while (this.#hoverWanted) {
          const { x: hx, y: hy } = this.#hoverWanted;
          this.#hoverWanted = null;
          const index = await this.#pick(hx, hy);
          if (index !== PICK_FAILED) this.#setHover(index);
        }
        this.#hoverBusy = false;
      })();
    }

    #setHover(index) {
      const i = index >= 0 ? index : -1;
      if (i === this.#hovered) return;
      this.#hovered = i;
      const site = this.#site;
      if (i >= 0) {
        this.#emit('hover', { id: site.id(i), title: site.title(i) });
        this.#showTooltip(i);
      } else {
        this.#emit('hover', { id: null });
        if (this.#tipFor !== this.#selected || this.#selected < 0) this.#hideTooltip();
      }
      if (this.#layer) this.#layer.style.cursor = i >= 0 && site.url(i) ? 'pointer' : '';
      this.#updateRings();
    }

    #select(index) {
      const i = index >= 0 ? index : -1;
      if (i === this.#selected) return;
      this.#selected = i;
      const site = this.#site;
      if (i >= 0) {
        const detail = { id: site.id(i), title: site.title(i), url: site.url(i) ?? null };
        this.#emit('select', detail);
        if (this.#status) this.#status.textContent = detail.title;
      } else {
        this.#emit('select', { id: null });
      }
      this.#updateRings();
    }

    /** Fires `open` (cancelable) and, unless cancelled, follows the post's safe URL. */
    #open(index, newTab) {
      const url = this.#site.url(index);
      if (!url) return;
      const allowed = this.#emit('open', { id: this.#site.id(index), url }, true);
      if (!allowed) return;
      if (newTab) window.open(url, '_blank', 'noopener');
      else location.assign(url);
    }

    // ----- picking -----

    /** The post index under CSS point (x, y) of the frame on screen, -1 for none. */
    #pick(x, y) {
      const view = this.#view;
      const run = this.#pickChain.then(async () => {
        if (!view || view !== this.#view) return -1;
        const t0 = performance.now();
        const index = await this.#pickWith(view, x, y);
        if (index !== PICK_FAILED) pushSample(this.#pickMs, performance.now() - t0);
        else this.#checkLost();
        return index;
      });
      this.#pickChain = run.catch(() => {});
      return run.catch((e) => {
        this.#trapCheck(e);
        return PICK_FAILED;
      });
    }

    async #pickWith(view, x, y) {
      // The id buffer of the frame on screen, read back whole once the camera rested: answers
      // at once. Otherwise (the camera just moved) read the one pixel.
      const cached = this.#guardThrow(() => view.pick_cached(x, y));
      if (cached !== PICK_PENDING) return cached;
      while (!this.#guardThrow(() => view.pick_begin(x, y))) await tick();
      for (;;) {
        const answer = this.#guardThrow(() => view.pick_poll());
        if (answer !== PICK_PENDING) return answer;
        await tick();
      }
    }

    // ----- drawing -----

    #requestRender() {
      if (this.#renderQueued || !this.#view) return;
      this.#renderQueued = true;
      requestAnimationFrame(() => {
        this.#renderQueued = false;
        this.#drawNow();
      });
    }

    #drawNow() {
      const view = this.#view;
      if (!view) return;
      const t0 = performance.now();
      try {
        this.#guardThrow(() => view.render());
      } catch (e) {
        this.#trapCheck(e);
        if (e?.code === 'context-lost' || this.#guard(() => view.lost())) return this.#contextLost(e?.message);
        // A device on its way out fails its frames before its lost callback runs: give the
        // callback a moment before calling this an error.
        (async () => {
          for (let i = 0; i < 50 && this.#view === view; i++) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            const lost = this.#guard(() => view.lost());
            if (lost) return this.#contextLost(lost);
          }
          if (this.#view === view) this.#emitError(asFailure(e, 'render'));
        })();
        return;
      }
      const t1 = performance.now();
      pushSample(this.#frameMs, t1 - t0);
      pushSample(this.#presented, t1);
      this.#updateOverlay();
      this.#scheduleIds();
    }

    /** Reads the whole id buffer back once the camera has rested (a no-op if it is current). */
    #scheduleIds() {
      clearTimeout(this.#idsTimer);
      this.#idsTimer = setTimeout(async () => {
        const view = this.#view;
        if (!view || !this.#guard(() => view.ids_begin())) return;
        while (view === this.#view && this.#guard(() => view.ids_poll())) await tick();
      }, IDS_REST_MS);
    }

    #updateOverlay() {
      const view = this.#view;
      const group = this.#labelGroup;
      if (!view || !group) return;
      const placed = this.#guard(() => view.labels()) ?? [];
      const texts = [];
      const narrow = this.#size().width < 600;
      for (let k = 0; !narrow && k + 2 < placed.length; k += 3) {
        const text = document.createElementNS(SVG_NS, 'text');
        text.setAttribute('x', placed[k + 1].toFixed(2));
        text.setAttribute('y', placed[k + 2].toFixed(2));
        text.textContent = this.#guard(() => view.label_text(placed[k])) ?? '';
        texts.push(text);
      }
      group.replaceChildren(...texts);
      this.#updateRings();
      if (this.#tipFor >= 0) this.#placeTooltip(this.#tipFor);
    }

    /**
     * The hover, selection and focus rings, drawn over the frame rather than in it: changing
     * them costs no GPU frame. Selection is thicker and focus dashed, so colour is never the
     * only cue.
     */
    #updateRings() {
      const group = this.#ringGroup;
      const view = this.#view;
      if (!group || !view || !this.#colours) return;
      const circles = [];
      for (const [kind, index] of [['hovered', this.#hovered], ['selected', this.#selected], ['focused', this.#focused]]) {
        if (index < 0) continue;
        const p = this.#guard(() => view.screen_position(index));
        if (!p) continue;
        const ring = RINGS[kind];
        const circle = document.createElementNS(SVG_NS, 'circle');
        circle.setAttribute('cx', p[0].toFixed(2));
        circle.setAttribute('cy', p[1].toFixed(2));
        circle.setAttribute('r', (Math.max(p[2], 1) + ring.gap + ring.width / 2).toFixed(2));
        circle.setAttribute('stroke', this.#colours[kind]);
        circle.setAttribute('stroke-width', String(ring.width));
        if (ring.dash) circle.setAttribute('stroke-dasharray', ring.dash);
        circle.setAttribute('class', `logmesh-ring-${kind}`);
        circles.push(circle);
      }
      group.replaceChildren(...circles);
    }

    #showTooltip(index) {
      const tip = this.#tooltip;
      const site = this.#site;
      if (!tip || !site) return;
      const title = document.createElement('strong');
      title.textContent = site.title(index) ?? '';
      const lines = [title];
      const date = site.date(index);
      const tags = site.tags(index);
      if (date) lines.push(Object.assign(document.createElement('div'), { textContent: date }));
      if (tags.length) lines.push(Object.assign(document.createElement('div'), { textContent: tags.map((t) => `#${t}`).join(' ') }));
      tip.replaceChildren(...lines);
      tip.hidden = false;
      this.#tipFor = index;
      this.#placeTooltip(index);
    }

    #placeTooltip(index) {
      const tip = this.#tooltip;
      const p = this.#guard(() => this.#view?.screen_position(index));
      if (!tip || !p) return;
      const { width, height } = this.#size();
      // Right of the post and clear of its rings (the focus ring reaches r + 6.5 px).
      const x = Math.min(Math.max(0, p[0] + p[2] + 16), Math.max(0, width - tip.offsetWidth));
      const y = Math.min(Math.max(0, p[1] - tip.offsetHeight / 2), Math.max(0, height - tip.offsetHeight));
      tip.style.left = `${x}px`;
      tip.style.top = `${y}px`;
    }

    #hideTooltip() {
      if (this.#tooltip) this.#tooltip.hidden = true;
      this.#tipFor = -1;
    }

    // ----- failures -----

    #checkLost() {
      const lost = this.#guard(() => this.#view?.lost());
      if (lost) this.#contextLost(lost);
    }

    /**
     * A lost device or context while live: rebuild 3D once on a fresh canvas; if that fails or
     * is not live within REBUILD_DEADLINE_MS, or the context is lost again, the 2D view takes
     * over (docs/DESIGN.md: `context-lost`). The selection is kept.
     */
    async #contextLost(why) {
      if (!this.#view || this.#state !== 'live' || this.#mode === '2d' || this.#recovering) return;
      this.#recovering = true;
      try {
        this.#log('warn', `GPU context lost: ${why}`);
        const site = this.#site;
        const view = this.#view;
        this.#view = null;
        this.#freeView(view);
        // The 2D view (the 2D module, given the same posts) is prepared at once, beside the 3D
        // rebuild, and swapped in only if 3D does not come back in time: live again well
        // within a second either way.
        const to2d = { cancelled: false };
        to2d.go = new Promise((resolve) => (to2d.release = resolve));
        const prepared2d = this.#prepare2d(to2d).then(() => 'ok', (e) => e);
        if (!this.#rebuilt) {
          this.#rebuilt = true;
          const attempt = { cancelled: false, deadline: performance.now() + REBUILD_DEADLINE_MS };
          const deadline = new Promise((resolve) => setTimeout(() => resolve('late'), REBUILD_DEADLINE_MS));
          const rebuilt = this.#showSite(site, this.#backend, attempt).then(() => 'ok', (e) => e);
          const outcome = await Promise.race([rebuilt, deadline]);
          if (outcome === 'ok') {
            to2d.cancelled = true;
            to2d.release();
            return;
          }
          attempt.cancelled = true;
          this.#log('warn', `3D did not come back (${outcome === 'late' ? `not live within ${REBUILD_DEADLINE_MS} ms` : outcome.message})`);
        }
        this.#downgrade(this.#backend, 'canvas2d', 'context-lost');
        to2d.release();
        const outcome = await prepared2d;
        if (outcome !== 'ok') this.#fail(failure('render', `the 2D view did not start: ${outcome.message}`), true);
      } finally {
        this.#recovering = false;
      }
    }

    /** Loads the 2D module, parses the current posts there and shows them in 2D (see #showSite). */
    async #prepare2d(attempt) {
      const mod = await loadModule('2d');
      const [postsText, layoutText] = this.#texts;
      const site = this.#guardThrow(() => mod.glue.Site.parse(postsText, layoutText ?? undefined));
      try {
        await this.#showSite(site, '2d', attempt, mod);
      } catch (e) {
        if (!poisonState()) site.free();
        throw e;
      }
    }

    /** Debug pages only (the `debug` attribute): loses the GPU context as a browser might. */
    debugLoseContext() {
      if (!this.hasAttribute('debug') || !this.#view || this.#mode !== '3d') return false;
      if (this.#backend === 'webgl2') {
        this.#canvas.getContext('webgl2')?.getExtension('WEBGL_lose_context')?.loseContext();
      } else {
        // device.destroy(): the device is gone at once, as after a crashed GPU process (whose
        // loss the next frame or pick reports through the device-lost flag).
        this.#guard(() => this.#view.release());
        this.#contextLost('the device was destroyed');
      }
      return true;
    }

    #onPoisoned(record) {
      this.#view = null; // the instance is dead: nothing of it may be called again
      this.#site = null;
      this.#canvas = null;
      this.#layer?.remove();
      this.#layer = null;
      this.#setStatic(true);
      this.#state = 'error';
      this.#emitError(failure(record.code, record.message));
    }

    /** Reports `f`; with `fatal` (the first data or no renderer) the element ends in `error`. */
    #fail(f, fatal) {
      if (fatal) {
        this.#teardownView(false);
        this.#state = 'error';
      }
      this.#emitError(f);
    }

    #teardownView(freeSite) {
      if (this.#view) this.#freeView(this.#view);
      this.#view = null;
      if (freeSite && this.#site && !poisonState()) this.#site.free();
      this.#site = null;
      this.#layer?.remove();
      this.#layer = this.#canvas = this.#labels = this.#labelGroup = this.#ringGroup = this.#tooltip = this.#status = null;
      this.#setStatic(true);
    }

    #freeView(view) {
      if (poisonState()) return;
      try {
        view.release();
        view.free();
      } catch (e) {
        this.#trapCheck(e);
      }
    }

    #downgrade(from, to, reason) {
      this.#reason = reason;
      this.#emit('fallback', { from, to, reason });
      this.#log('info', `fallback ${from} -> ${to}: ${reason}`);
    }

    #emitError(f) {
      this.#log('error', `${f.code}: ${f.message}`);
      this.#emit('error', { code: f.code, message: f.message });
    }

    #emit(type, detail, cancelable = false) {
      return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
    }

    #log(level, ...args) {
      const wanted = LOG_LEVELS[this.getAttribute('log-level') || 'warn'] ?? LOG_LEVELS.warn;
      if (LOG_LEVELS[level] > wanted) return;
      const write = level === 'error' ? console.error : level === 'warn' ? console.warn : level === 'info' ? console.info : console.debug;
      write('logmesh:', ...args);
    }

    /** Calls into wasm; a trap poisons the module (every element returns to its static frame). */
    #guard(fn) {
      try {
        return fn();
      } catch (e) {
        this.#trapCheck(e);
        return undefined;
      }
    }

    #guardThrow(fn) {
      try {
        return fn();
      } catch (e) {
        this.#trapCheck(e);
        throw e;
      }
    }

    #trapCheck(e) {
      if (isTrap(e)) poison(e);
    }

    async #text(source, signal) {
      if (typeof source !== 'string') return JSON.stringify(source);
      const response = await fetch(new URL(source, document.baseURI), { signal });
      if (!response.ok) throw failure('fetch', `${source}: HTTP ${response.status}`);
      return response.text();
    }
  };
}

/** A ResizeObserver that stops with `signal`. */
class ResizeObserverScoped {
  constructor(target, signal, callback) {
    let first = true;
    const observer = new ResizeObserver(() => {
      if (first) {
        first = false; // the observation made on `observe`: nothing changed yet
        return;
      }
      callback();
    });
    observer.observe(target);
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  }
}
