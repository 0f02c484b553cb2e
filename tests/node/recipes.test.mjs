// The recipes of README.md ("From a site's own files") run as written: each code block's first
// line names the fixture site it works on; its command runs in a copy of that site, `logmesh` as
// the native binary and `npx logmesh` as the npm package's bin installed in the copy. Each must
// import posts and write the embed files.
//
// Needs out/package/ and target/release/logmesh (scripts/build-site).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NATIVE = process.env.LOGMESH_BIN ?? join(ROOT, 'target/release/logmesh');

/** The recipes: `{ fixture, command }` from README.md's section. */
function recipes() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split("## From a site's own files")[1]?.split('\n## ')[0];
  assert.ok(section, "README.md has the section \"From a site's own files\"");
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const found = [];
  for (const block of blocks) {
    const fixture = block.match(/^# .*\((tests\/fixtures\/import\/[^)]+)\)\n/)?.[1];
    if (!fixture) continue;
    const command = block.split('\n').find((line) => /^(npx )?logmesh /.test(line));
    assert.ok(command, `a command in the block for ${fixture}`);
    found.push({ fixture, command });
  }
  return found;
}

/** Splits a command line as sh would for these (words, single quotes). */
function words(line) {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

let work;
let tarball;

before(() => {
  assert.ok(existsSync(NATIVE), `${NATIVE} missing: run scripts/build-site first`);
  work = mkdtempSync(join(tmpdir(), 'logmesh-recipes-'));
  const name = execFileSync('npm', ['pack', join(ROOT, 'out/package'), '--pack-destination', work, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop();
  tarball = join(work, name);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('README has a recipe for each kind of site', () => {
  const fixtures = recipes().map((r) => r.fixture);
  assert.deepEqual(fixtures.length, 6, fixtures.join(', '));
  assert.ok(recipes().some((r) => r.command.startsWith('npx ')), 'a Node recipe');
});

for (const { fixture, command } of recipes()) {
  test(`recipe: ${command}`, () => {
    const dir = mkdtempSync(join(work, 'site-'));
    cpSync(join(ROOT, fixture), dir, { recursive: true });
    const [first, ...rest] = words(command);
    let program = NATIVE; // `logmesh` itself
    let args = rest;
    if (first === 'npx') {
      writeFileSync(join(dir, 'package.json'), '{ "name": "site", "private": true }\n');
      execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', tarball], { cwd: dir });
      program = 'npx';
      args = ['--no-install', ...rest];
    }
    const run = spawnSync(program, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? work } });
    // 3: the native CLI found no GPU adapter (the SVG frames then); everything else is written.
    assert.ok([0, 3].includes(run.status), `${command}: exit ${run.status}\n${run.stderr}`);
    const posts = Number(run.stderr.match(/^import: (\d+) posts?/m)?.[1]);
    assert.ok(posts > 0, `${command}: posts imported\n${run.stderr}`);
    const out = args[args.indexOf('--out-dir') + 1];
    for (const file of ['embed.html', 'layout.json', 'posts.min.json']) {
      assert.ok(existsSync(join(dir, out, file)), `${command}: ${out}/${file}`);
    }
    const embed = readFileSync(join(dir, out, 'embed.html'), 'utf8');
    const base = args[args.indexOf('--base-url') + 1];
    assert.ok(embed.includes(`${base}posts.min.json`), `${command}: embed.html's data URL under ${base}`);
  });
}
