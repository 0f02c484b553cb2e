// The browser-test harness itself: each flag set gives the APIs the other browser tests rely on (if a
// Chromium update changes that, these fail first, with a clear message), and the CDP helpers count what
// they claim to.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { launch, newPage } from './lib/browser.mjs';
import { decodePng, pixelAt } from './lib/images.mjs';
import { contextCounts, countListeners, recordScreencast, wrapGetContext } from './lib/screencast.mjs';

let root;
let server;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'logmesh-harness-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><body style="margin:0;background:#000"><p>harness</p>');
  server = await serve({ root });
});

after(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

// What a page can get: WebGPU adapter, and whether a frame drawn into a WebGPU canvas loses the device.
async function probe(page) {
  return page.evaluate(async () => {
    const out = { adapter: false, deviceLostOnCanvas: null, webgl2: false, canvas2d: false };
    const adapter = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
    if (adapter) {
      out.adapter = true;
      const device = await adapter.requestDevice();
      let lost = false;
      device.lost.then(() => (lost = true));
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('webgpu');
      ctx.configure({ device, format: navigator.gpu.getPreferredCanvasFormat() });
      const enc = device.createCommandEncoder();
      const view = ctx.getCurrentTexture().createView();
      enc.beginRenderPass({ colorAttachments: [{ view, loadOp: 'clear', storeOp: 'store' }] }).end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone().catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      out.deviceLostOnCanvas = lost;
      device.destroy();
    }
    out.webgl2 = document.createElement('canvas').getContext('webgl2') !== null;
    out.canvas2d = document.createElement('canvas').getContext('2d') !== null;
    return out;
  });
}

const EXPECTED = {
  webgpu: { adapter: true, deviceLostOnCanvas: false, webgl2: true, canvas2d: true },
  webgl2: { adapter: false, deviceLostOnCanvas: null, webgl2: true, canvas2d: true },
  'no-gpu': { adapter: false, deviceLostOnCanvas: null, webgl2: false, canvas2d: true },
  'webgpu-broken': { adapter: true, deviceLostOnCanvas: true, webgl2: true, canvas2d: true },
};

for (const [flagSet, expected] of Object.entries(EXPECTED)) {
  test(`flag set gives the documented APIs [${flagSet}]`, async () => {
    const context = await launch(flagSet);
    try {
      const page = await newPage(context);
      await page.goto(server.url); // WebGPU needs a secure context: http://127.0.0.1, not about:blank
      assert.deepEqual(await probe(page), expected);
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });
}

test('newPage records uncaught exceptions and console errors [webgl2]', async () => {
  const context = await launch('webgl2');
  try {
    const page = await newPage(context);
    await page.goto(server.url);
    await page.evaluate(() => {
      console.error('visible');
      setTimeout(() => {
        throw new Error('boom');
      });
    });
    await page.waitForTimeout(100);
    assert.equal(page.errors.length, 1);
    assert.match(page.errors[0].message, /boom/);
    assert.deepEqual(page.consoleErrors, ['visible']);
  } finally {
    await context.close();
  }
});

test('wrapGetContext counts contexts and live canvases [no-gpu]', async () => {
  const context = await launch('no-gpu');
  try {
    const page = await newPage(context);
    await wrapGetContext(page);
    await page.goto(server.url);
    const counts = await page.evaluate(() => {
      const a = document.body.appendChild(document.createElement('canvas'));
      a.getContext('2d');
      a.getContext('2d'); // the same context again: counted once
      const b = document.body.appendChild(document.createElement('canvas'));
      b.getContext('2d');
      b.getContext('webgl2'); // null here (no GPU APIs, and already a 2d canvas)
      new OffscreenCanvas(4, 4).getContext('2d');
      const before = window.__logmeshContexts.live();
      b.remove();
      return { before, after: window.__logmeshContexts.live('2d') };
    });
    assert.deepEqual(counts, { before: 2, after: 1 });
    assert.deepEqual(await contextCounts(page), { created: { '2d': 3 }, failed: { webgl2: 1 }, live: 1 });
  } finally {
    await context.close();
  }
});

test('countListeners sees window, document, element and shadow-root listeners [webgl2]', async () => {
  const context = await launch('webgl2');
  try {
    const page = await newPage(context);
    await page.goto(server.url);
    const baseline = await countListeners(page);
    await page.evaluate(() => {
      const f = () => {};
      window.addEventListener('resize', f);
      document.addEventListener('keydown', f);
      const host = document.body.appendChild(document.createElement('div'));
      host.addEventListener('click', f);
      const shadow = host.attachShadow({ mode: 'closed' });
      shadow.addEventListener('pointermove', f);
      shadow.appendChild(document.createElement('span')).addEventListener('wheel', f);
      window.__remove = () => {
        host.remove(); // takes its own, its shadow root's and the span's listeners out of the document
        window.removeEventListener('resize', f);
      };
    });
    assert.equal(await countListeners(page), baseline + 5);
    await page.evaluate(() => window.__remove());
    assert.equal(await countListeners(page), baseline + 1); // document's keydown stays
  } finally {
    await context.close();
  }
});

test('recordScreencast captures the painted frames [webgl2]', async () => {
  const context = await launch('webgl2');
  try {
    const page = await newPage(context);
    await page.goto(server.url);
    const frames = await recordScreencast(page, async () => {
      await page.waitForTimeout(200);
      await page.evaluate(() => (document.body.style.background = 'rgb(255, 0, 0)'));
      await page.waitForTimeout(300);
    });
    assert.ok(frames.length >= 1, 'no frames');
    const last = decodePng(frames.at(-1).data);
    assert.ok(last.width > 0 && last.height > 0);
    assert.deepEqual(pixelAt(last, last.width - 2, last.height - 2).slice(0, 3), [255, 0, 0]);
    assert.equal(typeof frames[0].metadata.timestamp, 'number');
  } finally {
    await context.close();
  }
});
