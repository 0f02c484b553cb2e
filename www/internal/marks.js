// The posts the visitor points at: the hovered, the selected and the keyboard-focused post, and
// what changing them means: the `hover`, `select` and `open` events (docs/DESIGN.md), the
// tooltip, the rings and what the live region says. Indices are of the site shown; -1 is none.
//
// Marks never move the camera and never pick: the element turns input into an index first
// (internal/picks.js) and hands it here. Every text goes to the overlay as text.

import { guard, postOf } from './wasm.js';

/** @typedef {import('./wasm.js').SiteHandle} SiteHandle */
/** @typedef {import('./wasm.js').View} View */
/** @typedef {import('./overlay.js').Overlay} Overlay */
/**
 * What marks need from the element: what it shows now, and its event dispatch.
 * @typedef {object} Shown
 * @property {() => SiteHandle | null} site
 * @property {() => View | null} view
 * @property {() => Overlay | null} overlay
 * @property {(type: string, detail: object, cancelable?: boolean) => boolean} emit  false when cancelled
 */

export class Marks {
  hovered = -1;
  selected = -1;
  focused = -1;
  /** A local graph's centre (ringed while it is shown; not a mark the visitor moves). */
  centre = -1;
  /** The last search's results, ringed (at most a few dozen). @type {number[]} */
  results = [];
  #shown;

  /** @param {Shown} shown */
  constructor(shown) {
    this.#shown = shown;
  }

  /** Forgets all three (a new site is shown: its indices are others) without firing events. */
  reset() {
    this.hovered = this.selected = this.focused = this.centre = -1;
    this.results = [];
    this.#shown.overlay()?.hideTooltip();
  }

  /**
   * The pointer is over post `index` (or -1: over none): `hover`, tooltip, cursor, rings.
   * @param {number} index
   */
  hover(index) {
    const i = index >= 0 ? index : -1;
    if (i === this.hovered) return;
    this.hovered = i;
    const overlay = this.#shown.overlay();
    const post = this.#post(i);
    if (post) {
      this.#shown.emit('hover', { id: post.id, title: post.title });
      this.showTooltip(i);
    } else {
      this.#shown.emit('hover', { id: null });
      if ((overlay?.tipFor ?? -1) !== this.selected || this.selected < 0) overlay?.hideTooltip();
    }
    overlay?.setCursor(!!post?.url);
    this.rings();
  }

  /**
   * Selects post `index` (or -1: none) and fires `select` when the selection changes.
   * @param {number} index
   */
  select(index) {
    const i = index >= 0 ? index : -1;
    if (i === this.selected) return;
    this.selected = i;
    const post = this.#post(i);
    if (post) {
      this.#shown.emit('select', { id: post.id, title: post.title, url: post.url });
      this.#shown.overlay()?.announce(post.title);
    } else {
      this.#shown.emit('select', { id: null });
    }
    this.rings();
  }

  /**
   * A click (mouse: select and open) or a tap (touch: select, then open on a second tap) on
   * post `index`, or on nothing (null: the selection clears).
   * @param {number | null} index
   * @param {{touch: boolean, newTab: boolean}} how
   */
  activate(index, { touch, newTab }) {
    if (index === null) {
      this.select(-1);
      this.#shown.overlay()?.hideTooltip();
      return;
    }
    if (touch) {
      if (index === this.selected) return this.open(index, false);
      this.select(index);
      this.showTooltip(index);
      return;
    }
    this.select(index);
    this.open(index, newTab);
  }

  /**
   * An arrow key: the nearest post in direction (dx, dy) on screen (the first press takes the
   * post nearest the centre) is focused, selected, ringed (dashed) and announced.
   * @param {number} dx
   * @param {number} dy
   */
  step(dx, dy) {
    const from = this.focused >= 0 ? this.focused : this.selected;
    const next = guard(() => this.#shown.view()?.neighbour(from, dx, dy));
    if (next === undefined || next < 0) return;
    this.focused = next;
    this.select(next);
    this.showTooltip(next);
    this.rings();
    const post = this.#post(next);
    if (post) this.#shown.overlay()?.announce([post.title, post.date, post.tags.join(', '), post.url ? 'Enter opens it' : ''].filter(Boolean).join('. '));
  }

  /** Escape: nothing selected or focused. */
  clear() {
    this.select(-1);
    this.focused = -1;
    this.#shown.overlay()?.hideTooltip();
    this.rings();
  }

  /**
   * Fires `open` (cancelable) and, unless cancelled, follows the post's safe URL.
   * @param {number} index
   * @param {boolean} newTab
   */
  open(index, newTab) {
    const post = this.#post(index);
    if (!post?.url) return;
    if (!this.#shown.emit('open', { id: post.id, url: post.url }, true)) return;
    if (newTab) window.open(post.url, '_blank', 'noopener');
    else location.assign(post.url);
  }

  /** @param {number} index */
  showTooltip(index) {
    const post = this.#post(index);
    if (post) this.#shown.overlay()?.showTooltip(this.#shown.view(), index, post);
  }

  /** The rings drawn again (the marks or the frame changed). */
  rings() {
    this.#shown.overlay()?.rings(this.#shown.view(), this);
  }

  /** @param {number} index */
  #post(index) {
    const site = this.#shown.site();
    return index >= 0 && site ? postOf(site, index) : null;
  }
}
