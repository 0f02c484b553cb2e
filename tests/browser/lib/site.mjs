// The demo site (scripts/build-site writes out/site/) served for a test, and the page helpers the
// element tests share: event capture, waiting for a state, reading hits-3d.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../../scripts/serve.mjs';
import { launch, newPage } from './browser.mjs';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SITE = join(ROOT, 'out', 'site');
export const GRAPH = join(SITE, 'graph');

/** Skip reason when the site is not built (locally); under CI a missing build fails instead. */
export const skipUnlessBuilt =
  !existsSync(join(SITE, 'logmesh', 'wasm', 'webgl2', 'logmesh_bg.wasm')) && !process.env.CI
    ? 'out/site is not built (run scripts/build-site)'
    : false;

/** hits-3d.json of the demo site's prerender: the static frame's posts in CSS px. */
export function hits() {
  return JSON.parse(readFileSync(join(GRAPH, 'hits-3d.json'), 'utf8'));
}

/** The demo site's embed.html fragment. */
export function embed() {
  return readFileSync(join(GRAPH, 'embed.html'), 'utf8');
}

/** Records every logmesh event (document, capture) into window.__events; call before goto. */
async function captureEvents(page) {
  await page.addInitScript(() => {
    window.__events = [];
    for (const type of ['ready', 'fallback', 'error', 'hover', 'select', 'open']) {
      document.addEventListener(type, (e) => {
        if (!(e instanceof CustomEvent)) return;
        window.__events.push({ type, detail: e.detail, target: e.target?.id || e.target?.tagName, t: performance.now() });
      }, true);
    }
  });
}

/**
 * Serves out/site (server options: csp, hold, routes), launches Chromium with `flagSet` and opens
 * a page that captures events. Returns { server, context, page, url(path), close() }.
 */
export async function open(flagSet, { serverOptions = {}, contextOptions = {}, beforeGoto } = {}) {
  const server = await serve({ root: SITE, ...serverOptions });
  // 1000 px high: the demo's element lies wholly in view.
  const context = await launch(flagSet, { viewport: { width: 1280, height: 1000 }, ...contextOptions });
  const page = await newPage(context);
  await captureEvents(page);
  if (beforeGoto) await beforeGoto(page);
  return {
    server,
    context,
    page,
    url: (path) => new URL(path, server.url).href,
    async close() {
      await context.close();
      await server.close();
    },
  };
}

/** Waits until the (first) element's state is one of `states`; returns it. */
export async function waitForState(page, states, { selector = 'log-mesh', timeout = 60_000 } = {}) {
  const handle = await page.waitForFunction(
    ([sel, wanted]) => {
      const state = document.querySelector(sel)?.state;
      return wanted.includes(state) ? state : false;
    },
    [selector, states],
    { timeout },
  );
  return handle.jsonValue();
}

/** The captured events of `type` (all when omitted). */
export function events(page, type) {
  return page.evaluate((t) => window.__events.filter((e) => !t || e.type === t), type);
}

/** The element's box in page CSS px. */
export function box(page, selector = 'log-mesh') {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  }, selector);
}
