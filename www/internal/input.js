// Input turned into intents, in one place: mouse, pen and touch pointers (drag, pan, pinch, tap,
// click, middle click), the wheel and the keyboard become calls of an `Intents` object that the
// element implements. Here is only what a gesture means (a press that travels under
// DRAG_THRESHOLD_PX is a click; right or shift drag pans; two pointers pinch); what an intent
// does to the view, the selection or the page is the element's.
//
// The graph never traps the page (docs/DESIGN.md, "Touch"): at the first frame's zoom the layer's
// `touch-action` is `pan-y`, so a one-finger vertical swipe scrolls the page (the browser takes
// it, and the pointer is cancelled), while a horizontal drag or a two-finger gesture reaches the
// graph; once the view is zoomed in, `touch-action` is `none` and one finger pans it.
//
// Every listener is added with the run's AbortSignal, so destroy() removes them all. This file
// never calls into wasm and never reads element state.

/**
 * What the element does with the input. Keyboard intents return whether they consumed the key
 * (then its default action is prevented).
 * @typedef {object} Intents
 * @property {(dx: number, dy: number) => void} orbit   drag: turn the view (pan in 2D)
 * @property {(dx: number, dy: number) => void} pan     right/shift drag, or a pinch's midpoint
 * @property {(factor: number, x: number, y: number) => void} zoom  wheel or pinch, about (x, y) (the pointer, the pinch's midpoint); > 1 zooms in
 * @property {(x: number, y: number) => void} hover     a mouse or pen moved over (x, y)
 * @property {() => void} leave                         the mouse left
 * @property {(x: number, y: number, how: {touch: boolean, newTab: boolean}) => void} activate  a click or tap
 * @property {(x: number, y: number) => void} openInNewTab   a middle click
 * @property {(dx: number, dy: number) => boolean} step      an arrow key: (dx, dy) on screen, y down
 * @property {(newTab: boolean) => boolean} open             Enter
 * @property {() => void} clear                              Escape
 * @property {() => boolean} home                            Home
 */

/** Pointer travel (CSS px) below which a press is a click or tap, not a drag. */
const DRAG_THRESHOLD_PX = 4;
/** Arrow keys: the direction on screen (y down). */
const ARROWS = /** @type {Record<string, [number, number]>} */ ({ ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] });
/** Wheel delta units (pixels, lines, pages) in pixels. */
const WHEEL_UNIT_PX = [1, 16, 400];
/** Zoom per wheel pixel: exp(-deltaY * this). */
const ZOOM_PER_WHEEL_PX = 0.0015;
/** Zoom (relative to the first frame's) above which one finger moves the graph, not the page. */
const ZOOMED_IN = 1.05;
/**
 * The camera's zoom range relative to the first frame's (src/camera.rs, MAX_ZOOM_IN and
 * MAX_ZOOM_OUT): no gesture zooms further, so wheel and pinch factors are clamped to it and
 * never reach the view as 0, Infinity or NaN.
 */
const ZOOM_RANGE = [1 / 5, 50];

/**
 * Listens on `layer` (the focusable live layer) until `signal` aborts. Returns `home()`, to call
 * when the view is back at its first frame's camera by other means than the Home key (a new
 * view), so that one finger scrolls the page again.
 * @param {HTMLElement} layer
 * @param {AbortSignal} signal
 * @param {Intents} intents
 * @returns {{home: () => void}}
 */
export function listen(layer, signal, intents) {
  const opts = { signal };
  /** The view's zoom relative to the first frame's, as far as input changed it. */
  let zoom = 1;
  /**
   * @param {number} factor
   * @param {{x: number, y: number}} about
   */
  const zoomBy = (factor, about) => {
    const next = Math.min(ZOOM_RANGE[1], Math.max(ZOOM_RANGE[0], zoom * factor));
    if (!(next > 0 && next !== zoom)) return; // NaN, or clamped already
    factor = next / zoom;
    zoom = next;
    layer.style.touchAction = zoom > ZOOMED_IN ? 'none' : 'pan-y';
    intents.zoom(factor, about.x, about.y);
  };
  const home = () => {
    zoom = 1;
    layer.style.touchAction = 'pan-y';
  };
  home();
  /** @type {Map<number, {x: number, y: number}>} */
  const pointers = new Map();
  /** @type {{x: number, y: number, start: {x: number, y: number}, button: number, dragged: boolean, pan: boolean, type: string} | null} */
  let press = null;
  /** @type {{distance: number, mid: {x: number, y: number}} | null} */
  let pinch = null;
  /** @param {MouseEvent} e */
  const at = (e) => {
    const rect = layer.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const twoPointers = () => {
    const [a, b] = [...pointers.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  };

  layer.addEventListener('pointerdown', (e) => {
    const p = at(e);
    pointers.set(e.pointerId, p);
    layer.setPointerCapture?.(e.pointerId);
    if (pointers.size === 1) {
      press = { ...p, start: p, button: e.button, dragged: false, pan: e.button === 2 || e.shiftKey || e.ctrlKey, type: e.pointerType };
    } else if (pointers.size === 2) {
      pinch = twoPointers();
      if (press) press.dragged = true;
    }
  }, opts);

  layer.addEventListener('pointermove', (e) => {
    const p = at(e);
    if (pointers.has(e.pointerId)) pointers.set(e.pointerId, p);
    if (pinch && pointers.size >= 2) {
      const now = twoPointers();
      // The fingers carry the graph, and spread or close about their midpoint.
      intents.pan(now.mid.x - pinch.mid.x, now.mid.y - pinch.mid.y);
      if (pinch.distance > 0 && now.distance > 0) zoomBy(now.distance / pinch.distance, now.mid);
      pinch = now;
      return;
    }
    if (press && pointers.has(e.pointerId)) {
      const dx = p.x - press.x;
      const dy = p.y - press.y;
      if (!press.dragged && Math.hypot(p.x - press.start.x, p.y - press.start.y) < DRAG_THRESHOLD_PX) return;
      press.dragged = true;
      press.x = p.x;
      press.y = p.y;
      if (press.pan) intents.pan(dx, dy);
      else intents.orbit(dx, dy);
      return;
    }
    if (e.pointerType !== 'touch') intents.hover(p.x, p.y);
  }, opts);

  /** @param {PointerEvent} e */
  const release = (e) => {
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = null;
    if (pointers.size > 0) return;
    const done = press;
    press = null;
    if (e.type !== 'pointerup' || !done || done.dragged || done.button !== 0) return;
    const p = at(e);
    const touch = done.type === 'touch';
    intents.activate(p.x, p.y, { touch, newTab: !touch && (e.ctrlKey || e.metaKey || e.shiftKey) });
  };
  layer.addEventListener('pointerup', release, opts);
  layer.addEventListener('pointercancel', release, opts);
  layer.addEventListener('pointerleave', (e) => {
    if (e.pointerType !== 'touch' && pointers.size === 0) intents.leave();
  }, opts);

  layer.addEventListener('mousedown', (e) => {
    if (e.button === 1) e.preventDefault(); // no autoscroll: a middle click opens, like a link
  }, opts);
  layer.addEventListener('auxclick', (e) => {
    if (e.button !== 1) return;
    const p = at(e);
    intents.openInNewTab(p.x, p.y);
  }, opts);
  layer.addEventListener('contextmenu', (e) => e.preventDefault(), opts);
  layer.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoomBy(Math.exp(-e.deltaY * (WHEEL_UNIT_PX[e.deltaMode] ?? 1) * ZOOM_PER_WHEEL_PX), at(e));
  }, { signal, passive: false });

  // Arrows move to the nearest post in that direction on screen, Enter opens, Escape clears,
  // Home resets the view.
  layer.addEventListener('keydown', (e) => {
    const arrow = ARROWS[e.key];
    if (arrow) {
      if (intents.step(arrow[0], arrow[1])) e.preventDefault();
    } else if (e.key === 'Enter') {
      if (intents.open(e.ctrlKey || e.metaKey)) e.preventDefault();
    } else if (e.key === 'Escape') {
      intents.clear();
    } else if (e.key === 'Home') {
      if (intents.home()) {
        home();
        e.preventDefault();
      }
    }
  }, opts);
  return { home };
}
