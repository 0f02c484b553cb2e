// Registers <log-mesh> (tolerantly: once, and only where custom elements exist).
import { defineLogMesh } from './index.js';

defineLogMesh();
