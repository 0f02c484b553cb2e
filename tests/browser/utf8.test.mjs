// posts.json and layout.json read as bytes, as the CLI reads them (docs/DESIGN.md, "posts.json"):
// a leading UTF-8 byte order mark reaches the module, which drops it with a warning; invalid
// UTF-8 is refused with the CLI's message (posts: a `data` error; layout: a `layout` error, then
// the posts are laid out afresh). `Response.text()` would drop the BOM silently and turn the bad
// bytes into U+FFFD, so none of this was seen before.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GRAPH, events, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const POSTS = readFileSync(join(GRAPH, 'posts.min.json'));
const LAYOUT = readFileSync(join(GRAPH, 'layout.json'));
const LAYOUT_HASH = JSON.parse(LAYOUT.toString('utf8')).positions_hash;
// A title with a byte that is never UTF-8: line 2, column 32 (`logmesh validate` says the same).
const BAD_POSTS = Buffer.concat([Buffer.from('{"version":1,\n"posts":[{"id":"a","title":"caf'), Buffer.from([0xff]), Buffer.from('"}]}')]);
// The layout file with a stray byte after its opening brace (line 1, column 2; a lone
// continuation byte, which Response.text() would have turned into U+FFFD, a syntax error).
const BAD_LAYOUT = Buffer.concat([LAYOUT.subarray(0, 1), Buffer.from([0x80]), LAYOUT.subarray(1)]);

const bytes = (body) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(body);
};
const style = 'style="display:block;width:480px;aspect-ratio:16/9"';
const element = (id, src, layout) =>
  `<log-mesh id="${id}" src="${src}"${layout ? ` layout="${layout}"` : ''} ${style}></log-mesh>`;
const page = () => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/graph/logmesh.css">' +
      '<script type="module" src="/logmesh/element.js"></script></head><body>' +
      element('posts-bom', '/bom/posts.json', '/graph/layout.json') +
      element('posts-bad', '/bad/posts.json') +
      element('layout-bom', '/graph/posts.min.json', '/bom/layout.json') +
      element('layout-bad', '/graph/posts.min.json', '/bad/layout.json') +
      '</body></html>',
  );
};

/** @type {Awaited<ReturnType<typeof open>>} */
let site;
/** Console warnings, in order. */
const warnings = [];
/** State of each element once it settled. */
const settled = {};

before(async () => {
  if (skipUnlessBuilt) return;
  const routes = {
    '/utf8/': page(),
    '/bom/posts.json': bytes(Buffer.concat([BOM, POSTS])),
    '/bad/posts.json': bytes(BAD_POSTS),
    '/bom/layout.json': bytes(Buffer.concat([BOM, LAYOUT])),
    '/bad/layout.json': bytes(BAD_LAYOUT),
  };
  site = await open('webgl2', { serverOptions: { routes } });
  site.page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  await site.page.goto(site.url('/utf8/'));
  for (const id of ['posts-bom', 'posts-bad', 'layout-bom', 'layout-bad']) {
    settled[id] = await waitForState(site.page, ['live', 'error'], { selector: `#${id}` });
  }
});

after(async () => {
  await site?.close();
});

/** The `error` events of element `id`: [code, message]. */
const errorsOf = async (id) => (await events(site.page, 'error')).filter((e) => e.target === id).map((e) => [e.detail.code, e.detail.message]);

test('posts.json with a BOM goes live, with the warning the CLI gives [webgl2]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  assert.equal(settled['posts-bom'], 'live');
  assert.deepEqual(await errorsOf('posts-bom'), []);
  assert.ok(warnings.includes('logmesh: document: UTF-8 byte order mark ignored'), JSON.stringify(warnings));
  assert.equal(await site.page.evaluate(() => document.querySelector('#posts-bom').stats().posts), 1000);
});

test('posts.json with invalid UTF-8: state error, code data, where the bad byte is [webgl2]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  assert.equal(settled['posts-bad'], 'error');
  assert.deepEqual(await errorsOf('posts-bad'), [['data', 'line 2, column 32: invalid UTF-8 (byte 0xff)']]);
});

test('layout.json with a BOM is used (no relayout), with a warning [webgl2]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  assert.equal(settled['layout-bom'], 'live');
  assert.deepEqual(await errorsOf('layout-bom'), []);
  assert.ok(warnings.includes('logmesh: layout: UTF-8 byte order mark ignored'), JSON.stringify(warnings));
  assert.equal(await site.page.evaluate(() => document.querySelector('#layout-bom').stats().positions_hash), LAYOUT_HASH);
});

test('layout.json with invalid UTF-8: a layout error, then laid out afresh and live [webgl2]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  assert.equal(settled['layout-bad'], 'live');
  assert.deepEqual(await errorsOf('layout-bad'), [['layout', 'layout: invalid UTF-8 at line 1 column 2; laid out afresh']]);
  // Laid out afresh: the same seed and posts give the bake's positions.
  assert.equal(await site.page.evaluate(() => document.querySelector('#layout-bad').stats().positions_hash), LAYOUT_HASH);
  assert.deepEqual(site.page.errors, []);
});

test('setData with a layout URL that is not UTF-8 also lays out afresh with a layout error [webgl2]', { skip: skipUnlessBuilt, timeout: 90_000 }, async () => {
  const result = await site.page.evaluate(async () => {
    const el = document.querySelector('#layout-bom');
    const errors = [];
    el.addEventListener('error', (e) => errors.push([e.detail.code, e.detail.message]));
    const outcome = await el.setData('/graph/posts.min.json', '/bad/layout.json').then(() => 'resolved', (e) => `${e.code}: ${e.message}`);
    return { outcome, errors, state: el.state };
  });
  assert.deepEqual(result, {
    outcome: 'resolved',
    errors: [['layout', 'layout: invalid UTF-8 at line 1 column 2; laid out afresh']],
    state: 'live',
  });
  const rejected = await site.page.evaluate(() =>
    document.querySelector('#layout-bom').setData('/bad/posts.json').then(() => 'resolved', (e) => `${e.code}: ${e.message}`),
  );
  assert.equal(rejected, 'data: line 2, column 32: invalid UTF-8 (byte 0xff)');
  assert.equal(await site.page.evaluate(() => document.querySelector('#layout-bom').state), 'live', 'the old graph stays');
});
