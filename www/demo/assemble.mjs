// Assembles the demo site (scripts/build-site): the /log page from index.html with the
// prerendered embed.html in place of its marker, and one small page per post so that clicks
// land somewhere. Usage: node www/demo/assemble.mjs POSTS_JSON GRAPH_DIR SITE_DIR
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [postsPath, graphDir, siteDir] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const escape = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const template = readFileSync(join(here, 'index.html'), 'utf8');
const embed = readFileSync(join(graphDir, 'embed.html'), 'utf8');
if (!template.includes('<!-- logmesh:embed -->')) throw new Error('index.html lacks the embed marker');
mkdirSync(join(siteDir, 'log'), { recursive: true });
writeFileSync(join(siteDir, 'log', 'index.html'), template.replace('<!-- logmesh:embed -->', embed));
for (const file of ['demo.js', 'demo.css']) copyFileSync(join(here, file), join(siteDir, 'log', file));

const { posts } = JSON.parse(readFileSync(postsPath, 'utf8'));
// Each post page shows its local graph (prerender --local: local/index.json names its fragment).
let localNames = {};
try {
  localNames = JSON.parse(readFileSync(join(graphDir, 'local', 'index.json'), 'utf8')).names;
} catch {
  // No local graphs prerendered: the post pages go without.
}
const items = [];
for (const post of posts) {
  if (typeof post.url !== 'string' || !post.url.startsWith('/log/')) continue;
  const name = localNames[post.id];
  const local = name === undefined ? '' :
    `<h2>Nearby posts</h2>\n${readFileSync(join(graphDir, 'local', `${name}.html`), 'utf8')}`;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(post.title)}</title>` +
    `<link rel="stylesheet" href="/log/demo.css"><script type="module" src="/log/demo.js"></script></head>` +
    `<body><main><p><a href="/log/">Log</a></p>` +
    `<h1>${escape(post.title)}</h1><p class="lede">${escape(post.date ?? '')} ${(post.tags ?? []).map((t) => `#${escape(t)}`).join(' ')}</p>` +
    `<p>${escape(post.summary ?? '')}</p>\n${local}</main></body></html>\n`;
  const dir = join(siteDir, post.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), page);
  items.push(`<li><a href="${escape(post.url)}">${escape(post.title)}</a></li>`);
}
mkdirSync(join(siteDir, 'log', 'all'), { recursive: true });
writeFileSync(join(siteDir, 'log', 'all', 'index.html'),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>All posts</title><link rel="stylesheet" href="/log/demo.css"></head>` +
  `<body><main><h1>All posts</h1><ul>${items.join('\n')}</ul></main></body></html>\n`);
// The same site in its own colours (scripts/build-site prerenders it into styled/ with
// tests/fixtures/custom-style.toml): a page of its own, linked from /log.
try {
  const styled = readFileSync(join(siteDir, 'styled', 'embed.html'), 'utf8');
  writeFileSync(join(siteDir, 'styled', 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Log in its own colours · a demo blog</title>` +
    `<link rel="stylesheet" href="/log/demo.css"><script type="module" src="/log/demo.js"></script></head>` +
    `<body><main><p><a href="/log/">Log</a></p><h1>In its own colours</h1>` +
    `<p class="lede">The same posts, prerendered with a site's own palette, tag colours, backgrounds and fonts ` +
    `(<code>logmesh.toml</code>): the picture and the live view are drawn from the same values.</p>\n${styled}</main></body></html>\n`);
} catch {
  // No styled prerender: no page for it.
}
