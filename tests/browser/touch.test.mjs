// The graph never traps the page (docs/DESIGN.md, "Touch"): on an emulated phone a one-finger
// vertical swipe over the graph at its first zoom scrolls the page, a horizontal drag moves the
// graph instead, and once the view is pinched in one finger moves the graph in every direction.
// The gestures are raw touch points (CDP Input.dispatchTouchEvent), so Chromium's own gesture
// recognition and `touch-action` decide what scrolls, exactly as on a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { box, hits, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

/**
 * Moves raw touch points from `from` to `to` (arrays of {x, y}, page CSS px) in 12 steps, then
 * lifts them and lets the page settle.
 */
async function gesture(page, cdp, from, to) {
  const at = (k) => from.map((p, i) => ({ x: p.x + ((to[i].x - p.x) * k) / 12, y: p.y + ((to[i].y - p.y) * k) / 12 }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let k = 1; k <= 12; k++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k) });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(300);
}

/** Taps at page point (x, y); the id the `select` event it caused names, or null (none within 5 s). */
async function tapSelects(page, x, y) {
  const before = await page.evaluate(() => window.__events.length);
  await page.touchscreen.tap(x, y);
  return page.waitForFunction(
    (n) => window.__events.slice(n).findLast((e) => e.type === 'select')?.detail.id ?? false,
    before,
    { timeout: 5_000 },
  ).then((h) => h.jsonValue(), () => null);
}

/** Every post's screen position in the element (CSS px, element-relative), with its id. */
function positions(page) {
  return page.evaluate((all) => {
    const el = document.querySelector('log-mesh');
    return all.map((id) => ({ id, ...el.screenPosition(id) }));
  }, hits().posts.map((h) => h.id));
}

/** The distance from `p` to the nearest other visible post centre. */
function nearest(posts, p) {
  let best = Infinity;
  for (const q of posts) if (q.visible && q.id !== p.id) best = Math.min(best, Math.hypot(q.x - p.x, q.y - p.y));
  return best;
}

/** Makes the page longer than the screen, as a blog's /log page is, and scrolls the element to `block`. */
function tallPage(page, block) {
  return page.evaluate((b) => {
    const spacer = document.createElement('div');
    spacer.style.height = '2000px';
    document.body.append(spacer);
    document.querySelector('log-mesh').scrollIntoView({ block: b });
  }, block);
}

test('a vertical swipe scrolls the page, a horizontal one moves the graph, and after a pinch one finger pans [webgl2, 390x844 touch]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgl2', { contextOptions: PHONE });
  const { page } = site;
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(site.url('/log/'));
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    await tallPage(page, 'start');
    // A post near the middle of the live (2D) frame, to follow as the graph moves.
    const id = await page.evaluate((ids) => {
      const el = document.querySelector('log-mesh');
      const r = el.getBoundingClientRect();
      let best = null;
      for (const i of ids) {
        const p = el.screenPosition(i);
        const d = p && p.visible ? Math.hypot(p.x - r.width / 2, p.y - r.height / 2) : Infinity;
        if (!best || d < best.d) best = { i, d };
      }
      return best.i;
    }, hits().posts.map((h) => h.id));
    const where = () => page.evaluate((i) => document.querySelector('log-mesh').screenPosition(i), id);
    const touch = (from, to) => gesture(page, cdp, from, to);
    /** One finger from the graph's middle, moved by (dx, dy). */
    const swipe = async (dx, dy) => {
      const b = await box(page);
      const start = { x: b.x + b.width / 2 - dx / 2, y: b.y + b.height / 2 - dy / 2 };
      await touch([start], [{ x: start.x + dx, y: start.y + dy }]);
    };

    // One finger up, at the first zoom: the page scrolls, the graph stays.
    const scrolled = await page.evaluate(() => scrollY);
    const before = await where();
    await swipe(0, -120);
    assert.ok((await page.evaluate(() => scrollY)) > scrolled + 40, 'a vertical swipe over the graph scrolls the page');
    const afterSwipe = await where();
    assert.ok(Math.abs(afterSwipe.x - before.x) < 1, 'and does not move the graph sideways');

    // One finger sideways: the graph moves, the page does not.
    await page.evaluate(() => document.querySelector('log-mesh').scrollIntoView({ block: 'center' }));
    const scrollY = await page.evaluate(() => scrollY);
    await swipe(-120, 0);
    const moved = await where();
    assert.ok(Math.abs(moved.x - afterSwipe.x) > 20, `a horizontal drag moves the graph (${afterSwipe.x} -> ${moved.x})`);
    assert.equal(await page.evaluate(() => scrollY), scrollY, 'and does not scroll the page');

    // Pinch in, then one finger up moves the graph, not the page.
    const b = await box(page);
    const mid = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    await touch(
      [{ x: mid.x - 20, y: mid.y }, { x: mid.x + 20, y: mid.y }],
      [{ x: mid.x - 60, y: mid.y }, { x: mid.x + 60, y: mid.y }],
    );
    await page.waitForTimeout(300);
    const pinched = await where();
    assert.ok(pinched.r > moved.r * 1.2, `the pinch zooms the graph (r ${moved.r} -> ${pinched.r})`);
    const scrollY2 = await page.evaluate(() => scrollY);
    await swipe(0, -120);
    assert.equal(await page.evaluate(() => scrollY), scrollY2, 'zoomed in, a vertical swipe does not scroll the page');
    const panned = await where();
    assert.ok(Math.abs(panned.y - pinched.y) > 20, `zoomed in, a vertical swipe pans the graph (${pinched.y} -> ${panned.y})`);
  } finally {
    await cdp.detach().catch(() => {});
    await site.close();
  }
});

/**
 * The touch rule, written again from the element's own screen positions (docs/DESIGN.md,
 * "Touch"): among visible posts whose hit disc (radius max(r, 6)) holds the point or whose centre
 * lies within 16 CSS px, the nearest centre. Returns the answer and whether it is clear-cut (no
 * rival within 0.5 px of distance, no edge within 0.5 px): the element reads the device pixel's
 * centre (dpr 3: at most 0.24 CSS px away), so rounding cannot flip a clear-cut answer.
 */
function touchRule(posts, x, y) {
  const ranked = [];
  let clear = true;
  for (const p of posts) {
    if (!p.visible) continue;
    const d = Math.hypot(p.x - x, p.y - y);
    const hitR = Math.max(p.r, 6);
    if (Math.abs(d - 16) < 0.5 || Math.abs(d - hitR) < 0.5) clear = false;
    if (d <= 16 || d <= hitR) ranked.push({ id: p.id, d });
  }
  ranked.sort((a, b) => a.d - b.d);
  if (ranked.length > 1 && ranked[1].d - ranked[0].d < 0.5) clear = false;
  return { id: ranked[0]?.id ?? null, clear };
}

test('taps select what the touch rule says, near posts and between them; a tap outside clears [webgl2, 390x844 touch]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgl2', { contextOptions: PHONE });
  const { page } = site;
  try {
    await page.goto(site.url('/log/'));
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    await tallPage(page, 'center');
    const posts = await positions(page);
    const b = await box(page);
    // Points at and beside visible posts (up to 12 px off their centres), clear-cut by the rule.
    const visible = posts.filter((p) => p.visible && p.x > 12 && p.y > 12 && p.x < b.width - 12 && p.y < b.height - 12);
    const points = [];
    for (let i = 0; points.length < 30 && i < visible.length; i++) {
      const p = visible[i];
      const angle = i * 2.39996;
      const off = points.length % 3 === 0 ? 0 : 4 + (i % 9);
      const at = { x: p.x + off * Math.cos(angle), y: p.y + off * Math.sin(angle) };
      const rule = touchRule(posts, at.x, at.y);
      // Each post once: a second tap on the selected post would open it.
      if (rule.clear && rule.id !== null && !points.some((q) => q.id === rule.id)) points.push({ ...at, id: rule.id });
    }
    // In the 342 x 342 px phone frame (prerender's square phone frame in the demo's column) thirty
    // points are clear-cut.
    assert.equal(points.length, 30, `clear-cut points: ${points.length}`);
    let reachedOther = 0;
    for (const point of points) {
      const selected = await tapSelects(page, b.x + point.x, b.y + point.y);
      assert.equal(selected, point.id, `a tap at (${point.x.toFixed(1)}, ${point.y.toFixed(1)})`);
      reachedOther += Number(!posts.find((p) => p.id === point.id && Math.hypot(p.x - point.x, p.y - point.y) < 0.5));
    }
    assert.ok(reachedOther >= 6, `taps beside posts were tested too (${reachedOther})`);
    assert.equal(await page.locator('log-mesh .logmesh-tooltip').isVisible(), true, 'the tooltip shows the selected post');
    // A tap outside the element (below it, on the page) dismisses both.
    await page.touchscreen.tap(b.x + b.width / 2, b.y + b.height + 40);
    await page.waitForFunction(() => window.__events.findLast((e) => e.type === 'select')?.detail.id === null, null, { timeout: 5_000 });
    assert.equal(await page.locator('log-mesh .logmesh-tooltip').isVisible(), false);
    assert.deepEqual(page.errors, []);
  } finally {
    await site.close();
  }
});

test('a pinch then a tap reaches a post in the densest region [webgl2, 390x844 touch]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgl2', { contextOptions: PHONE });
  const { page } = site;
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(site.url('/log/'));
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    await tallPage(page, 'center');
    const b = await box(page);
    // The densest region: the visible post with the most others within 24 px.
    const before = await positions(page);
    const inside = before.filter((p) => p.visible && p.x > 40 && p.y > 40 && p.x < b.width - 40 && p.y < b.height - 40);
    const crowd = (p) => inside.filter((q) => Math.hypot(q.x - p.x, q.y - p.y) < 24).length;
    const densest = inside.reduce((best, p) => (crowd(p) > crowd(best) ? p : best));
    const gap = nearest(before, densest);
    assert.ok(gap < 10, `at the first zoom the densest region is too crowded for a thumb (nearest ${gap.toFixed(1)} px)`);

    // Two fingers spread apart round that post.
    const at = { x: b.x + densest.x, y: b.y + densest.y };
    await gesture(
      page,
      cdp,
      [{ x: at.x - 15, y: at.y }, { x: at.x + 15, y: at.y }],
      [{ x: at.x - 75, y: at.y }, { x: at.x + 75, y: at.y }],
    );
    const after = await positions(page);
    // The pinch zoomed about the fingers' midpoint: the post under it stayed there.
    const stayed = after.find((p) => p.id === densest.id);
    assert.ok(stayed.r > densest.r * 2, `the pinch zooms in (r ${densest.r} -> ${stayed.r})`);
    assert.ok(Math.hypot(stayed.x - densest.x, stayed.y - densest.y) < 4, `the post under the fingers stays under them (${JSON.stringify(stayed)})`);
    const zoomed = after.filter((p) => p.visible && p.x > 20 && p.y > 20 && p.x < b.width - 20 && p.y < b.height - 20);
    // The post of that region now nearest the pinch's centre, standing apart from the others.
    const target = zoomed
      .filter((p) => before.find((q) => q.id === p.id && Math.hypot(q.x - densest.x, q.y - densest.y) < 24))
      .filter((p) => nearest(after, p) >= 10)
      .reduce((best, p) => (!best || Math.hypot(p.x - densest.x, p.y - densest.y) < Math.hypot(best.x - densest.x, best.y - densest.y) ? p : best), null);
    assert.ok(target, 'after the pinch a post of the densest region stands 10 px apart from the others');
    const selected = await tapSelects(page, b.x + target.x, b.y + target.y);
    assert.equal(selected, target.id, 'the tap selects it');
    assert.deepEqual(page.errors, []);
  } finally {
    await cdp.detach().catch(() => {});
    await site.close();
  }
});
