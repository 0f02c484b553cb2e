// Launching headless Chromium for the browser tests, one named flag set per test.
//
// What each flag set gives on these machines (probed with Chromium 148.0.7778.167 from Debian bookworm and
// playwright-core 1.65.1, page served from http://127.0.0.1, 2026-11):
//
//   set            navigator.gpu  requestAdapter()       WebGL2 (and WebGL1)                 2d
//   webgpu         yes            swiftshader adapter;   ANGLE on Vulkan SwiftShader          yes
//                                 a render pass into the
//                                 canvas works (preferred
//                                 format rgba8unorm)
//   webgl2         yes            null                   ANGLE on Vulkan SwiftShader          yes
//   no-gpu         yes            null                   null (getContext returns null)       yes
//   webgpu-broken  yes            swiftshader adapter;   ANGLE on Vulkan SwiftShader          yes
//                                 requestDevice works and
//                                 buffer copies/readback work, but
//                                 submitting a pass that draws into
//                                 the canvas texture loses the device
//                                 (reason "destroyed", and
//                                 onSubmittedWorkDone rejects)
//
// Adding --disable-gpu to the webgl2 set changes nothing. navigator.gpu is only present in a secure context:
// on Playwright's initial about:blank (or after page.setContent on it) it is undefined under every set, so
// always navigate to an http://127.0.0.1 URL first. No XDG_RUNTIME_DIR is needed by Chromium here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const FLAG_SETS = Object.freeze({
  // WebGPU on SwiftShader; needs exactly these four flags and no --disable-gpu.
  webgpu: [
    ...BASE,
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-vulkan=swiftshader',
    '--use-angle=swiftshader',
  ],
  // WebGL2 only: requestAdapter() resolves to null, so pages fall back to WebGL2.
  webgl2: [...BASE],
  // No GPU API at all (WebGPU adapter null, WebGL/WebGL2 contexts null): for the 2D fallback.
  'no-gpu': [...BASE, '--disable-3d-apis'],
  // Adapter and device appear, but the device is lost on the first frame drawn into a canvas.
  'webgpu-broken': [...BASE, '--enable-unsafe-webgpu'],
});

/**
 * Launches Chromium with one of FLAG_SETS in a fresh profile directory (Playwright rejects --user-data-dir
 * in args). Returns the persistent BrowserContext; its close() also removes the profile directory.
 */
export async function launch(flagSet, options = {}) {
  const args = FLAG_SETS[flagSet];
  if (!args) throw new Error(`unknown flag set ${JSON.stringify(flagSet)}; one of ${Object.keys(FLAG_SETS)}`);
  // Chromium occasionally dies while starting on a loaded 2-core machine ("Target page, context
  // or browser has been closed" before any page exists): that is the harness, not the product,
  // so a launch is tried up to three times, each in a fresh profile.
  let context;
  let profile;
  for (let attempt = 1; ; attempt++) {
    profile = await mkdtemp(join(tmpdir(), 'logmesh-chromium-'));
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args,
        viewport: { width: 1280, height: 800 },
        ...options,
      });
      break;
    } catch (err) {
      await rm(profile, { recursive: true, force: true });
      if (attempt >= 3) throw err;
      console.warn(`# chromium did not start (attempt ${attempt} of 3): ${String(err.message).split('\n')[0]}`);
    }
  }
  const close = context.close.bind(context);
  let closing = null;
  // Idempotent: tests may close in both the body and an after() hook.
  context.close = (...a) =>
    (closing ??= close(...a).finally(() => rm(profile, { recursive: true, force: true })));
  context.flagSet = flagSet;
  return context;
}

/**
 * Opens a page that records uncaught exceptions (page.errors: Error[]) and console errors
 * (page.consoleErrors: string[]), so a test can assert that nothing went wrong.
 */
export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.consoleErrors = [];
  page.on('pageerror', (err) => page.errors.push(err));
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.consoleErrors.push(msg.text());
  });
  return page;
}
