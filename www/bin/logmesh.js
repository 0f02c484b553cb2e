#!/usr/bin/env node
// `npx logmesh validate|bake|gen|import|prerender|pick ...`: the logmesh CLI, the same Rust code as
// the native binary compiled to wasm, run under Node 20+ (no Rust toolchain, no GPU: frames are
// the SVG frames rasterised on the CPU). Same arguments, outputs and exit statuses.
import { createRequire } from 'node:module';

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`error: logmesh needs Node 20 or later (this is ${process.version})\n`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { run } = require('../node/logmesh.js');
try {
  process.exitCode = run(['logmesh', ...process.argv.slice(2)]);
} catch (error) {
  // A panic: the module printed it and trapped (Rust's exit status for a panic).
  if (!(error instanceof WebAssembly.RuntimeError)) throw error;
  process.exitCode = 101;
}
