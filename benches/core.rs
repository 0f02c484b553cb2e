//! Benchmarks of the pure core at 1k, 10k and 100k posts: parse, graph build, 3D layout
//! (300 iterations, as baked), radial layout, scene building, and the CPU picker (projecting a
//! frame, then one pick). The 1k and 10k sites are the test fixtures; the
//! 100k site is generated here (`sitegen::generate(100_000, 3)`).
//!
//! Full run: `cargo bench --bench core` (figures in docs/PERFORMANCE.md).
//! Smoke run, each case once (CI): `cargo bench --bench core -- --test`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use logmesh::camera::Viewport;
use logmesh::graph::PostGraph;
use logmesh::layout::{ForceParams, Layout, radial2d};
use logmesh::picking::ScreenProjection;
use logmesh::posts;
use logmesh::rng::Rng;
use logmesh::scene::Scene;
use logmesh::site;

/// (name, posts.json bytes) for each size.
fn sites() -> Vec<(&'static str, Vec<u8>)> {
    let fixture = |name: &str| {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let big = logmesh::sitegen::generate(100_000, 3);
    let big =
        serde_json::to_vec(&serde_json::json!({ "version": 1, "posts": big })).unwrap_or_default();
    vec![
        ("1k", fixture("site-1k.json")),
        ("10k", fixture("site-10k.json")),
        ("100k", big),
    ]
}

fn core(c: &mut Criterion) {
    let sites = sites();

    let mut group = c.benchmark_group("parse");
    for (name, bytes) in &sites {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), bytes, |b, bytes| {
            b.iter(|| posts::parse(black_box(bytes)).map(|p| p.posts.len()))
        });
    }
    group.finish();

    let parsed: Vec<(&str, Vec<posts::Post>)> = sites
        .iter()
        .map(|(name, bytes)| {
            (
                *name,
                posts::parse(bytes).map(|p| p.posts).unwrap_or_default(),
            )
        })
        .collect();

    let mut group = c.benchmark_group("graph");
    for (name, posts) in &parsed {
        group.bench_with_input(BenchmarkId::from_parameter(name), posts, |b, posts| {
            b.iter(|| PostGraph::build(black_box(posts)).edges.len())
        });
    }
    group.finish();

    let graphs: Vec<(&str, &Vec<posts::Post>, PostGraph)> = parsed
        .iter()
        .map(|(name, posts)| (*name, posts, PostGraph::build(posts)))
        .collect();

    let mut group = c.benchmark_group("layout3d_300");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500));
    for (name, _, graph) in &graphs {
        group.bench_with_input(BenchmarkId::from_parameter(name), graph, |b, graph| {
            b.iter(|| Layout::compute(black_box(graph), &ForceParams::default()).positions_hash)
        });
    }
    group.finish();

    let layouts: Vec<(&str, Scene)> = graphs
        .iter()
        .map(|(name, posts, graph)| {
            let layout = Layout::compute(
                graph,
                &ForceParams {
                    iterations: 30,
                    ..ForceParams::default()
                },
            );
            (*name, site::scene_3d(posts, graph, &layout.positions))
        })
        .collect();
    let viewport = Viewport::new(1200.0, 675.0, 1.0);

    let mut group = c.benchmark_group("cpu_pick");
    for (name, scene) in &layouts {
        let camera = site::first_camera(scene, viewport);
        group.bench_with_input(BenchmarkId::new("project", name), scene, |b, scene| {
            b.iter(|| {
                ScreenProjection::new(black_box(scene), &camera, viewport)
                    .nodes()
                    .len()
            })
        });
        let projection = ScreenProjection::new(scene, &camera, viewport);
        let mut rng = Rng::new(5, 5);
        group.bench_function(BenchmarkId::new("pick", name), |b| {
            b.iter(|| {
                let (x, y) = (
                    rng.range_f64(0.0, 1200.0) as f32,
                    rng.range_f64(0.0, 675.0) as f32,
                );
                projection.pick(black_box(x), black_box(y))
            })
        });
    }
    group.finish();

    // The radial layout alone, from the 3D first frame's centres (y up), as `site::scene_2d`
    // gives them.
    let mut group = c.benchmark_group("radial2d");
    for (name, scene) in &layouts {
        let frame = site::FirstFrame::new(scene.clone(), site::DEFAULT_FRAME);
        let centres: Vec<[f32; 2]> = frame
            .projection
            .nodes()
            .iter()
            .map(|n| [n.x_px, -n.y_px])
            .collect();
        group.bench_with_input(BenchmarkId::from_parameter(name), &centres, |b, centres| {
            b.iter(|| radial2d::radial(black_box(centres), &[]).len())
        });
    }
    group.finish();
}

criterion_group!(benches, core);
criterion_main!(benches);
