//! Lays out a posts file and prints timing and the quality figures, for tuning:
//! `cargo run --release --example layout_probe -- tests/fixtures/site-10k.json`.
//! Environment overrides: THETA, CHARGE, GRAVITY, TAG_STRENGTH, LINK_STRENGTH, LINK_DISTANCE,
//! ITERATIONS. With EXPORT_GRAPH=PATH it also writes the graph as `{"nodes": N, "edges": [[s, t], ...]}`
//! for laying out the same graph with another library (scripts/bench-layout).

use std::time::Instant;

use logmesh::graph::PostGraph;
use logmesh::layout::{ForceParams, Layout, link_distance_ratio, median_radius};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/site-1k.json".into());
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let started = Instant::now();
    let posts = logmesh::posts::parse(&bytes)
        .unwrap_or_else(|e| panic!("{e}"))
        .posts;
    let parse_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let graph = PostGraph::build(&posts);
    let graph_s = started.elapsed().as_secs_f64();
    if let Ok(out) = std::env::var("EXPORT_GRAPH") {
        let edges: Vec<[u32; 2]> = graph.edges.iter().map(|e| [e.source, e.target]).collect();
        let json = serde_json::json!({ "nodes": posts.len(), "edges": edges });
        std::fs::write(&out, json.to_string()).unwrap_or_else(|e| panic!("{out}: {e}"));
    }
    let d = ForceParams::default();
    let params = ForceParams {
        theta: env_or("THETA", d.theta),
        charge: env_or("CHARGE", d.charge),
        gravity: env_or("GRAVITY", d.gravity),
        tag_strength: env_or("TAG_STRENGTH", d.tag_strength),
        link_strength: env_or("LINK_STRENGTH", d.link_strength),
        link_distance: env_or("LINK_DISTANCE", d.link_distance),
        iterations: env_or("ITERATIONS", d.iterations),
        ..d
    };
    let started = Instant::now();
    let layout = Layout::compute(&graph, &params);
    let layout_s = started.elapsed().as_secs_f64();
    let radius = median_radius(&layout.positions);
    let farthest = layout
        .positions
        .iter()
        .map(|p| {
            p.iter()
                .map(|&c| f64::from(c) * f64::from(c))
                .sum::<f64>()
                .sqrt()
        })
        .fold(0.0, f64::max);
    println!(
        "{path}: {} posts, {} edges; parse {parse_s:.3} s, graph {graph_s:.3} s, layout {layout_s:.3} s; \
         linked/random ratio {:.2}; median radius {radius:.1}, farthest {farthest:.1}; hash {}",
        posts.len(),
        graph.edges.len(),
        link_distance_ratio(&graph, &layout.positions, 1).unwrap_or(f64::NAN),
        layout.positions_hash
    );
}
