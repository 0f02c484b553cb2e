// scripts/serve.mjs: the static server the browser tests stand on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const SERVE = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
let root;
let outside;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'logmesh-serve-'));
  root = join(dir, 'root');
  outside = join(dir, 'secret.txt');
  await mkdir(join(root, 'log'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><p>home</p>');
  await writeFile(join(root, 'log', 'index.html'), '<!doctype html><p>log</p>');
  await writeFile(join(root, 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(join(root, 'a.js'), 'export {};');
  await writeFile(join(root, 'data.json'), '{}');
  await writeFile(outside, 'do not serve');
});

after(() => rm(join(root, '..'), { recursive: true, force: true }));

// A raw request: fetch() would normalise the ../ segments away before they reach the server.
function get(port, path, headers = {}) {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('MIME types, no-store, and directory index', async () => {
  const s = await serve({ root });
  try {
    const wasm = await get(s.port, '/m.wasm');
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    assert.equal(wasm.headers['cache-control'], 'no-store');
    assert.equal(wasm.body.length, 8);
    assert.match((await get(s.port, '/a.js')).headers['content-type'], /^text\/javascript/);
    assert.equal((await get(s.port, '/data.json')).headers['content-type'], 'application/json');
    const log = await get(s.port, '/log/');
    assert.equal(log.status, 200);
    assert.match(log.body.toString(), /<p>log<\/p>/);
    assert.equal((await get(s.port, '/log')).headers.location, '/log/');
    assert.equal((await get(s.port, '/missing.js')).status, 404);
    assert.deepEqual(s.requests, ['/m.wasm', '/a.js', '/data.json', '/log/', '/log', '/missing.js']);
    assert.equal(s.url, `http://127.0.0.1:${s.port}/`);
    assert.equal((await get(s.port, '/favicon.ico')).status, 204); // not a console error in every test
  } finally {
    await s.close();
  }
});

test('no path traversal out of the root', async () => {
  const s = await serve({ root });
  try {
    for (const path of ['/../secret.txt', '/log/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await get(s.port, path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body.toString(), /do not serve/, path);
    }
  } finally {
    await s.close();
  }
});

test('CSP header on HTML only', async () => {
  const csp = "script-src 'self' 'wasm-unsafe-eval'";
  const s = await serve({ root, csp });
  try {
    assert.equal((await get(s.port, '/')).headers['content-security-policy'], csp);
    assert.equal((await get(s.port, '/m.wasm')).headers['content-security-policy'], undefined);
  } finally {
    await s.close();
  }
  const plain = await serve({ root });
  try {
    assert.equal((await get(plain.port, '/')).headers['content-security-policy'], undefined);
  } finally {
    await plain.close();
  }
});

test('gzip: text, JS, JSON and wasm compressed for clients that accept it, never for others', async () => {
  const s = await serve({ root, gzip: true });
  const plain = await serve({ root });
  try {
    for (const path of ['/a.js', '/data.json', '/m.wasm', '/']) {
      const zipped = await get(s.port, path, { 'Accept-Encoding': 'gzip, deflate, br' });
      assert.equal(zipped.headers['content-encoding'], 'gzip', path);
      assert.equal(zipped.headers.vary, 'Accept-Encoding', path);
      assert.equal(gunzipSync(zipped.body).toString('latin1'), (await get(plain.port, path)).body.toString('latin1'), path);
      assert.equal((await get(s.port, path)).headers['content-encoding'], undefined, `${path} without Accept-Encoding`);
      assert.equal((await get(plain.port, path, { 'Accept-Encoding': 'gzip' })).headers['content-encoding'], undefined, `${path}, gzip off`);
    }
  } finally {
    await s.close();
    await plain.close();
  }
});

test('held requests wait for release()', async () => {
  const s = await serve({ root, hold: /\.wasm$/ });
  try {
    let answered = false;
    const pending = get(s.port, '/m.wasm').then((r) => ((answered = true), r));
    assert.equal((await get(s.port, '/a.js')).status, 200); // not held
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(answered, false);
    assert.deepEqual(s.requests, ['/m.wasm', '/a.js']);
    s.release();
    assert.equal((await pending).status, 200);
    assert.equal((await get(s.port, '/m.wasm')).status, 200); // after release, no longer held
  } finally {
    await s.close();
  }
});

test('release(pattern) answers only the matching held requests', async () => {
  const s = await serve({ root, hold: /\.(wasm|json)$/ });
  try {
    let wasmDone = false;
    const wasm = get(s.port, '/m.wasm').then((r) => ((wasmDone = true), r));
    const json = get(s.port, '/data.json');
    await new Promise((r) => setTimeout(r, 100));
    s.release(/\.json$/);
    assert.equal((await json).status, 200);
    assert.equal(wasmDone, false);
    s.release();
    assert.equal((await wasm).status, 200);
  } finally {
    await s.close();
  }
});

test('routes answer exact paths', async () => {
  const s = await serve({
    root,
    routes: {
      '/data.json': async (req, res) => {
        res.writeHead(503, { 'Content-Type': 'text/plain' });
        res.end('down');
      },
    },
  });
  try {
    const res = await get(s.port, '/data.json');
    assert.equal(res.status, 503);
    assert.equal(res.body.toString(), 'down');
    assert.equal((await get(s.port, '/data.json?x=1')).status, 503); // the query is not part of the path
  } finally {
    await s.close();
  }
});

test('only loopback hosts', async () => {
  await assert.rejects(serve({ root, host: '0.0.0.0' }), /loopback/);
});

test('CLI prints one URL line and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [SERVE, root, '--open-path', '/log/', '--csp', "default-src 'self'"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise((ok, fail) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        if (out.includes('\n')) ok(out);
      });
      child.once('exit', (code) => fail(new Error(`serve.mjs exited early (${code})`)));
    });
    assert.match(line, /^http:\/\/127\.0\.0\.1:\d+\/log\/\n$/);
    const url = new URL(line.trim());
    const res = await get(Number(url.port), url.pathname);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-security-policy'], "default-src 'self'");
  } finally {
    const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
    child.kill('SIGTERM');
    assert.deepEqual(await exited, { code: 0, signal: null });
  }
});
