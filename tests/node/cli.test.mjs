// The npm package's `logmesh` bin (the CLI compiled to wasm, run by Node) against the native CLI:
// the package is packed and installed into a fresh folder, as a site owner would, and each
// command runs both ways on the same inputs: the same exit status, stdout and stderr, the same
// files byte for byte, the same positions_hash; the Node CLI's PNG frames (the SVG frames
// rasterised on the CPU) within docs/DESIGN.md's PNG-vs-SVG tolerance of the GPU's.
//
// Needs out/package/ (scripts/build-site) and the native binary (LOGMESH_BIN, default
// target/release/logmesh, which scripts/build-site builds).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NATIVE = process.env.LOGMESH_BIN ?? join(ROOT, 'target/release/logmesh');
const FIXTURES = join(ROOT, 'tests/fixtures');
/** docs/DESIGN.md: mean absolute pixel difference of the CPU raster from the GPU frame. */
const MEAN_DIFF = 0.02;

let work;
let bin;

before(() => {
  assert.ok(existsSync(NATIVE), `${NATIVE} missing: run scripts/build-site first`);
  assert.ok(existsSync(join(ROOT, 'out/package/bin/logmesh.js')), 'out/package missing: run scripts/build-site');
  work = mkdtempSync(join(tmpdir(), 'logmesh-node-cli-'));
  // A fresh project with only Node and the packed package: `npm pack`, then `npm install` of the
  // tarball (no registry needed: the package has no dependencies).
  const project = join(work, 'project');
  mkdirSync(project);
  const packed = execFileSync('npm', ['pack', join(ROOT, 'out/package'), '--pack-destination', work, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop();
  writeFileSync(join(project, 'package.json'), '{ "name": "site", "private": true }\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(work, packed)], { cwd: project });
  bin = join(project, 'node_modules/.bin/logmesh');
  assert.ok(existsSync(bin), 'npm installed the logmesh bin');
});

after(() => rmSync(work, { recursive: true, force: true }));

/** Runs `args` natively and through the package's bin in `cwd`; outputs relative to it. */
function both(args, cwd) {
  const run = (command) => {
    const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? work } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { native: run(NATIVE), node: run(bin) };
}

/** A fresh folder holding a copy of `fixture` (a path under tests/fixtures). */
function copy(fixture) {
  const dir = mkdtempSync(join(work, 'case-'));
  cpSync(join(FIXTURES, fixture), join(dir, 'in'), { recursive: true });
  return dir;
}

function same(runs, what) {
  assert.equal(runs.node.code, runs.native.code, `${what}: exit status\n${runs.node.stderr}\n---\n${runs.native.stderr}`);
  assert.equal(runs.node.stdout, runs.native.stdout, `${what}: stdout`);
  assert.equal(runs.node.stderr, runs.native.stderr, `${what}: stderr`);
}

test('import: every fixture site gives the same posts.json and report', () => {
  const sites = ['hugo-yaml', 'jekyll', 'zola', 'obsidian', 'html-site', 'feeds/rss', 'feeds/atom', 'feeds/json'];
  for (const site of sites) {
    const dir = copy(join('import', site));
    const args = readFileSync(join(dir, 'in/args.txt'), 'utf8').split('\n').filter(Boolean);
    same(both(['import', ...args, '-o', '../posts.json'], join(dir, 'in')), site);
    const native = spawnSync(NATIVE, ['import', ...args, '-o', '../native.json'], { cwd: join(dir, 'in') });
    const node = spawnSync(bin, ['import', ...args, '-o', '../node.json'], { cwd: join(dir, 'in') });
    assert.equal(native.status, 0, `${site}: ${native.stderr}`);
    assert.equal(node.status, 0, `${site}: ${node.stderr}`);
    const nativeBytes = readFileSync(join(dir, 'native.json'));
    assert.deepEqual(readFileSync(join(dir, 'node.json')), nativeBytes, `${site}: posts.json`);
  }
});

test('validate, bake and gen: the same output, files and hash', () => {
  const dir = copy('site-1k.json');
  same(both(['validate', 'in'], dir), 'validate');
  same(both(['validate', 'in', '--json'], dir), 'validate --json');
  const native = spawnSync(NATIVE, ['bake', 'in', '-o', 'native.json'], { cwd: dir, encoding: 'utf8' });
  const node = spawnSync(bin, ['bake', 'in', '-o', 'node.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(node.status, 0, node.stderr);
  assert.equal(node.stdout.split('\n').at(-2), native.stdout.split('\n').at(-2), 'bake: the hash line');
  assert.match(node.stdout, /hash: [0-9a-f]{16}\n$/);
  assert.deepEqual(readFileSync(join(dir, 'node.json')), readFileSync(join(dir, 'native.json')), 'layout.json');
  spawnSync(NATIVE, ['gen', '--posts', '300', '--seed', '7', '-o', 'gen-native.json'], { cwd: dir });
  spawnSync(bin, ['gen', '--posts', '300', '--seed', '7', '-o', 'gen-node.json'], { cwd: dir });
  assert.deepEqual(readFileSync(join(dir, 'gen-node.json')), readFileSync(join(dir, 'gen-native.json')), 'gen');
});

test('errors: the same messages and exit statuses', () => {
  const dir = mkdtempSync(join(work, 'errors-'));
  writeFileSync(join(dir, 'bad.json'), '{"version": 1, "posts": [{"id": "a", "title": "A", "url": "javascript:x"}]}');
  same(both(['validate', 'bad.json'], dir), 'invalid posts');
  same(both(['validate', 'missing.json'], dir), 'missing file');
  same(both(['validate', '.'], dir), 'a folder');
  same(both(['bake', 'missing.json', '-o', 'x.json'], dir), 'bake: missing file');
  same(both(['import', 'nowhere', '-o', 'x.json'], dir), 'import: missing source');
  same(both(['frobnicate'], dir), 'unknown command');
  same(both(['validate', '--bogus', 'bad.json'], dir), 'unknown flag');
  same(both(['prerender', 'bad.json', '--out-dir', 'o', '--base-url', 'javascript:alert(1)'], dir), 'unsafe --base-url');
  const runs = both(['validate', 'bad.json'], dir);
  assert.equal(runs.node.code, 1);
  assert.equal(both(['validate', 'missing.json'], dir).node.code, 2);
  assert.equal(both(['--version'], dir).node.stdout, both(['--version'], dir).native.stdout);
});

test('pick: the CPU picker answers alike; the Node CLI has no GPU (exit 3)', () => {
  const dir = copy('small.json');
  for (const at of ['600,337', '10,10', '300,200']) {
    same(both(['pick', 'in', '--backend', 'cpu', '--at', at], dir), `pick --at ${at}`);
  }
  const gpu = spawnSync(bin, ['pick', 'in', '--at', '10,10'], { cwd: dir, encoding: 'utf8' });
  assert.equal(gpu.status, 3);
  assert.match(gpu.stderr, /no GPU adapter/);
});

function decode(path) {
  const png = PNG.sync.read(readFileSync(path));
  return png;
}

test('prerender from a Markdown folder in a fresh project, with its logmesh.toml: the same hash and files; frames within tolerance', () => {
  const dir = copy('import/zola');
  // The site's own colours, read from the working folder by both (docs/DESIGN.md, "A site's colours").
  cpSync(join(FIXTURES, 'custom-style.toml'), join(dir, 'logmesh.toml'));
  const args = (out) => ['prerender', 'in/content', '--posts-url', '/blog/', '--out-dir', out];
  const native = spawnSync(NATIVE, args('native'), { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? work } });
  const node = spawnSync(bin, args('node'), { cwd: dir, encoding: 'utf8' });
  assert.equal(node.status, 0, node.stderr);
  assert.ok([0, 3].includes(native.status), native.stderr);
  const hash = (r) => r.stdout.trim().split('\n').at(-1);
  assert.match(hash(node), /^hash: [0-9a-f]{16}$/);
  assert.equal(hash(node), hash(native), 'positions_hash');
  const gpu = native.status === 0;
  assert.match(readFileSync(join(dir, 'node', 'posts.min.json'), 'utf8'), /^\{"version":2,"style":\{"palette":\["#d1495b"/);
  assert.ok(readFileSync(join(dir, 'node', 'logmesh.css'), 'utf8').includes('stroke: #1b1a2e;'), 'the dark background in the stylesheet');
  const files = readdirSync(join(dir, 'node')).sort();
  assert.deepEqual(files, readdirSync(join(dir, 'native')).sort().concat(gpu ? [] : ['frame-2d-dark.png', 'frame-2d-light.png', 'frame-3d-dark.png', 'frame-3d-light.png']).sort());
  const identical = files.filter((f) => !/\.(png|webp)$/.test(f) && (gpu || f !== 'embed.html'));
  for (const file of identical) {
    assert.deepEqual(readFileSync(join(dir, 'node', file)), readFileSync(join(dir, 'native', file)), file);
  }
  if (!gpu) return;
  for (const file of files.filter((f) => f.endsWith('.png'))) {
    const [a, b] = [decode(join(dir, 'node', file)), decode(join(dir, 'native', file))];
    assert.deepEqual([a.width, a.height], [b.width, b.height], file);
    let total = 0;
    for (let i = 0; i < a.data.length; i += 1) total += Math.abs(a.data[i] - b.data[i]);
    const mean = total / a.data.length / 255;
    assert.ok(mean <= MEAN_DIFF, `${file}: mean difference ${mean.toFixed(4)} > ${MEAN_DIFF}`);
  }
  // The WebP frames decode to the frame's size (Chromium, the test's browser, would show them).
  for (const file of files.filter((f) => f.endsWith('.webp'))) {
    const bytes = readFileSync(join(dir, 'node', file));
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'RIFF', file);
    assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WEBP', file);
  }
});
