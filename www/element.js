// Registers <log-mesh> (tolerantly: once, and only where custom elements exist). The package's
// only entry with a side effect (package.json's `sideEffects`); it must stay this small.
import { defineLogMesh } from './index.js';

defineLogMesh();
export {};
