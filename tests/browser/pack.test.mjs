// The published package works through a bundler: `npm pack` out/package/ (scripts/build-package.mjs
// writes it from www/), install the tarball into a fresh Vite app, build it, and the element goes
// live from the built dist/ (so Vite found and copied both wasm
// modules through `new URL('….wasm', import.meta.url)`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serve } from '../../scripts/serve.mjs';
import { launch, newPage } from './lib/browser.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = join(ROOT, 'out', 'package'); // scripts/build-site runs scripts/build-package.mjs
const FIXTURE = join(ROOT, 'out', 'site', 'graph'); // scripts/build-site's prerender
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const NEEDED = [join(PACKAGE, 'wasm', 'webgpu', 'logmesh_bg.wasm'), join(FIXTURE, 'posts.min.json'), join(FIXTURE, 'layout.json')];

// Without the built wasm and fixture there is nothing to pack: skip locally, fail under CI.
const missing = NEEDED.filter((f) => !existsSync(f));
const skip =
  missing.length && !process.env.CI ? `not built yet (missing ${missing.join(', ')}); run the web build first` : false;

const run = promisify(execFile);
async function sh(cmd, args, cwd) {
  try {
    return (await run(cmd, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } })).stdout;
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${err.stdout}\n${err.stderr}`);
  }
}

async function findFiles(dir, pattern) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && pattern.test(e.name)).map((e) => join(e.parentPath ?? e.path, e.name));
}

test('packed tarball in a fresh Vite app goes live [webgl2]', { skip, timeout: 300_000 }, async () => {
  assert.deepEqual(missing, [], 'the web build has not run');
  const tmp = await mkdtemp(join(tmpdir(), 'logmesh-pack-'));
  let server;
  let context;
  try {
    // 1. The tarball, exactly as `npm publish` would upload it.
    const [{ filename }] = JSON.parse(await sh('npm', ['pack', '--json', '--pack-destination', tmp], PACKAGE));
    const tarball = join(tmp, filename);

    // 2. A fresh Vite app that only imports the registering entry.
    const app = join(tmp, 'app');
    await mkdir(join(app, 'public'), { recursive: true });
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }));
    await writeFile(
      join(app, 'index.html'),
      `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>pack check</title><script type="module" src="/main.js"></script></head>
<body>
<log-mesh src="/posts.min.json" layout="/layout.json" style="display:block;aspect-ratio:16/9;width:800px"></log-mesh>
</body>
</html>
`,
    );
    await writeFile(join(app, 'main.js'), "import 'logmesh/element';\n");
    await copyFile(join(FIXTURE, 'posts.min.json'), join(app, 'public', 'posts.min.json'));
    await copyFile(join(FIXTURE, 'layout.json'), join(app, 'public', 'layout.json'));

    // 3. Install (the package has no dependencies, so no network is needed) and build.
    const install = ['install', '--no-audit', '--no-fund', '--offline', tarball];
    await sh('npm', install, app).catch(() => sh('npm', install.filter((a) => a !== '--offline'), app));
    await sh(process.execPath, [VITE, 'build', '--logLevel', 'warn'], app);
    const dist = join(app, 'dist');
    const wasm = await findFiles(dist, /\.wasm$/);
    assert.ok(wasm.length > 0, `vite build emitted no .wasm into dist/`);

    // 4. The built site in Chromium with WebGL2 only: the WebGL2 module must be found too.
    server = await serve({ root: dist });
    context = await launch('webgl2');
    const page = await newPage(context);
    await page.goto(server.url);
    const live = await page
      .waitForFunction(() => document.querySelector('log-mesh')?.state === 'live', null, { timeout: 30_000 })
      .then(() => true, () => false);
    const state = await page.evaluate(() => document.querySelector('log-mesh')?.state);
    const diagnostics = JSON.stringify({ state, errors: page.errors.map(String), console: page.consoleErrors, requests: server.requests }, null, 1);
    assert.ok(live, `<log-mesh> did not go live within 30 s: ${diagnostics}`);
    assert.equal(await page.evaluate(() => document.querySelector('log-mesh').stats().backend), 'webgl2', diagnostics);
    assert.ok(server.requests.some((p) => p.endsWith('.wasm')), diagnostics);
    assert.deepEqual(page.errors, []);
  } finally {
    await context?.close();
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  }
});
