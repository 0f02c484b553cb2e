// Lays out a graph exported by examples/layout_probe (EXPORT_GRAPH) with d3-force-3d's defaults,
// as 3d-force-graph does: link + many-body + centre forces, 300 ticks (alpha 1 -> 0.001).
// Usage: node layout.mjs GRAPH.json
import { readFileSync } from 'node:fs';
import { forceSimulation, forceLink, forceManyBody, forceCenter } from 'd3-force-3d';

const graph = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const nodes = Array.from({ length: graph.nodes }, (_, index) => ({ index }));
const links = graph.edges.map(([source, target]) => ({ source, target }));
const started = performance.now();
const sim = forceSimulation(nodes, 3)
  .force('link', forceLink(links))
  .force('charge', forceManyBody())
  .force('center', forceCenter())
  .stop();
const ticks = Math.ceil(Math.log(sim.alphaMin()) / Math.log(1 - sim.alphaDecay()));
sim.tick(ticks);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ nodes: nodes.length, edges: links.length, ticks, seconds }));
