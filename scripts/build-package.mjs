// Writes the npm package `logmesh` as it is published into out/package/ (what `npm pack` packs,
// what the demo site serves and what the browser tests load):
//   - the element's JavaScript bundled by rolldown into the package's two entry files: index.js
//     (every module of www/ that index.js imports: the element, its internals, the loader) and
//     element.js (the registering entry, which imports ./index.js, so both share one module
//     instance), minified, each with a source map holding the readable sources of www/. The
//     element is a dozen small modules in www/; shipped as one file it downloads and gzips as
//     one (docs/PERFORMANCE.md: the WebGPU path's budget counts every file);
//   - the three wasm modules as scripts/build-web left them in www/wasm/ (the glue is loaded
//     with `import('./wasm/<kind>/logmesh.js')` and finds its .wasm through
//     `new URL(..., import.meta.url)`: both stay as written, relative to the package root);
//   - the Node CLI: bin/logmesh.js and its wasm module node/ (scripts/build-node), which only
//     the bin loads;
//   - types, stylesheet, README, licences, and package.json without its scripts.
// www/ stays the readable source and works unbundled (the SSR test imports it as it is).
//
// Usage: node scripts/build-package.mjs [OUT_DIR]   (default: out/package)
import { copyFile, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WWW = join(ROOT, 'www');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'out', 'package'));
/** The package's entry files (package.json `exports`), each a chunk of the bundle. */
const ENTRIES = ['index', 'element'];

const manifest = JSON.parse(await readFile(join(WWW, 'package.json'), 'utf8'));
delete manifest.scripts;

/** The files of www/ that stay files of their own: the entries and the wasm glue. */
const ENTRY_FILES = new Set(ENTRIES.map((name) => join(WWW, `${name}.js`)));
const isGlue = (path) => /(^|[/\\])wasm[/\\][^/\\]+[/\\]logmesh\.js$/.test(path);

/**
 * Entry `name` (www/NAME.js) with every module it imports from www/ bundled in, minified, with
 * a source map holding their readable sources; imports of another entry or of wasm glue stay
 * imports (so element.js and index.js share one module instance).
 */
async function bundle(name) {
  const input = join(WWW, `${name}.js`);
  const build = await rolldown({
    input,
    external: (id, importer) => {
      if (!importer || !id.startsWith('.')) return false;
      const path = resolve(dirname(importer), id);
      return (ENTRY_FILES.has(path) && path !== input) || isGlue(path);
    },
    logLevel: 'warn',
  });
  const { output } = await build.generate({ dir: OUT, format: 'esm', minify: true, sourcemap: 'hidden', entryFileNames: '[name].js' });
  await build.close();
  const fileName = `${name}.js`;
  const chunks = output.filter((o) => o.type === 'chunk'); // (the map comes as an asset too)
  if (chunks.length !== 1 || chunks[0].fileName !== fileName) {
    throw new Error(`${fileName}: expected one chunk, got ${output.map((o) => o.fileName).join(', ')}`);
  }
  const { code, map } = chunks[0];
  if (!map || map.sourcesContent?.length !== map.sources.length) throw new Error(`${fileName}: the source map lacks its sources`);
  map.file = fileName;
  // Names for devtools (`source/internal/stage.js`); the readable text is sourcesContent.
  map.sources = map.sources.map((s) => `source/${relative(WWW, resolve(OUT, s)).split(sep).join('/')}`);
  if (map.sources.some((s) => s.startsWith('source/..'))) throw new Error(`${fileName}: a source outside www/: ${map.sources}`);
  return { fileName, code: `${code.trimEnd()}\n//# sourceMappingURL=${fileName}.map\n`, map: JSON.stringify(map) };
}

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });

const scripts = [];
for (const name of ENTRIES) scripts.push(await bundle(name));
for (const { fileName, code, map } of scripts) {
  await mkdir(dirname(join(OUT, fileName)), { recursive: true });
  await writeFile(join(OUT, fileName), code);
  await writeFile(join(OUT, `${fileName}.map`), map);
}
for (const file of (await readdir(WWW)).filter((f) => f.endsWith('.d.ts') || f === 'logmesh.css' || f === 'README.md')) {
  await copyFile(join(WWW, file), join(OUT, file));
}
for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) await copyFile(join(ROOT, file), join(OUT, file));
for (const kind of ['webgpu', 'webgl2', '2d']) {
  await mkdir(join(OUT, 'wasm', kind), { recursive: true });
  for (const file of ['logmesh.js', 'logmesh_bg.wasm']) {
    await copyFile(join(WWW, 'wasm', kind, file), join(OUT, 'wasm', kind, file));
  }
}
// The Node CLI (scripts/build-node): the bin script and its wasm module, loaded only by the bin.
await mkdir(join(OUT, 'bin'), { recursive: true });
await copyFile(join(WWW, 'bin', 'logmesh.js'), join(OUT, 'bin', 'logmesh.js'));
await cp(join(WWW, 'node'), join(OUT, 'node'), { recursive: true });
await writeFile(join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Every file the manifest lists must be there, and every script must be listed.
const listed = new Set(manifest.files);
for (const file of manifest.files.filter((f) => !f.includes('*'))) {
  await readFile(join(OUT, file)).catch(() => {
    throw new Error(`package.json lists ${file}, which ${relative(ROOT, OUT)} lacks`);
  });
}
for (const { fileName } of scripts) {
  if (!listed.has(fileName)) throw new Error(`${fileName} is not in package.json's files`);
}
const sources = new Set(scripts.flatMap(({ map }) => JSON.parse(map).sources));
console.log(`${relative(ROOT, OUT) || OUT}: ${scripts.map((s) => s.fileName).join(', ')} (${sources.size} sources) bundled and minified; wasm, types, css copied`);
