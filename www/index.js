// logmesh: a site's posts as an interactive 3D node graph.
//
// Importing this module has no side effects and touches no DOM global, so it is safe under
// Node and server-side rendering. `import 'logmesh/element'` registers <log-mesh>; or call
// `defineLogMesh()` yourself (with another tag name if you like). The published types are
// index.d.ts: tsc checks this file and log-mesh.js against them (`npm run typecheck`).

import { createLogMeshClass } from './log-mesh.js';

export { createLogMeshClass };

/**
 * Registers the element as `name` (default `log-mesh`) and returns its class. Does nothing
 * (returns undefined) where custom elements don't exist, and returns the registered class when
 * the name is taken already (by this or another copy of the package).
 * @type {typeof import('./index.js').defineLogMesh}
 */
export function defineLogMesh(name = 'log-mesh') {
  const registry = globalThis.customElements;
  if (!registry || typeof globalThis.HTMLElement !== 'function') return undefined;
  const existing = registry.get(name);
  if (existing) return /** @type {new () => import('./index.js').LogMeshElement} */ (existing);
  const LogMeshElement = createLogMeshClass(globalThis.HTMLElement);
  registry.define(name, LogMeshElement);
  return LogMeshElement;
}
