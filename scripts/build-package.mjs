// Writes the npm package `logmesh` as it is published into out/package/ (what `npm pack` packs,
// what the demo site serves and what the browser tests load):
//   - the element's JavaScript (www/*.js), each file minified on its own so that the files, their
//     names and their imports stay as in www/ (one module instance per file, as in development),
//     with a source map holding the readable source beside each;
//   - the three wasm modules as scripts/build-web left them in www/wasm/;
//   - types, stylesheet, README, licences, and package.json without its scripts.
// www/ stays the readable source: a site that serves the package folder as it is, with no
// bundler, downloads the minified files.
//
// Usage: node scripts/build-package.mjs [OUT_DIR]   (default: out/package)
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WWW = join(ROOT, 'www');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'out', 'package'));

const manifest = JSON.parse(await readFile(join(WWW, 'package.json'), 'utf8'));
delete manifest.scripts;

/** `file` (in www/) minified alone: every import it makes stays an import of the same path. */
async function minify(file) {
  const bundle = await rolldown({
    input: join(WWW, file),
    external: (_id, importer) => importer !== undefined,
    logLevel: 'warn',
  });
  const { output } = await bundle.generate({ format: 'esm', minify: true, sourcemap: 'hidden' });
  await bundle.close();
  const chunks = output.filter((o) => o.type === 'chunk');
  if (chunks.length !== 1 || !chunks[0].map) {
    throw new Error(`${file}: expected one chunk and its map, got ${output.map((o) => o.fileName).join(', ')}`);
  }
  const { code, map } = chunks[0];
  map.file = file;
  map.sources = [`source/${file}`]; // a name for devtools; the readable text is sourcesContent
  if (map.sourcesContent?.length !== 1) throw new Error(`${file}: the source map lacks its source`);
  return { code: `${code.trimEnd()}\n//# sourceMappingURL=${file}.map\n`, map: JSON.stringify(map) };
}

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });

const scripts = (await readdir(WWW)).filter((f) => f.endsWith('.js')).sort();
for (const file of scripts) {
  const { code, map } = await minify(file);
  await writeFile(join(OUT, file), code);
  await writeFile(join(OUT, `${file}.map`), map);
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
await writeFile(join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Every file the manifest lists must be there, and every script must be listed.
const listed = new Set(manifest.files);
for (const file of manifest.files.filter((f) => !f.includes('*'))) {
  await readFile(join(OUT, file)).catch(() => {
    throw new Error(`package.json lists ${file}, which ${relative(ROOT, OUT)} lacks`);
  });
}
for (const file of scripts) {
  if (!listed.has(file)) throw new Error(`www/${file} is not in package.json's files`);
}
console.log(`${relative(ROOT, OUT) || OUT}: ${scripts.join(', ')} minified; wasm, types, css copied`);
