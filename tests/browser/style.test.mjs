// A site's own colours (docs/DESIGN.md, "A site's colours"): scripts/build-site prerenders the
// bundled site with tests/fixtures/custom-style.toml into out/site/styled/, whose page data is
// version 2 with that style. The live 3D and 2D views draw every post in the style's colour (its
// centre pixel within 8 per channel, the rule the PNG and SVG frames keep in tests/png_vs_svg.rs),
// on the style's background, and the live labels take its label colour and font; the static frame
// under them is the prerendered one, in the same colours.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodePng, pixelAt } from './lib/images.mjs';
import { SITE, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const STYLED = join(SITE, 'styled');
const page = (body) =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>logmesh test</title>' +
  '<link rel="stylesheet" href="/styled/logmesh.css">' +
  `<script type="module" src="/logmesh/element.js"></script></head><body><main>${body}</main></body></html>`;
const html = (body) => async (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(page(body));
};

/** FNV-1a 64 of a string's UTF-8 bytes (src/hash.rs). */
function fnv1a(text) {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** A post's colour by the rule of src/style: its primary tag's own colour, else the palette's. */
function colourOf(style, post) {
  const tag = post.tags?.[0];
  if (tag === undefined) return rgb(style.untagged);
  return rgb(style.tags[tag] ?? style.palette[Number(fnv1a(tag) % BigInt(style.palette.length))]);
}

test('the styled page data carries the style prerender read', { skip: skipUnlessBuilt }, () => {
  const data = JSON.parse(readFileSync(join(STYLED, 'posts.min.json'), 'utf8'));
  assert.equal(data.version, 2);
  assert.deepEqual(data.style.dark, { background: '#1b1a2e', label: '#f4f1de', font: 'Georgia, "Times New Roman", serif' });
  assert.equal(data.style.tags.git, '#d07158');
  assert.ok(readFileSync(join(STYLED, 'logmesh.css'), 'utf8').includes('fill: #fdf6e3;'), 'the light background in the stylesheet');
});

test('a custom palette: the live 3D and 2D views draw each post in its style colour, on its background [webgpu]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const data = JSON.parse(readFileSync(join(STYLED, 'posts.min.json'), 'utf8'));
  const { style, posts } = data;
  const size = 'style="display:block;width:900px;aspect-ratio:16/9"';
  const routes = {
    '/styled-both/': html(`<log-mesh id="a" mode="3d" src="/styled/posts.min.json" layout="/styled/layout.json" ${size}></log-mesh>` +
      `<log-mesh id="b" mode="2d" src="/styled/posts.min.json" layout="/styled/layout.json" ${size}></log-mesh>`),
  };
  const site = await open('webgpu', { serverOptions: { routes }, contextOptions: { colorScheme: 'dark' } });
  const { page: p } = site;
  try {
    await p.goto(site.url('/styled-both/'));
    for (const sel of ['#a', '#b']) assert.equal(await waitForState(p, ['live', 'error'], { selector: sel }), 'live');
    const modes = await p.evaluate(() => ['#a', '#b'].map((s) => document.querySelector(s).stats().mode));
    assert.deepEqual(modes, ['3d', '2d']);
    // The live labels wear the style's dark label colour and font.
    const labels = await p.evaluate(() => {
      const g = document.querySelector('#a .logmesh-live-labels g');
      return { fill: g.getAttribute('fill'), font: g.getAttribute('font-family'), count: g.childElementCount };
    });
    assert.deepEqual({ fill: labels.fill, font: labels.font }, { fill: style.dark.label, font: style.dark.font });
    assert.ok(labels.count > 0, 'labels drawn');
    // Labels sit beside their posts and may cover one: compare the drawn frames.
    await p.evaluate(() => document.querySelectorAll('.logmesh-live-labels').forEach((svg) => (svg.style.visibility = 'hidden')));
    const ids = posts.map((x) => x.id);
    for (const sel of ['#a', '#b']) {
      const shot = decodePng(await p.locator(sel).screenshot());
      assert.deepEqual(pixelAt(shot, 1, 1).slice(0, 3), rgb(style.dark.background), `${sel}: the style's dark background`);
      const at = await p.evaluate(([s, list]) => list.map((id) => document.querySelector(s).screenPosition(id)), [sel, ids]);
      let compared = 0;
      let own = 0;
      const wrong = [];
      posts.forEach((post, i) => {
        const { visible, r, x, y } = at[i];
        if (!visible || r < 3) return;
        const want = colourOf(style, post);
        const got = pixelAt(shot, Math.floor(x), Math.floor(y));
        if (want.some((c, k) => Math.abs(c - got[k]) > 8)) wrong.push(`${post.id}: ${got.slice(0, 3)} for ${want}`);
        compared++;
        if (style.tags[post.tags?.[0]]) own++;
      });
      console.log(`# ${sel} ${modes[sel === '#a' ? 0 : 1]}: ${compared} centres compared (${own} in a tag's own colour), ${wrong.length} off`);
      assert.ok(compared >= 20, `${sel}: compared ${compared} posts`);
      assert.ok(own >= 1, `${sel}: a tag with its own colour is among them`);
      assert.deepEqual(wrong, [], `${sel}: centres off their style colour`);
    }
  } finally {
    await site.close();
  }
});
