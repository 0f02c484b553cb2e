// The graph never traps the page (docs/DESIGN.md, "Touch"): on an emulated phone a one-finger
// vertical swipe over the graph at its first zoom scrolls the page, a horizontal drag moves the
// graph instead, and once the view is pinched in one finger moves the graph in every direction.
// The gestures are raw touch points (CDP Input.dispatchTouchEvent), so Chromium's own gesture
// recognition and `touch-action` decide what scrolls, exactly as on a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { box, hits, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

test('a vertical swipe scrolls the page, a horizontal one moves the graph, and after a pinch one finger pans [webgl2, 390x844 touch]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgl2', { contextOptions: PHONE });
  const { page } = site;
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(site.url('/log/'));
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    // A page longer than the screen, as a blog's /log page is.
    await page.evaluate(() => {
      const spacer = document.createElement('div');
      spacer.style.height = '2000px';
      document.body.append(spacer);
      document.querySelector('log-mesh').scrollIntoView({ block: 'start' });
    });
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
    /** Moves touch points from `from` to `to` (arrays of {x, y}, page CSS px) in 12 steps. */
    const touch = async (from, to) => {
      const at = (k) => from.map((p, i) => ({ x: p.x + ((to[i].x - p.x) * k) / 12, y: p.y + ((to[i].y - p.y) * k) / 12 }));
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
      for (let k = 1; k <= 12; k++) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k) });
        await page.waitForTimeout(16);
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(300);
    };
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
