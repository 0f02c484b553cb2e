#!/usr/bin/env node
// Screenshots of the demo page (out/site, scripts/build-site) as a visitor sees it, to look at
// side by side: on a desktop (1280 x 900, WebGPU flag set) and on an emulated phone (390 x 844,
// dpr 3, touch, WebGL2 flag set: the phone gets the 2D view), each static (the prerendered
// picture, the element's module held back by the server) and live (after `ready`).
// The same for a post page with its local graph (prerender --local: out/site/log/<post>/), and
// the demo page filtered by its first tag chip ({desktop,phone}-filtered), and the bundled site in
// its own colours (-styled: out/site/styled/, tests/fixtures/custom-style.toml).
// Writes OUT_DIR/{desktop,phone}[-post|-styled]-{static,live}.jpg (JPEG, the page's top down to the
// element, one pixel per CSS px) and -element.png (the element alone, at the device's density),
// and prints, per page and device, the mean absolute difference between the element's two pictures.
// Usage: node scripts/screenshots.mjs [OUT_DIR]   (default: out/screenshots)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './serve.mjs';
import { launch, newPage } from '../tests/browser/lib/browser.mjs';
import { decodePng, meanAbsDiff } from '../tests/browser/lib/images.mjs';
import { SITE } from '../tests/browser/lib/site.mjs';

const outDir = process.argv[2] ?? 'out/screenshots';
mkdirSync(outDir, { recursive: true });

const DEVICES = [
  { name: 'desktop', flagSet: 'webgpu', options: { viewport: { width: 1280, height: 900 } } },
  {
    name: 'phone',
    flagSet: 'webgl2',
    options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  },
];

/** A post page with a local graph of at least 8 posts (the demo site's post pages show theirs). */
function postPage() {
  const names = JSON.parse(readFileSync(join(SITE, 'graph', 'local', 'index.json'), 'utf8')).names;
  const { posts } = JSON.parse(readFileSync(join(SITE, 'graph', 'posts.min.json'), 'utf8'));
  return posts.find((p) => p.url?.startsWith('/log/') &&
    JSON.parse(readFileSync(join(SITE, 'graph', 'local', `${names[p.id]}.json`), 'utf8')).posts.length >= 8).url;
}
const PAGES = [{ suffix: '', path: '/log/' }, { suffix: '-post', path: postPage() }, { suffix: '-styled', path: '/styled/' }];

/** The element's box on the page, in CSS px. */
const elementBox = (page) =>
  page.evaluate(() => {
    const r = document.querySelector('log-mesh').getBoundingClientRect();
    return { x: r.left, y: r.top + scrollY, width: r.width, height: r.height };
  });

for (const { suffix, path } of PAGES) for (const device of DEVICES) {
  // The element's module is held back until the static shot is taken.
  const server = await serve({ root: SITE, gzip: true, hold: /^\/logmesh\// });
  const context = await launch(device.flagSet, device.options);
  try {
    const page = await newPage(context);
    await page.goto(new URL(path, server.url).href, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const img = document.querySelector('log-mesh img');
      // A local graph's frames are inline SVG: there once the element is.
      return img ? img.complete && img.naturalWidth > 0 : !!document.querySelector('log-mesh svg.logmesh-frame');
    });
    await page.evaluate(() => document.querySelector('log-mesh').scrollIntoView({ block: 'end' }));
    const box = await elementBox(page);
    const top = Math.max(0, box.y + box.height + 24 - 1400);
    const clip = { x: 0, y: top, width: device.options.viewport.width, height: Math.min(box.y + box.height + 24, 1400) };
    const shots = {};
    for (const phase of ['static', 'live']) {
      if (phase === 'live') {
        server.release();
        await page.waitForFunction(() => ['live', 'error'].includes(document.querySelector('log-mesh')?.state), null, { timeout: 60_000 });
        await page.waitForTimeout(500);
      }
      const state = await page.evaluate(() => document.querySelector('log-mesh').state);
      // One pixel per CSS px (small files to look at), and the element at full density.
      writeFileSync(join(outDir, `${device.name}${suffix}-${phase}.jpg`), await page.screenshot({ type: 'jpeg', quality: 85, clip, scale: 'css' }));
      const element = await page.screenshot({ clip: { x: box.x, y: box.y, width: box.width, height: box.height } });
      writeFileSync(join(outDir, `${device.name}${suffix}-${phase}-element.png`), element);
      shots[phase] = decodePng(element);
      console.log(`${device.name}${suffix} ${phase}: state ${state}, element ${box.width.toFixed(0)} x ${box.height.toFixed(0)} CSS px`);
    }
    if (suffix === '') {
      // A filtered view: the demo's finder with its first tag chip pressed (the rest dimmed).
      await page.locator('form.finder .chip').first().click();
      await page.mouse.move(0, 0);
      await page.waitForTimeout(500);
      writeFileSync(join(outDir, `${device.name}-filtered-element.png`), await page.locator('log-mesh').screenshot());
      writeFileSync(join(outDir, `${device.name}-filtered.jpg`), await page.screenshot({ type: 'jpeg', quality: 85, scale: 'css' }));
      console.log(`${device.name} filtered: ${await page.locator('#finder-status').textContent()}`);
    }
    const after = await elementBox(page);
    console.log(
      `${device.name}${suffix}: static vs live mean abs diff ${(meanAbsDiff(shots.static, shots.live) * 100).toFixed(2)}%, ` +
        `box moved ${Math.abs(after.y - box.y) + Math.abs(after.height - box.height)} px, page errors ${page.errors.length}`,
    );
  } finally {
    await context.close();
    await server.close();
  }
}
console.log(`wrote ${outDir}/{desktop,phone}[-post]-{static,live}.jpg and -element.png`);
