//! Layout: posts -> positions, and the layout.json file that carries them to the page.
//!
//! [`force3d`] is the 3D force-directed layout baked at build time; [`radial2d`] the flat layout
//! of the 2D view. Both are deterministic: the same posts and seed give the same bits on every
//! target. [`Layout::resolve`] decides between using a layout file as it is, warm-starting from
//! it (*stale*: the posts changed) and laying out afresh (*foreign*: no post in common).

pub mod force3d;
pub mod radial2d;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::graph::{EdgeKind, PostGraph};
use crate::hash::{Fnv1a, Hash64};
use crate::posts::Post;
use crate::rng::Rng;

pub use force3d::ForceParams;

/// Largest layout file read, in bytes (as many as the largest posts file: positions of a
/// million posts with long ids fit).
pub const MAX_LAYOUT_BYTES: usize = 256 * 1024 * 1024;

/// The only layout.json version this build reads and writes.
pub const LAYOUT_VERSION: u32 = 1;

/// `positions_hash`: the little-endian bits of each post's f32 x, y, z, in id order.
pub fn positions_hash(positions: &[[f32; 3]]) -> Hash64 {
    let mut h = Fnv1a::new();
    for p in positions {
        for c in p {
            h.write(&c.to_le_bytes());
        }
    }
    h.finish()
}

/// Positions for a graph, with what produced them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// One position per post, in id order.
    pub positions: Vec<[f32; 3]>,
    /// Hash of the graph laid out.
    pub graph_hash: Hash64,
    /// Hash of `positions`.
    pub positions_hash: Hash64,
    /// Seed used.
    pub seed: u64,
    /// Iterations run.
    pub iterations: u32,
}

/// How [`Layout::resolve`] used a layout file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// No file was given: laid out from scratch.
    Fresh,
    /// The file matched the graph: used as it is, no layout work.
    Exact,
    /// The file shares posts with the graph but the graph changed: warm start.
    Stale,
    /// The file shares no post with the graph: laid out from scratch.
    Foreign,
}

/// Most posts the browser lays out from scratch (docs/DESIGN.md, "Packaging"); bigger sites
/// need a layout file.
pub const MAX_BROWSER_LAYOUT_POSTS: usize = 50_000;

impl Reuse {
    /// Whether the browser may compute the layout of `posts` posts planned this way: a stale
    /// file's warm start at any size (its posts are placed already), a layout from scratch
    /// (no file, or a foreign one) up to [`MAX_BROWSER_LAYOUT_POSTS`] posts.
    pub fn browser_may_lay_out(self, posts: usize) -> bool {
        match self {
            Reuse::Exact | Reuse::Stale => true,
            Reuse::Fresh | Reuse::Foreign => posts <= MAX_BROWSER_LAYOUT_POSTS,
        }
    }
}

impl Layout {
    /// Lays out `graph` from scratch.
    pub fn compute(graph: &PostGraph, params: &ForceParams) -> Layout {
        LayoutTask::fresh(graph, params).run()
    }

    /// Lays out `graph` starting from known positions of some posts (by id): those posts keep
    /// their places up to small adjustments, new posts settle beside their neighbours.
    pub fn warm_start(
        posts: &[Post],
        graph: &PostGraph,
        params: &ForceParams,
        old: &BTreeMap<String, [f32; 3]>,
    ) -> Layout {
        LayoutTask::warm(posts, graph, params, old).run()
    }

    /// Uses `file` if it fits the posts' graph, warm-starts from it if it is stale, or lays out
    /// afresh if it is foreign or absent. Returns the layout, how the file was used, and a
    /// warning for the stale and foreign cases.
    pub fn resolve(
        posts: &[Post],
        graph: &PostGraph,
        params: &ForceParams,
        file: Option<&LayoutFile>,
    ) -> (Layout, Reuse, Option<String>) {
        let (plan, reuse, warning) = Self::plan(posts, graph, params, file);
        let layout = match plan {
            Plan::Ready(layout) => layout,
            Plan::Run(task) => task.run(),
        };
        (layout, reuse, warning)
    }

    /// [`Layout::resolve`] without doing the work: the layout when the file fits, or the task
    /// that computes it (to run at once, or in slices). Same decisions, same warnings.
    pub fn plan(
        posts: &[Post],
        graph: &PostGraph,
        params: &ForceParams,
        file: Option<&LayoutFile>,
    ) -> (Plan, Reuse, Option<String>) {
        let Some(file) = file else {
            return (
                Plan::Run(Box::new(LayoutTask::fresh(graph, params))),
                Reuse::Fresh,
                None,
            );
        };
        let all_present = posts.iter().all(|p| file.positions.contains_key(&p.id));
        if file.graph_hash == graph.hash && all_present && file.positions.len() == posts.len() {
            let positions: Vec<[f32; 3]> = posts.iter().map(|p| file.positions[&p.id]).collect();
            let layout = Layout {
                positions_hash: positions_hash(&positions),
                positions,
                graph_hash: graph.hash,
                seed: file.seed,
                iterations: file.iterations,
            };
            return (Plan::Ready(layout), Reuse::Exact, None);
        }
        let shared = posts
            .iter()
            .filter(|p| file.positions.contains_key(&p.id))
            .count();
        if shared == 0 {
            let warning =
                "layout: shares no post with the posts file (foreign); laid out afresh".to_string();
            return (
                Plan::Run(Box::new(LayoutTask::fresh(graph, params))),
                Reuse::Foreign,
                Some(warning),
            );
        }
        let warning = format!(
            "layout: made for another version of these posts (stale: graph_hash {} != {}); \
             warm-started from its {shared} matching posts",
            file.graph_hash, graph.hash
        );
        (
            Plan::Run(Box::new(LayoutTask::warm(
                posts,
                graph,
                params,
                &file.positions,
            ))),
            Reuse::Stale,
            Some(warning),
        )
    }

    /// The layout.json form, positions keyed by post id.
    pub fn to_file(&self, posts: &[Post]) -> LayoutFile {
        LayoutFile {
            version: LAYOUT_VERSION,
            graph_hash: self.graph_hash,
            positions_hash: self.positions_hash,
            seed: self.seed,
            iterations: self.iterations,
            positions: posts
                .iter()
                .zip(&self.positions)
                .map(|(p, &x)| (p.id.clone(), x))
                .collect(),
        }
    }
}

/// What [`Layout::plan`] found: a layout to use as it is, or one to compute.
#[derive(Debug)]
pub enum Plan {
    /// The layout file fitted: no layout work.
    Ready(Layout),
    /// Layout work to do, at once ([`LayoutTask::run`]) or in slices ([`LayoutTask::step`]).
    Run(Box<LayoutTask>),
}

/// A layout being computed: a [`force3d::Simulation`] and what the [`Layout`] records. Running
/// it in slices gives the same bits as running it at once.
#[derive(Debug)]
pub struct LayoutTask {
    simulation: force3d::Simulation,
    graph_hash: Hash64,
    seed: u64,
    iterations: u32,
}

impl LayoutTask {
    /// From scratch.
    pub fn fresh(graph: &PostGraph, params: &ForceParams) -> LayoutTask {
        LayoutTask {
            simulation: force3d::Simulation::new(graph, params, None),
            graph_hash: graph.hash,
            seed: params.seed,
            iterations: params.iterations,
        }
    }

    /// From known positions of some posts (see [`Layout::warm_start`]).
    pub fn warm(
        posts: &[Post],
        graph: &PostGraph,
        params: &ForceParams,
        old: &BTreeMap<String, [f32; 3]>,
    ) -> LayoutTask {
        let start: Vec<Option<[f32; 3]>> = posts.iter().map(|p| old.get(&p.id).copied()).collect();
        let warm = ForceParams {
            initial_alpha: WARM_ALPHA,
            ..params.clone()
        };
        LayoutTask {
            simulation: force3d::Simulation::new(graph, &warm, Some(&start)),
            graph_hash: graph.hash,
            seed: params.seed,
            iterations: params.iterations,
        }
    }

    /// Iterations still to run.
    pub fn remaining(&self) -> u32 {
        if self.simulation.is_done() {
            0
        } else {
            self.iterations - self.simulation.iterations_done()
        }
    }

    /// Runs up to `count` more iterations; returns whether the layout is complete.
    pub fn step(&mut self, count: u32) -> bool {
        self.simulation.step(count)
    }

    /// Runs what is left and returns the layout.
    pub fn run(mut self) -> Layout {
        self.simulation.step(u32::MAX);
        let positions = self.simulation.finish();
        Layout {
            positions_hash: positions_hash(&positions),
            positions,
            graph_hash: self.graph_hash,
            seed: self.seed,
            iterations: self.iterations,
        }
    }
}

/// The fields of a layout file, or what is wrong with them.
fn read_layout_file(bytes: &[u8]) -> std::result::Result<LayoutFile, String> {
    use crate::error::quote;
    use crate::json::{self, Value};

    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = json::text_position(bytes, e.valid_up_to());
        format!("invalid UTF-8 at line {line} column {column}")
    })?;
    let doc = json::parse(text).map_err(|e| {
        let (line, column) = e.line_column(text);
        format!("{} at line {line} column {column}", e.message)
    })?;
    let Value::Object(entries) = doc else {
        return Err(format!("expected an object, found {}", doc.kind()));
    };
    let integer = |field: &str, v: &Value<'_>, max: u64| match v {
        Value::Number(n) => match n.as_u64() {
            Some(i) if i <= max => Ok(i),
            _ => Err(format!("{field}: {n} is not an integer from 0 to {max}")),
        },
        _ => Err(format!("{field}: expected a number, found {}", v.kind())),
    };
    let hash = |field: &str, v: &Value<'_>| match v {
        Value::String(s) => s.parse::<Hash64>().map_err(|e| format!("{field}: {e}")),
        _ => Err(format!("{field}: expected a string, found {}", v.kind())),
    };
    let (mut version, mut graph_hash, mut positions_hash) = (None, None, None);
    let (mut seed, mut iterations, mut positions) = (None, None, None);
    for (key, value) in &entries {
        let twice = || format!("{key}: given twice");
        match key.as_ref() {
            "version" if version.is_some() => return Err(twice()),
            "version" => version = Some(integer(key, value, u64::from(u32::MAX))? as u32),
            "graph_hash" if graph_hash.is_some() => return Err(twice()),
            "graph_hash" => graph_hash = Some(hash(key, value)?),
            "positions_hash" if positions_hash.is_some() => return Err(twice()),
            "positions_hash" => positions_hash = Some(hash(key, value)?),
            "seed" if seed.is_some() => return Err(twice()),
            "seed" => seed = Some(integer(key, value, u64::MAX)?),
            "iterations" if iterations.is_some() => return Err(twice()),
            "iterations" => iterations = Some(integer(key, value, u64::from(u32::MAX))? as u32),
            "positions" if positions.is_some() => return Err(twice()),
            "positions" => {
                let Value::Object(ids) = value else {
                    return Err(format!(
                        "positions: expected an object, found {}",
                        value.kind()
                    ));
                };
                let mut map = BTreeMap::new();
                for (id, p) in ids {
                    let xyz = match p {
                        Value::Array(xyz) if xyz.len() == 3 => xyz,
                        _ => {
                            return Err(format!("positions.{}: expected three numbers", quote(id)));
                        }
                    };
                    let mut point = [0.0f32; 3];
                    for (c, v) in point.iter_mut().zip(xyz) {
                        let Value::Number(n) = v else {
                            return Err(format!("positions.{}: expected three numbers", quote(id)));
                        };
                        // Nearest f64, then f32: how the files were always read.
                        *c = n.as_f64() as f32;
                    }
                    if map.insert(id.to_string(), point).is_some() {
                        return Err(format!("positions.{}: given twice", quote(id)));
                    }
                }
                positions = Some(map);
            }
            _ => return Err(format!("unknown field {}", quote(key))),
        }
    }
    let missing = |field: &str| format!("{field}: missing");
    Ok(LayoutFile {
        version: version.ok_or_else(|| missing("version"))?,
        graph_hash: graph_hash.ok_or_else(|| missing("graph_hash"))?,
        positions_hash: positions_hash.ok_or_else(|| missing("positions_hash"))?,
        seed: seed.ok_or_else(|| missing("seed"))?,
        iterations: iterations.ok_or_else(|| missing("iterations"))?,
        positions: positions.ok_or_else(|| missing("positions"))?,
    })
}

/// Starting temperature of a warm start: low, so settled posts barely move.
const WARM_ALPHA: f64 = 0.01;

/// layout.json, version 1 (docs/DESIGN.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayoutFile {
    /// Always 1.
    pub version: u32,
    /// Hash of the graph the positions were made for.
    pub graph_hash: Hash64,
    /// Hash of the positions in id order.
    pub positions_hash: Hash64,
    /// Seed used.
    pub seed: u64,
    /// Iterations run.
    pub iterations: u32,
    /// Position of every post, by id (written in id order).
    pub positions: BTreeMap<String, [f32; 3]>,
}

impl LayoutFile {
    /// Reads a layout file: every field present once, no other field, its version, and every
    /// coordinate finite (as an `f32`). Returns the file and the warnings about it: a leading
    /// UTF-8 byte order mark is dropped with a warning, as in posts.json (invalid UTF-8 is an
    /// error), so the CLI and the browser module read the same texts alike.
    pub fn parse(bytes: &[u8]) -> Result<(LayoutFile, Vec<String>)> {
        if bytes.len() > MAX_LAYOUT_BYTES {
            return Err(Self::too_large(bytes.len() as u64));
        }
        let mut warnings = Vec::new();
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => {
                warnings.push("layout: UTF-8 byte order mark ignored".to_owned());
                rest
            }
            None => bytes,
        };
        let file = read_layout_file(bytes).map_err(Error::InvalidLayout)?;
        if file.version != LAYOUT_VERSION {
            return Err(Error::InvalidLayout(format!(
                "version: {} is not supported (expected {LAYOUT_VERSION})",
                file.version
            )));
        }
        if let Some((id, _)) = file
            .positions
            .iter()
            .find(|(_, p)| p.iter().any(|c| !c.is_finite()))
        {
            return Err(Error::InvalidLayout(format!(
                "positions.{}: not three finite numbers",
                crate::error::quote(id)
            )));
        }
        Ok((file, warnings))
    }

    /// The error for a layout file of `len` bytes, more than [`MAX_LAYOUT_BYTES`] (what
    /// [`LayoutFile::parse`] reports; a reader that knows the length first reports it without
    /// reading).
    pub fn too_large(len: u64) -> Error {
        Error::InvalidLayout(format!(
            "{len} bytes, more than the limit of {MAX_LAYOUT_BYTES}"
        ))
    }

    /// The file as JSON (floats in shortest round-trip form).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The quality check of docs/DESIGN.md: median distance between linked posts divided into the median
/// distance between random pairs (higher is better; >= 3 required). `None` without link edges.
pub fn link_distance_ratio(graph: &PostGraph, positions: &[[f32; 3]], seed: u64) -> Option<f64> {
    let dist = |a: u32, b: u32| {
        let (p, q) = (positions[a as usize], positions[b as usize]);
        let d: [f64; 3] = std::array::from_fn(|k| f64::from(p[k]) - f64::from(q[k]));
        (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt()
    };
    let mut linked: Vec<f64> = graph
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Link)
        .map(|e| dist(e.source, e.target))
        .collect();
    let n = positions.len() as u64;
    if linked.is_empty() || n < 2 {
        return None;
    }
    let mut rng = Rng::new(seed, 0x7175_616c);
    let mut random: Vec<f64> = (0..10_000)
        .map(|_| {
            let a = rng.below(n) as u32;
            let b = (a as u64 + 1 + rng.below(n - 1)) % n;
            dist(a, b as u32)
        })
        .collect();
    Some(median(&mut random) / median(&mut linked).max(1e-12))
}

/// Median of the distances of every post from the origin (the layout's typical radius).
pub fn median_radius(positions: &[[f32; 3]]) -> f64 {
    let mut r: Vec<f64> = positions
        .iter()
        .map(|p| {
            p.iter()
                .map(|&c| f64::from(c) * f64::from(c))
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    median(&mut r)
}

/// Median of a list (0 for an empty one); reorders it.
pub fn median(xs: &mut [f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mid = xs.len() / 2;
    let (_, m, _) = xs.select_nth_unstable_by(mid, f64::total_cmp);
    *m
}
