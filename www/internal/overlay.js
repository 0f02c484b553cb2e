// The live layer and what lies over its canvas: labels (SVG text, placed as the static frame's
// are), the hover, selection and focus rings, the tooltip and the live region that screen
// readers hear. Drawn in the DOM rather than in the frame, so that text looks the same as in
// the static frame and a ring costs no GPU frame.
//
// The overlay reads the view (positions, labels) and never changes it, the selection or the
// element's state; it never fires events. All text goes in as text, never as HTML.

import { labelsOf, pointOf } from './wasm.js';

/** @typedef {import('./wasm.js').View} View */
/** @typedef {import('./wasm.js').Post} Post */
/** @typedef {import('./wasm.js').Colours} Colours */
/** @typedef {{hovered: number, selected: number, focused: number, centre: number, results: number[]}} MarkIndices  post indices, -1 for none */

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Rings round the hovered, selected and focused post (CSS px): gap to the disc, width, dashes. */
const RINGS = {
  hovered: { gap: 1.5, width: 2, dash: '' },
  selected: { gap: 1.5, width: 3, dash: '' },
  focused: { gap: 5, width: 1.5, dash: '4 3' },
  // A local graph's centre, in the label colour: as embed.html's `logmesh-centre` ring
  // (CENTRE_RING_GAP_PX, CENTRE_RING_WIDTH_PX in src/export/embed.rs).
  centre: { gap: 4, width: 2, dash: '' },
  // Search results: thin and dotted, in the hover colour.
  result: { gap: 2.5, width: 1.5, dash: '2 2' },
};

/**
 * @param {HTMLElement | SVGElement} element
 * @param {Record<string, string>} styles
 */
export function setStyles(element, styles) {
  for (const [name, value] of Object.entries(styles)) element.style.setProperty(name, value);
}

/**
 * The children of embed.html: the static frame and its label overlay.
 * @param {HTMLElement} host
 */
function staticChildren(host) {
  const children = /** @type {HTMLElement[]} */ ([...host.children]);
  return children.filter((child) => child.classList.contains('logmesh-frame') || child.classList.contains('logmesh-overlay'));
}

export class Overlay {
  /** The live layer: canvas, labels, rings, tooltip, live region; focusable. */
  layer;
  #host;
  #labelGroup;
  #ringGroup;
  #tooltip;
  #status;
  /** @type {Colours | null} */
  #colours = null;
  /** The post the tooltip is about, -1 when hidden. */
  tipFor = -1;

  /**
   * Builds the live layer as the first child of `host` (under the static frame until the swap).
   * @param {HTMLElement} host
   */
  constructor(host) {
    this.#host = host;
    if (!host.style.position && getComputedStyle(host).position === 'static') host.style.position = 'relative';
    if (getComputedStyle(host).display === 'inline') host.style.display = 'block';
    const layer = document.createElement('div');
    layer.className = 'logmesh-live';
    layer.tabIndex = 0;
    layer.setAttribute('role', 'application');
    setStyles(layer, { position: 'absolute', inset: '0', overflow: 'hidden', 'z-index': '0' });
    // Until the swap the static frame lies over the live layer.
    for (const child of staticChildren(host)) {
      setStyles(child, { position: child.classList.contains('logmesh-frame') ? 'relative' : 'absolute', 'z-index': '1' });
    }
    const labels = document.createElementNS(SVG_NS, 'svg');
    labels.setAttribute('aria-hidden', 'true');
    labels.setAttribute('class', 'logmesh-live-labels');
    setStyles(labels, { position: 'absolute', inset: '0', width: '100%', height: '100%', 'pointer-events': 'none', overflow: 'hidden' });
    const labelGroup = document.createElementNS(SVG_NS, 'g');
    for (const [name, value] of Object.entries({ 'font-family': 'system-ui, sans-serif', 'font-size': '12', 'dominant-baseline': 'central', 'stroke-width': '3', 'stroke-linejoin': 'round', 'paint-order': 'stroke' })) {
      labelGroup.setAttribute(name, value);
    }
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
    host.prepend(layer);
    this.layer = layer;
    this.#labelGroup = labelGroup;
    this.#ringGroup = ringGroup;
    this.#tooltip = tooltip;
    this.#status = status;
  }

  /**
   * A fresh canvas at the bottom of the layer, filling it (the view draws into it).
   * @returns {HTMLCanvasElement}
   */
  addCanvas() {
    const canvas = document.createElement('canvas');
    // No touch-action of its own: the layer's (internal/input.js) decides what a finger moves.
    setStyles(canvas, { position: 'absolute', inset: '0', width: '100%', height: '100%', display: 'block', 'z-index': '0' });
    this.layer.prepend(canvas);
    return canvas;
  }

  /**
   * The theme's colours and label font for labels, rings and tooltip.
   * @param {Colours | null} colours
   */
  setColours(colours) {
    this.#colours = colours;
    if (!colours) return;
    setStyles(this.#tooltip, { background: colours.background, color: colours.text, border: `1px solid ${colours.text}33`, 'font-family': colours.font });
    this.#labelGroup.setAttribute('font-family', colours.font);
    this.#labelGroup.setAttribute('fill', colours.text);
    this.#labelGroup.setAttribute('stroke', colours.background);
  }

  /**
   * Labels, rings and tooltip placed for the frame `view` has on screen.
   * @param {View} view
   * @param {MarkIndices} marks
   */
  update(view, marks) {
    // As many labels as fit the frame on screen, at any size (the view places them).
    const texts = labelsOf(view).map(({ x, y, text }) => {
      const element = document.createElementNS(SVG_NS, 'text');
      element.setAttribute('x', x.toFixed(2));
      element.setAttribute('y', y.toFixed(2));
      element.textContent = text;
      return element;
    });
    this.#labelGroup.replaceChildren(...texts);
    this.rings(view, marks);
    if (this.tipFor >= 0) this.#placeTooltip(view, this.tipFor);
  }

  /**
   * The hover, selection and focus rings. Selection is thicker and focus dashed, so colour is
   * never the only cue.
   * @param {View | null} view
   * @param {MarkIndices} marks
   */
  rings(view, marks) {
    const colours = this.#colours;
    if (!view || !colours) return;
    const circles = [];
    /** @type {[keyof typeof RINGS, number][]} */
    const wanted = marks.results.map((i) => /** @type {[keyof typeof RINGS, number]} */ (['result', i]));
    for (const kind of /** @type {const} */ (['centre', 'hovered', 'selected', 'focused'])) wanted.push([kind, marks[kind]]);
    for (const [kind, index] of wanted) {
      if (index < 0) continue;
      const p = pointOf(view, index);
      if (!p) continue;
      const ring = RINGS[kind];
      const circle = document.createElementNS(SVG_NS, 'circle');
      circle.setAttribute('cx', p.x.toFixed(2));
      circle.setAttribute('cy', p.y.toFixed(2));
      circle.setAttribute('r', (Math.max(p.r, 1) + ring.gap + ring.width / 2).toFixed(2));
      circle.setAttribute('stroke', kind === 'centre' ? colours.text : kind === 'result' ? colours.hovered : colours[kind]);
      circle.setAttribute('stroke-width', String(ring.width));
      if (ring.dash) circle.setAttribute('stroke-dasharray', ring.dash);
      circle.setAttribute('class', `logmesh-ring-${kind}`);
      circles.push(circle);
    }
    this.#ringGroup.replaceChildren(...circles);
  }

  /**
   * The tooltip for post `index`: title, date, tags, as text.
   * @param {View | null} view
   * @param {number} index
   * @param {Post} post
   */
  showTooltip(view, index, post) {
    const tip = this.#tooltip;
    const title = document.createElement('strong');
    title.textContent = post.title;
    const lines = [title];
    const line = (/** @type {string} */ text) => Object.assign(document.createElement('div'), { textContent: text });
    if (post.date) lines.push(line(post.date));
    if (post.tags.length) lines.push(line(post.tags.map((t) => `#${t}`).join(' ')));
    tip.replaceChildren(...lines);
    tip.hidden = false;
    this.tipFor = index;
    if (view) this.#placeTooltip(view, index);
  }

  hideTooltip() {
    this.#tooltip.hidden = true;
    this.tipFor = -1;
  }

  /**
   * Says `text` in the live region (screen readers).
   * @param {string} text
   */
  announce(text) {
    this.#status.textContent = text;
  }

  /**
   * The pointer cursor over a post that opens.
   * @param {boolean} opens
   */
  setCursor(opens) {
    this.layer.style.cursor = opens ? 'pointer' : '';
  }

  /** Takes the layer out of the element. */
  remove() {
    this.layer.remove();
  }

  /**
   * @param {View} view
   * @param {number} index
   */
  #placeTooltip(view, index) {
    const tip = this.#tooltip;
    const p = pointOf(view, index);
    if (!p) return;
    const { width, height } = this.#host.getBoundingClientRect();
    // Right of the post and clear of its rings (the focus ring reaches r + 6.5 px).
    const x = Math.min(Math.max(0, p.x + p.r + 16), Math.max(0, width - tip.offsetWidth));
    const y = Math.min(Math.max(0, p.y - tip.offsetHeight / 2), Math.max(0, height - tip.offsetHeight));
    tip.style.left = `${x}px`;
    tip.style.top = `${y}px`;
  }
}

/**
 * Shows (true) or hides the static frame and its overlay; the live layer the other way round.
 * @param {HTMLElement} host
 * @param {boolean} visible
 * @param {Overlay | null} overlay
 */
export function showStatic(host, visible, overlay) {
  for (const child of staticChildren(host)) child.style.visibility = visible ? '' : 'hidden';
  if (overlay) overlay.layer.style.visibility = visible ? 'hidden' : '';
}

/**
 * Points the list's archive link (its last item, `li.logmesh-archive`, added when embed.html
 * wrote none) at the element's `archive` attribute, when that is set: the attribute wins over
 * what embed.html wrote.
 * @param {HTMLElement} host
 */
export function pointArchive(host) {
  const href = host.getAttribute('archive');
  const list = host.querySelector('.logmesh-list');
  if (href === null || !list) return;
  let link = list.querySelector('.logmesh-archive a');
  if (!link) {
    const item = document.createElement('li');
    item.className = 'logmesh-archive';
    link = item.appendChild(document.createElement('a'));
    link.textContent = 'All posts';
    list.append(item);
  }
  link.setAttribute('href', href);
}
