//! Determinism: the same posts and seed give the same `positions_hash` whatever the order of the
//! posts in the file, run after run, and natively and on wasm32 (built from tests/wasm-layout and
//! run under Node) bit for bit; so does the 2D view's radial layout made from it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use logmesh::graph::PostGraph;
use logmesh::layout::{ForceParams, Layout, positions_hash};
use logmesh::posts;
use logmesh::rng::Rng;

const FIXTURES: [&str; 3] = ["small.json", "site-1k.json", "site-10k.json"];

fn native_hash(bytes: &[u8], params: &ForceParams) -> String {
    let parsed = posts::parse(bytes).expect("valid posts");
    let graph = PostGraph::build(&parsed.posts);
    Layout::compute(&graph, params).positions_hash.to_string()
}

/// The `positions_hash` of the layout and of the 2D view's radial layout made from it.
fn native_hashes(bytes: &[u8], params: &ForceParams) -> (String, String) {
    let parsed = posts::parse(bytes).expect("valid posts");
    let graph = PostGraph::build(&parsed.posts);
    let layout = Layout::compute(&graph, params);
    let flat = logmesh::site::scene_2d(&parsed.posts, &graph, &layout.positions);
    let radial: Vec<[f32; 3]> = flat.nodes.iter().map(|n| n.position).collect();
    (
        layout.positions_hash.to_string(),
        positions_hash(&radial).to_string(),
    )
}

/// The same posts file with its posts in another (seeded random) order.
fn shuffled(bytes: &[u8], seed: u64) -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_slice(bytes).expect("json");
    let list = doc["posts"].as_array_mut().expect("posts list");
    let mut rng = Rng::new(seed, 9);
    for i in (1..list.len()).rev() {
        list.swap(i, rng.below(i as u64 + 1) as usize);
    }
    serde_json::to_vec(&doc).expect("serialise")
}

#[test]
fn file_order_and_reruns_do_not_change_the_layout() {
    let params = ForceParams {
        iterations: 60,
        ..ForceParams::default()
    };
    for name in ["small.json", "site-1k.json"] {
        let bytes = std::fs::read(common::fixture_path(name)).expect("fixture");
        let first = native_hash(&bytes, &params);
        assert_eq!(first, native_hash(&bytes, &params), "{name}: rerun");
        for seed in 1..=3 {
            assert_eq!(
                first,
                native_hash(&shuffled(&bytes, seed), &params),
                "{name}: shuffle {seed}"
            );
        }
    }
}

#[test]
fn another_seed_gives_another_layout() {
    let bytes = std::fs::read(common::fixture_path("small.json")).expect("fixture");
    let a = native_hash(
        &bytes,
        &ForceParams {
            seed: 1,
            ..ForceParams::default()
        },
    );
    let b = native_hash(
        &bytes,
        &ForceParams {
            seed: 2,
            ..ForceParams::default()
        },
    );
    assert_ne!(a, b);
}

/// Skips (with a message) when the wasm toolchain or Node is missing, unless `CI` is set.
fn unavailable(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} (required when CI is set)");
    }
    eprintln!("skipping the wasm determinism check: {what}");
}

#[test]
fn wasm32_and_native_layouts_are_bit_identical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target_dir = root.join("target/wasm-layout");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = Command::new(cargo)
        .args(["build", "--release", "--target", "wasm32-unknown-unknown"])
        .current_dir(root.join("tests/wasm-layout"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .env_remove("RUSTFLAGS")
        .status();
    if !matches!(build, Ok(s) if s.success()) {
        return unavailable("building tests/wasm-layout for wasm32-unknown-unknown failed");
    }
    let wasm = target_dir.join("wasm32-unknown-unknown/release/logmesh_wasm_layout.wasm");
    let files: Vec<PathBuf> = FIXTURES.iter().map(|f| common::fixture_path(f)).collect();
    let params = ForceParams::default();
    let output = Command::new("node")
        .arg(root.join("tests/wasm-layout/layout_hash.mjs"))
        .arg(&wasm)
        .arg(params.seed.to_string())
        .arg(params.iterations.to_string())
        .args(&files)
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!("node failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => return unavailable(&format!("node could not be started: {e}")),
    };
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), files.len(), "{stdout}");
    for (file, line) in files.iter().zip(lines) {
        let mut words = line.rsplit(' ');
        let (wasm_radial, wasm_hash) = (words.next().expect("hash"), words.next().expect("hash"));
        let (native, radial) = native_hashes(&std::fs::read(file).expect("fixture"), &params);
        assert_eq!(wasm_hash, native, "{}: wasm32 vs native", file.display());
        assert_eq!(
            wasm_radial,
            radial,
            "{}: radial layout, wasm32 vs native",
            file.display()
        );
        eprintln!("{}: {native}, radial {radial} on both", file.display());
    }
}
