// What a live <log-mesh> shows: the module, the site handle, the view and its canvas, swapped in
// together once a new view has presented its first frame; and the machinery that serves them:
// the overlay, the marks (hover, selection, focus), the frame loop, the pick queue, and for a run
// the input, resize and colour-scheme listeners.
//
// The stage never decides when to show what and never changes the element's state (that is the
// element's lifecycle, log-mesh.js); the only events it fires are the marks' (hover, select,
// open). Once the module is poisoned it forgets everything without calling into wasm.

import { Frames } from './frames.js';
import { listen } from './input.js';
import { Marks } from './marks.js';
import { Overlay, showStatic } from './overlay.js';
import { PickQueue } from './picks.js';
import { SearchIndex } from './search.js';
import { asFailure, coloursOf, freeSite, freeView, guard, guardThrow, pointOf, postOf } from './wasm.js';

/** @typedef {import('./wasm.js').Kind} Kind */
/** @typedef {import('./wasm.js').Loaded} Loaded */
/** @typedef {import('./wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./wasm.js').View} View */
/** @typedef {import('./backend.js').Backend} Backend */
/** @typedef {import('./events.js').Reporter} Reporter */

/** Most search results ringed on screen (the list returned holds them all). */
const MAX_RESULT_RINGS = 64;

export class Stage {
  /** The module of the view shown, which new data is parsed with; null while nothing is. @type {Loaded | null} */
  mod = null;
  /** @type {SiteHandle | null} */
  site = null;
  /** @type {View | null} */
  view = null;
  /** @type {HTMLCanvasElement | null} */
  canvas = null;
  /** @type {Backend | null} */
  backend = null;
  /** @type {'3d' | '2d' | null} */
  mode = null;
  /** @type {Overlay | null} */
  overlay = null;
  /** @type {string | null} */
  #hash2d = null;
  /** Search and filter's index, of the site it was made from. @type {{site: SiteHandle, index: SearchIndex} | null} */
  #index = null;
  /**
   * Whether the page has a finder (it asked for tags, a search or a filter): then search's index
   * of each site shown is made while the page is idle.
   */
  #finder = false;
  /** The site whose search index is being made while the page is idle. @type {SiteHandle | null} */
  #preparing = null;
  /** What input listens with (its `home()` after a new view). @type {{home: () => void} | null} */
  #input = null;
  /** Ends the listening of `listen` (on `clear`, or with the run). @type {AbortController | null} */
  #listening = null;
  #host;
  #report;
  /** Called when the GPU context or device is lost. */
  #lost;
  /** Called when the element grew larger than the GPU draws. */
  #tooLarge;
  marks;
  frames;
  picks;

  /**
   * @param {HTMLElement} host
   * @param {Reporter} report
   * @param {(why: string) => void} lost
   * @param {(why: string) => void} tooLarge
   */
  constructor(host, report, lost, tooLarge) {
    this.#host = host;
    this.#report = report;
    this.#lost = lost;
    this.#tooLarge = tooLarge;
    this.marks = new Marks({
      site: () => this.site,
      view: () => this.view,
      overlay: () => this.overlay,
      emit: (type, detail, cancelable) => report.emit(type, detail, cancelable),
    });
    this.frames = new Frames({
      view: () => this.view,
      drawn: (view) => {
        this.overlay?.update(view, this.marks);
        this.picks.scheduleIds();
      },
      lost,
      failed: (f) => report.error(f),
    });
    this.picks = new PickQueue(
      () => (this.view && this.mod ? { view: this.view, Pick: this.mod.glue.Pick } : null),
      () => this.checkLost(),
    );
  }

  /** A fresh canvas in the live layer (made on first use, under the static frame until the swap). */
  newCanvas() {
    this.overlay ??= new Overlay(this.#host);
    return this.overlay.addCanvas();
  }

  /**
   * Whether `canvas` (from newCanvas) is still in the live layer: false once the stage was
   * cleared meanwhile (a fatal error, a panic), when a view started on it must not be shown.
   * @param {HTMLCanvasElement} canvas
   */
  holds(canvas) {
    return !!this.overlay && canvas.parentElement === this.overlay.layer;
  }

  /** The element's size in CSS px (at least 1 x 1). */
  size() {
    const rect = this.#host.getBoundingClientRect();
    return { width: Math.max(1, rect.width), height: Math.max(1, rect.height) };
  }

  /** Whether the dark theme applies (`theme`, or with `auto` the colour scheme). */
  isDark() {
    const theme = this.#host.getAttribute('theme') || 'auto';
    if (theme === 'dark') return true;
    if (theme === 'light') return false;
    return !matchMedia('(prefers-color-scheme: light)').matches;
  }

  /**
   * The swap: `view` (of `site`, a handle of `mod`) on `canvas` in, the old ones out and freed,
   * the static frame hidden. The selection is kept by id. `canvas` must be held (`holds`).
   * @param {Loaded} mod
   * @param {SiteHandle} site
   * @param {View} view
   * @param {HTMLCanvasElement} canvas
   * @param {Kind} kind
   */
  swap(mod, site, view, canvas, kind) {
    const overlay = /** @type {Overlay} */ (this.overlay);
    const selected = this.marks.selected;
    const keep = selected >= 0 && this.site ? postOf(this.site, selected)?.id ?? null : null;
    const old = { site: this.site, view: this.view, canvas: this.canvas };
    this.mod = mod;
    this.site = site;
    this.view = view;
    this.canvas = canvas;
    this.backend = kind === '2d' ? 'canvas2d' : kind;
    this.mode = kind === '2d' ? '2d' : '3d';
    this.#hash2d = null;
    this.marks.reset();
    this.marks.centre = guard(() => site.centre_index()) ?? -1;
    this.#input?.home(); // a new view starts at its first frame's camera
    // Until the camera moves, the labels are the static frame's, so the swap changes none.
    const frame = prerenderedSize(this.#host, this.mode);
    if (frame) guard(() => view.set_prerendered(frame.width, frame.height));
    if (old.view) freeView(old.view);
    old.canvas?.remove();
    if (old.site !== site) freeSite(old.site);
    overlay.setColours(coloursOf(site, this.isDark())); // this site's colours (its page data's)
    showStatic(this.#host, false, overlay);
    overlay.layer.setAttribute('aria-label', `Graph of ${guard(() => site.post_count())} posts. Arrow keys move between posts, Enter opens one, Escape clears.`);
    overlay.update(view, this.marks);
    this.picks.scheduleIds();
    // Search's index of an old site goes with it. A page with a finder has the new one made
    // while idle; one that never searches pays nothing for it, in time or memory.
    if (this.#index?.site !== site) this.#index = null;
    if (this.#finder) this.prepareSearch();
    const index = keep === null ? undefined : guard(() => site.index_of(keep));
    if (index !== undefined && index !== null) {
      this.marks.selected = index;
      this.marks.rings();
    }
  }

  /**
   * Input, resize and colour-scheme changes, until `signal` aborts or the stage is cleared; then
   * the theme applied. Nothing more while it listens already.
   * @param {AbortSignal} runSignal
   */
  listen(runSignal) {
    if (this.#listening && !this.#listening.signal.aborted) return;
    const listening = (this.#listening = new AbortController());
    const signal = AbortSignal.any([runSignal, listening.signal]);
    const overlay = /** @type {Overlay} */ (this.overlay);
    /** @param {(view: View) => void} move */
    const camera = (move) => {
      const view = this.view;
      if (view) guard(() => move(view));
      this.frames.request();
    };
    const live = () => !!this.site && !!this.view;
    const marks = this.marks;
    this.#input = listen(overlay.layer, signal, {
      orbit: (dx, dy) => camera((view) => view.orbit(dx, dy)),
      pan: (dx, dy) => camera((view) => view.pan(dx, dy)),
      zoom: (factor, x, y) => camera((view) => view.zoom(factor, x, y)),
      hover: (x, y) => this.picks.hover(x, y, (index) => marks.hover(index ?? -1)),
      leave: () => marks.hover(-1),
      activate: (x, y, how) => {
        if (how.touch) marks.activate(this.picks.touch(x, y), how);
        else void this.picks.pick(x, y).then((index) => marks.activate(index, how));
      },
      openInNewTab: (x, y) => void this.picks.pick(x, y).then((index) => index !== null && marks.open(index, true)),
      step: (dx, dy) => live() && (marks.step(dx, dy), true),
      open: (newTab) => live() && marks.selected >= 0 && (marks.open(marks.selected, newTab), true),
      clear: () => void (live() && marks.clear()),
      home: () => live() && (camera((view) => view.reset_camera()), true),
    });
    // A tap outside the element dismisses the tooltip and the selection (touch only: a mouse
    // click elsewhere on the page keeps them, as on any desktop page).
    document.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'touch' && live() && !(e.target instanceof Node && this.#host.contains(e.target))) {
        marks.activate(null, { touch: true, newTab: false });
      }
    }, { signal, passive: true });
    let first = true;
    const resize = new ResizeObserver(() => {
      if (first) first = false; // the observation made on `observe`: nothing changed yet
      else this.#resized();
    });
    resize.observe(this.#host);
    signal.addEventListener('abort', () => resize.disconnect(), { once: true });
    if ((this.#host.getAttribute('theme') || 'auto') === 'auto') {
      matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => this.applyTheme(), { signal });
    }
    this.applyTheme();
  }

  /** The theme (attribute or colour scheme) applied to the view and the overlay. */
  applyTheme() {
    const dark = this.isDark();
    guard(() => this.view?.set_dark(dark));
    this.overlay?.setColours(this.site ? coloursOf(this.site, dark) : null);
    this.marks.rings();
    this.frames.request();
  }

  /**
   * Selects post `index` and brings it into view.
   * @param {number} index
   */
  focus(index) {
    this.marks.select(index);
    guard(() => this.view?.focus(index));
    this.frames.request();
  }

  /**
   * Dims the posts a filter of `tags` and `query` leaves out (docs/DESIGN.md, "Search and
   * filter"); returns how many pass, or null with no view.
   * @param {{tags: string[], query: string}} filter
   * @returns {number | null}
   */
  applyFilter({ tags, query }) {
    const { view } = this;
    const index = this.#searchIndex();
    if (!view || !index) return null;
    const count = guard(() => view.set_kept(index.filter(tags, query)));
    this.frames.request();
    return count ?? null;
  }

  /**
   * The tags of the site shown with their post counts, the most used first; empty before one
   * is shown.
   * @returns {{tag: string, count: number}[]}
   */
  tags() {
    this.prepareSearch(); // a page with tag chips: the search or filter that follows is made ready
    return (this.#searchIndex()?.tagCounts ?? []).map((t) => ({ ...t }));
  }

  /**
   * The search index of the site shown (read at its first search, filter, `tags()` or
   * `prepareSearch`, folded at the first search or filter if `prepareSearch` has not), or null.
   */
  #searchIndex() {
    const site = this.site;
    this.#finder = true;
    if (!site) return null;
    if (this.#index?.site !== site) {
      const packed = guard(() => site.texts());
      if (packed === undefined) return null;
      this.#index = { site, index: new SearchIndex(packed) };
    }
    return this.#index.index;
  }

  /**
   * Makes search's index of the site shown in slices of a few milliseconds while the page is idle
   * (docs/DESIGN.md, "Search and filter"), so that its first filter or search costs what the
   * later ones do: at `tags()`, and for each site shown once the page has a finder. Stops when
   * another site is shown.
   */
  prepareSearch() {
    const site = this.site;
    if (!site || this.#preparing === site) return;
    this.#preparing = site;
    // Slices of about 5 ms, when the page is idle (or after 500 ms); Safari, which has no
    // requestIdleCallback, between tasks.
    const later = (/** @type {() => void} */ f) =>
      'requestIdleCallback' in globalThis ? requestIdleCallback(f, { timeout: 500 }) : setTimeout(f, 1);
    const slice = () => {
      const index = this.site === site ? this.#searchIndex() : null;
      if (index && !index.foldUntil(performance.now() + 5)) later(slice);
    };
    later(slice);
  }

  /** How many posts search's index of the site shown has folded (0 before it is made). */
  searchIndexed() {
    return this.site ? this.#index?.index.titles.length ?? 0 : 0;
  }

  /**
   * The posts matching `query`, best first, as `{id, title}`, ringed on screen (the first
   * MAX_RESULT_RINGS); an empty query clears the rings.
   * @param {string} query
   * @returns {{id: string, title: string}[]}
   */
  search(query) {
    const site = this.site;
    const found = this.#searchIndex()?.search(query) ?? [];
    this.marks.results = found.slice(0, MAX_RESULT_RINGS);
    this.marks.rings();
    return found.flatMap((i) => {
      const post = site ? postOf(site, i) : null;
      return post ? [{ id: post.id, title: post.title }] : [];
    });
  }

  /**
   * Where post `id` is on screen, or null.
   * @param {string} id
   */
  screenPosition(id) {
    const { site, view } = this;
    const index = site && view ? guard(() => site.index_of(id)) : undefined;
    return view && index !== undefined && index !== null ? pointOf(view, index) : null;
  }

  /** The hash of the positions drawn: the 3D layout's, or in 2D the radial layout's. */
  positionsHash() {
    const site = this.site;
    if (!site) return null;
    if (this.mode !== '2d') return guard(() => site.positions_hash()) ?? null;
    this.#hash2d ??= guard(() => ('radial_hash' in site ? site.radial_hash() : null)) ?? null;
    return this.#hash2d;
  }

  /** Asks the view whether its context was lost (after a failed pick). */
  checkLost() {
    const lost = guard(() => this.view?.lost());
    if (lost) this.#lost(lost);
  }

  /**
   * Takes the view out (the context is lost: it is released and freed), keeping the site.
   * @returns {View | null}
   */
  dropView() {
    const view = this.view;
    this.view = null;
    if (view) freeView(view);
    return view;
  }

  /**
   * Back to the static frame: the view freed (and the site, with `freeTheSite`), the layer and
   * its listeners gone, no module (the next data chooses its own).
   * After a panic nothing is freed (`poisoned`): the instance must not be called again.
   * @param {{freeTheSite: boolean, poisoned?: boolean}} how
   */
  clear({ freeTheSite, poisoned = false }) {
    if (!poisoned) {
      if (this.view) freeView(this.view);
      if (freeTheSite) freeSite(this.site);
    }
    this.#listening?.abort();
    this.mod = null;
    this.view = null;
    this.site = null;
    this.canvas = null;
    this.overlay?.remove();
    this.overlay = null;
    showStatic(this.#host, true, null);
  }

  #resized() {
    const view = this.view;
    if (!view) return;
    const { width, height } = this.size();
    try {
      guardThrow(() => view.resize(width, height, devicePixelRatio || 1));
    } catch (e) {
      const f = asFailure(e, 'render');
      if (f.code === 'too-large') this.#tooLarge(f.message);
      else this.#report.log('warn', 'resize failed', f);
      return;
    }
    this.frames.request();
  }
}

/**
 * The size (CSS px) of the prerendered frame `host` shows for `mode`: the `width` and `height`
 * of the `<source>` (or `<img>`) its picture chose, when the overlay on show is of `mode`.
 * @param {HTMLElement} host
 * @param {'3d' | '2d'} mode
 * @returns {{width: number, height: number} | null}
 */
function prerenderedSize(host, mode) {
  const overlay = [...host.querySelectorAll(':scope > .logmesh-overlay')].find((o) => getComputedStyle(o).display !== 'none');
  // A local graph's frames are inline SVG, one per mode: the one on show.
  const inline = [...host.querySelectorAll(':scope > svg.logmesh-frame')].find((f) => getComputedStyle(f).display !== 'none');
  if (inline) {
    const width = Number(inline.getAttribute('width'));
    const height = Number(inline.getAttribute('height'));
    const fits = inline.getAttribute('data-mode') === mode && overlay?.getAttribute('data-mode') === mode;
    return fits && width > 0 && height > 0 ? { width, height } : null;
  }
  const img = host.querySelector(':scope > .logmesh-frame img');
  if (overlay?.getAttribute('data-mode') !== mode || !(img instanceof HTMLImageElement) || !img.currentSrc) return null;
  const chosen = [...host.querySelectorAll(':scope > .logmesh-frame source'), img].find((s) => {
    const url = s.getAttribute('srcset') ?? s.getAttribute('src');
    return url !== null && new URL(url, document.baseURI).href === img.currentSrc;
  });
  const width = Number(chosen?.getAttribute('width'));
  const height = Number(chosen?.getAttribute('height'));
  return width > 0 && height > 0 ? { width, height } : null;
}
