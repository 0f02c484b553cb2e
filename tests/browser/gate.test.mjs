// The picture first (docs/DESIGN.md, "The element", loading order): on a slow network nothing the
// live view needs may compete with the static picture. Without Save-Data the element asks for
// its data and its wasm module only once the picture has loaded; with Save-Data only once the
// visitor reaches for the graph.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

/** Paths the live view needs: its data, its layout and any wasm module. */
const liveRequests = (requests) => requests.filter((p) => /\.(wasm|json)$/.test(p));
const FRAME = /\/graph\/frame-[^/]*\.(png|webp|avif|svg)$/;

test('the live view starts loading once the picture has loaded [webgpu]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgpu', { serverOptions: { hold: FRAME } });
  const { page, server } = site;
  try {
    // The held picture holds back the page's load event too.
    await page.goto(site.url('/log/'), { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => !!document.querySelector('log-mesh'));
    await page.waitForTimeout(1_000);
    assert.ok(server.requests.some((p) => FRAME.test(p)), 'the picture was asked for (and held)');
    assert.deepEqual(liveRequests(server.requests), [], 'nothing of the live view is fetched before the picture');
    assert.equal(await page.evaluate(() => document.querySelector('log-mesh').state), 'static');
    server.release();
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    assert.ok(liveRequests(server.requests).some((p) => p.endsWith('.wasm')), 'then the module is loaded');
  } finally {
    await site.close();
  }
});

test('with Save-Data the live view waits for the first interaction [webgpu]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgpu', {
    beforeGoto: (page) =>
      page.addInitScript(() => {
        // What Chromium reports with its data saver on (no flag turns it on in headless).
        Object.defineProperty(Navigator.prototype, 'connection', { configurable: true, get: () => ({ saveData: true }) });
      }),
  });
  const { page, server } = site;
  try {
    await page.goto(site.url('/log/'));
    await page.waitForFunction(() => document.querySelector('log-mesh img')?.complete);
    await page.waitForTimeout(1_000);
    assert.deepEqual(liveRequests(server.requests), [], 'a visitor who only looks downloads the picture alone');
    assert.equal(await page.evaluate(() => document.querySelector('log-mesh').state), 'static');
    const b = await page.locator('log-mesh').boundingBox();
    assert.ok(b, 'the element has a box');
    // A press on an empty corner of the graph (a post there would be a link to open).
    await page.mouse.move(b.x + 3, b.y + 3);
    await page.mouse.down();
    await page.mouse.up();
    assert.equal(await waitForState(page, ['live', 'error']), 'live');
    assert.ok(liveRequests(server.requests).some((p) => p.endsWith('.wasm')), 'the first interaction loads the live view');
  } finally {
    await site.close();
  }
});
