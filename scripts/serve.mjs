#!/usr/bin/env node
// A tiny static file server for the browser tests and local demos; loopback addresses only.
//
// Library:  const s = await serve({ root, port, host, csp, hold, routes, gzip });  ...  await s.close();
// CLI:      node scripts/serve.mjs ROOT [--port N] [--csp "..."] [--open-path /log/] [--no-gzip]
//           prints one line, the URL to open, then serves until SIGINT/SIGTERM.
//
// With `gzip` (the CLI's default, as real hosting does) text, JS, JSON, SVG and wasm go out
// gzip-compressed to clients that accept it; images that are compressed already (PNG, WebP,
// AVIF) go out as they are. The tests serve uncompressed unless they ask.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** Types worth compressing (what hosting compresses by default). */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|wasm)|image\/svg\+xml)/;

/**
 * Starts serving `root`. Options:
 * - port: 0 picks a free one.
 * - csp: sent as Content-Security-Policy on HTML responses.
 * - hold: a RegExp on the path; matching requests wait until release() (to test loading states).
 * - routes: { '/exact/path': async (req, res) => {...} } for special responses (errors, slow bodies).
 * - gzip: compress text, JS, JSON, SVG and wasm for clients that accept gzip (level 9, cached per file).
 * Returns { url, port, close(), release(pattern?), requests } where requests lists every path asked for.
 */
export async function serve({ root, port = 0, host = '127.0.0.1', csp = null, hold = null, routes = {}, gzip = false }) {
  if (!LOOPBACK.has(host)) throw new Error(`serve: only loopback hosts are allowed, not ${host}`);
  if (!root) throw new Error('serve: root is required');
  const base = resolve(root);
  const requests = [];
  const held = []; // { path, resume }
  /** file -> { mtimeMs, bytes } of its gzip encoding. */
  const gzipped = new Map();
  let holding = hold;

  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(res, 400, 'bad request');
    }
    requests.push(path);
    if (holding && holding.test(path)) await new Promise((resume) => held.push({ path, resume }));
    try {
      if (Object.hasOwn(routes, path)) return await routes[path](req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      await sendFile(req, res, path);
    } catch (err) {
      if (!res.headersSent) send(res, 500, String(err?.message ?? err));
      else res.destroy();
    }
  });

  async function sendFile(req, res, path) {
    let file = resolve(base, '.' + path);
    // No escaping the root (.. segments, or an absolute path smuggled in through %2F).
    if (file !== base && !file.startsWith(base + sep)) return send(res, 404, 'not found');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      // Like most static servers: /dir -> /dir/ so relative URLs in its index.html resolve.
      if (!path.endsWith('/')) {
        res.writeHead(301, { Location: path + '/', 'Cache-Control': 'no-store' });
        return res.end();
      }
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      // Browsers ask for /favicon.ico unprompted; a 404 would show up as a console error in every test.
      if (path === '/favicon.ico') {
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        return res.end();
      }
      return send(res, 404, 'not found');
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers = { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-store' };
    if (csp != null && type.startsWith('text/html')) headers['Content-Security-Policy'] = csp;
    if (gzip && COMPRESSIBLE.test(type)) {
      headers.Vary = 'Accept-Encoding';
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        let cached = gzipped.get(file);
        if (!cached || cached.mtimeMs !== info.mtimeMs) {
          cached = { mtimeMs: info.mtimeMs, bytes: gzipSync(await readFile(file), { level: 9 }) };
          gzipped.set(file, cached);
        }
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': cached.bytes.length });
        return res.end(req.method === 'HEAD' ? undefined : cached.bytes);
      }
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const actual = server.address().port;
  const urlHost = host === '::1' ? '[::1]' : host;

  return {
    url: `http://${urlHost}:${actual}/`,
    port: actual,
    requests,
    /** Answers the held requests (those matching `pattern` if given, else all; later ones then pass). */
    release(pattern) {
      if (!pattern) holding = null;
      for (let i = held.length - 1; i >= 0; i--) {
        if (!pattern || pattern.test(held[i].path)) held.splice(i, 1)[0].resume();
      }
    },
    close() {
      for (const h of held.splice(0)) h.resume();
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

async function main(argv) {
  const usage = 'usage: node scripts/serve.mjs ROOT [--port N] [--csp "..."] [--open-path /path/] [--no-gzip]';
  const opts = { root: null, port: 0, csp: null, gzip: true };
  let openPath = '/';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage}`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(value());
    else if (a === '--csp') opts.csp = value();
    else if (a === '--open-path') openPath = value();
    else if (a === '--no-gzip') opts.gzip = false;
    else if (a === '-h' || a === '--help') return void console.log(usage);
    else if (a.startsWith('-') || opts.root) throw new Error(`unexpected argument ${a}\n${usage}`);
    else opts.root = a;
  }
  if (!opts.root) throw new Error(usage);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port: 0..65535');
  const s = await serve(opts);
  console.log(new URL(openPath.replace(/^\/*/, ''), s.url).href);
  const stop = () => s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(2);
  });
}
