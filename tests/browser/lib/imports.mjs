// The import graph of ES modules, read from their syntax (rolldown's parser, so comments and
// strings never count), for the tests that name files: static imports and re-exports, dynamic
// imports of a literal path, and files fetched by `new URL('<literal>', import.meta.url)`. Only
// relative paths are followed (a bare specifier is another package).
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { parseAst } from 'rolldown/parseAst';

/** A string literal or a template literal without expressions: its text; otherwise null. */
function literal(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const isImportMetaUrl = (node) =>
  node?.type === 'MemberExpression' && node.property?.name === 'url' && node.object?.type === 'MetaProperty' && node.object.meta?.name === 'import';

/**
 * What module `code` refers to: `{ static: [paths], dynamic: [paths], urls: [paths] }`, each
 * a specifier as written.
 */
export function references(code, file = 'module.js') {
  const found = { static: [], dynamic: [], urls: [] };
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (node.source) found.static.push(literal(node.source));
        break;
      case 'ImportExpression': {
        const path = literal(node.source);
        if (path !== null) found.dynamic.push(path);
        break;
      }
      case 'NewExpression':
        if (node.callee?.name === 'URL' && isImportMetaUrl(node.arguments[1])) {
          const path = literal(node.arguments[0]);
          if (path !== null) found.urls.push(path);
        }
        break;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'type' && typeof value === 'object') visit(value);
  };
  visit(parseAst(code, { sourceType: 'module' }, file));
  return found;
}

const isRelative = (specifier) => specifier.startsWith('./') || specifier.startsWith('../');
/** A URL relative to the module (no scheme, not from the origin's root), e.g. `logmesh_bg.wasm`. */
const isRelativeUrl = (url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('/');

/**
 * The files reached from `entry` (a path relative to `root`): every static import, plus each
 * dynamic import and `new URL(…, import.meta.url)` file for which `follow(path)` holds (paths
 * relative to `root`, with `/`). Returns them in the order found, the entry first, as
 * `[{ path, how: 'entry' | 'static' | 'dynamic' | 'url' }]`.
 */
export function importGraph(root, entry, follow = () => false) {
  const seen = new Map([[entry, 'entry']]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift();
    if (!file.endsWith('.js')) continue; // a .wasm or another asset: no references
    const refs = references(readFileSync(join(root, file), 'utf8'), file);
    for (const [how, list] of [['static', refs.static], ['dynamic', refs.dynamic], ['url', refs.urls]]) {
      for (const specifier of list.filter(how === 'url' ? isRelativeUrl : isRelative)) {
        const path = relative(root, normalize(join(root, dirname(file), specifier))).split(sep).join('/');
        if (seen.has(path) || (how !== 'static' && !follow(path))) continue;
        seen.set(path, how);
        queue.push(path);
      }
    }
  }
  return [...seen].map(([path, how]) => ({ path, how }));
}
