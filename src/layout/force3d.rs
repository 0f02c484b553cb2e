//! Seeded 3D force-directed layout: springs along edges, Barnes-Hut (octree) repulsion, a weak
//! pull to the origin that packs disconnected components, and a fixed cooling schedule.
//!
//! Determinism rules (docs/DESIGN.md): the iteration count is fixed, the only randomness is the seeded
//! [`Rng`], no std transcendental function is called (the one `pow` goes through `libm`), and
//! forces are summed in a fixed order. Repulsion is computed per node from a read-only tree, so
//! splitting the nodes across threads cannot change a single bit of the result.

use crate::graph::{EdgeKind, PostGraph};
use crate::hash::Fnv1a;
use crate::rng::Rng;
use crate::sort;

/// Tuning of the force simulation. `Default` is what `logmesh bake` uses.
#[derive(Debug, Clone, PartialEq)]
pub struct ForceParams {
    /// Seed for the initial placement.
    pub seed: u64,
    /// Number of simulation steps (never time-based).
    pub iterations: u32,
    /// Rest length of every spring.
    pub link_distance: f64,
    /// Spring strength of a link edge (before dividing by the smaller degree of its ends).
    pub link_strength: f64,
    /// Spring strength of a tag edge (likewise).
    pub tag_strength: f64,
    /// Repulsion between every pair of posts (negative repels).
    pub charge: f64,
    /// Opening criterion: two cells of radii ra, rb at distance d act as two bodies if
    /// ra + rb < theta * d.
    pub theta: f64,
    /// Pull of every post towards the origin, per unit of distance.
    pub gravity: f64,
    /// Fraction of velocity lost per step.
    pub velocity_decay: f64,
    /// Temperature at the last step (the first is `initial_alpha`).
    pub final_alpha: f64,
    /// Temperature at the first step: 1 from scratch, lower for a warm start.
    pub initial_alpha: f64,
}

impl Default for ForceParams {
    fn default() -> Self {
        ForceParams {
            seed: 1,
            iterations: 300,
            link_distance: 30.0,
            link_strength: 3.0,
            tag_strength: 0.25,
            charge: -30.0,
            theta: 1.15,
            gravity: 0.03,
            velocity_decay: 0.4,
            final_alpha: 0.001,
            initial_alpha: 1.0,
        }
    }
}

/// Smallest squared distance at which repulsion is evaluated: closer pairs push as if this far,
/// which bounds the force and makes a body's own entry in its interaction list add exactly 0.
const MIN_DISTANCE_SQ: f64 = 1.0;
/// Bodies per octree leaf.
const LEAF_SIZE: usize = 8;
/// Octree depth beyond which a cell becomes a leaf whatever its size (coincident posts).
const MAX_DEPTH: u32 = 40;

type V3 = [f64; 3];

/// Runs the simulation. `start` gives initial positions for some posts (warm start); the rest are
/// placed by the seeded PRNG, near their placed neighbours when they have any.
pub fn simulate(
    graph: &PostGraph,
    params: &ForceParams,
    start: Option<&[Option<[f32; 3]>]>,
) -> Vec<[f32; 3]> {
    let mut simulation = Simulation::new(graph, params, start);
    simulation.step(params.iterations);
    simulation.finish()
}

/// A simulation that runs in slices: [`Simulation::step`] a few iterations at a time (the
/// browser yields to its event loop between slices), then [`Simulation::finish`]. Slicing never
/// changes the result: it is bit for bit [`simulate`]'s.
#[derive(Debug)]
pub struct Simulation {
    pos: Vec<V3>,
    vel: Vec<V3>,
    springs: Springs,
    tree: Octree,
    force: Vec<V3>,
    pull: Vec<V3>,
    buckets: Vec<Bucket>,
    params: ForceParams,
    alpha: f64,
    decay: f64,
    done: u32,
}

impl Simulation {
    /// Places the posts (see [`simulate`]) and prepares the first iteration.
    pub fn new(
        graph: &PostGraph,
        params: &ForceParams,
        start: Option<&[Option<[f32; 3]>]>,
    ) -> Simulation {
        let n = graph.node_count();
        let iterations = params.iterations.max(1);
        Simulation {
            pos: if n == 0 {
                Vec::new()
            } else {
                initial_positions(graph, params, start)
            },
            vel: vec![[0.0f64; 3]; n],
            springs: Springs::new(graph, params),
            tree: Octree::default(),
            force: vec![[0.0f64; 3]; n],
            pull: vec![[0.0f64; 3]; n],
            buckets: (0..BUCKETS).map(|_| Bucket::default()).collect(),
            params: params.clone(),
            alpha: params.initial_alpha,
            // alpha_k = initial * decay^k, reaching final_alpha at the last step.
            decay: libm::pow(
                params.final_alpha / params.initial_alpha,
                1.0 / f64::from(iterations),
            ),
            done: 0,
        }
    }

    /// Iterations run so far.
    pub fn iterations_done(&self) -> u32 {
        self.done
    }

    /// Whether every iteration has run.
    pub fn is_done(&self) -> bool {
        self.done >= self.params.iterations || self.pos.is_empty()
    }

    /// Runs up to `count` more iterations (never past the total); returns whether it is done.
    pub fn step(&mut self, count: u32) -> bool {
        let mut left = count;
        while left > 0 && !self.is_done() {
            self.iterate();
            left -= 1;
        }
        self.is_done()
    }

    fn iterate(&mut self) {
        let Simulation {
            pos,
            vel,
            springs,
            tree,
            force,
            pull,
            buckets,
            params,
            alpha,
            ..
        } = self;
        let alpha_now = *alpha;
        let threads = threads(pos.len());
        // The springs need no tree: they run beside its construction. Every job below writes
        // only its own buffers, so which thread runs which job cannot change a bit.
        let (plan, ()) = join(
            threads > 1,
            || {
                tree.build(pos);
                tree.plan()
            },
            || springs.apply(pos, pull, alpha_now),
        );
        let (tree, theta) = (&*tree, params.theta);
        let walks = buckets
            .iter_mut()
            .zip(&plan)
            .map(|(bucket, items)| move || tree.walk(items, theta, bucket));
        run_all(threads, walks.collect());
        tree.merge(buckets, force);
        let repel = params.charge * alpha_now;
        let gravity = params.gravity * alpha_now;
        let keep = 1.0 - params.velocity_decay;
        for i in 0..pos.len() {
            let (p, v) = (&mut pos[i], &mut vel[i]);
            for k in 0..3 {
                v[k] += force[i][k] * repel + pull[i][k];
                v[k] -= p[k] * gravity;
                v[k] *= keep;
                p[k] += v[k];
            }
        }
        *alpha *= self.decay;
        self.done += 1;
    }

    /// The positions, centred on their mean (summed in id order) so cameras and warm starts see
    /// a stable frame.
    pub fn finish(self) -> Vec<[f32; 3]> {
        let pos = self.pos;
        let n = pos.len();
        if n == 0 {
            return Vec::new();
        }
        let mut mean = [0.0; 3];
        for p in &pos {
            add(&mut mean, *p);
        }
        let inv = 1.0 / n as f64;
        pos.iter()
            .map(|p| std::array::from_fn(|k| (p[k] - mean[k] * inv) as f32))
            .collect()
    }
}

fn add(a: &mut V3, b: V3) {
    a[0] += b[0];
    a[1] += b[1];
    a[2] += b[2];
}

/// Uniform in a ball of `radius` around `centre`, by rejection (no transcendental functions).
fn in_ball(rng: &mut Rng, centre: V3, radius: f64) -> V3 {
    loop {
        let p: V3 = std::array::from_fn(|_| rng.range_f64(-1.0, 1.0));
        if p[0] * p[0] + p[1] * p[1] + p[2] * p[2] <= 1.0 {
            return std::array::from_fn(|k| centre[k] + p[k] * radius);
        }
    }
}

fn initial_positions(
    graph: &PostGraph,
    params: &ForceParams,
    start: Option<&[Option<[f32; 3]>]>,
) -> Vec<V3> {
    let n = graph.node_count();
    let mut rng = Rng::new(params.seed, 0x6c61_796f_7574);
    // A ball whose volume grows with n, at roughly the density the forces settle to.
    let cube_root = libm::cbrt(n as f64);
    let radius = params.link_distance * 0.5 * cube_root.max(1.0);
    let Some(start) = start.filter(|s| s.len() == n && s.iter().any(Option::is_some)) else {
        return (0..n)
            .map(|_| in_ball(&mut rng, [0.0; 3], radius))
            .collect();
    };

    let mut pos: Vec<Option<V3>> = start
        .iter()
        .map(|s| s.map(|p| [f64::from(p[0]), f64::from(p[1]), f64::from(p[2])]))
        .collect();
    spread_coincident(&mut pos, params);
    // Neighbour lists in edge order, for placing new posts beside the posts they connect to.
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
    for e in &graph.edges {
        neighbours[e.source as usize].push(e.target);
        neighbours[e.target as usize].push(e.source);
    }
    // Known extent, for posts that have no placed neighbour.
    let known: Vec<V3> = pos.iter().flatten().copied().collect();
    let mut extent = 0.0f64;
    for p in &known {
        extent = extent.max((p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt());
    }
    // Place new posts in id order; a post placed earlier counts as a neighbour for later ones.
    for i in 0..n {
        if pos[i].is_some() {
            continue;
        }
        let mut sum = [0.0; 3];
        let mut count = 0usize;
        for &j in &neighbours[i] {
            if let Some(p) = pos[j as usize] {
                add(&mut sum, p);
                count += 1;
            }
        }
        pos[i] = Some(if count > 0 {
            let c = 1.0 / count as f64;
            in_ball(
                &mut rng,
                [sum[0] * c, sum[1] * c, sum[2] * c],
                params.link_distance * 0.5,
            )
        } else {
            in_ball(&mut rng, [0.0; 3], extent.max(radius))
        });
    }
    pos.into_iter().map(|p| p.unwrap_or([0.0; 3])).collect()
}

/// Moves posts that start at the same point as an earlier post (id order) apart, each to a
/// seeded random point of a ball round that point sized for how many share it (as a fresh layout
/// sizes its ball for all posts); the first post at each point keeps it.
///
/// Coincident bodies exert no force on each other, and the octree cannot split them: without this
/// a layout file with every post at one point would cost a step quadratic in the posts (20,000
/// posts: 0.4 s of a 2.2 s bake; 60,000: 6.8 s for the first step alone), and keep them together.
/// A file without coincident posts is left exactly as it is.
fn spread_coincident(pos: &mut [Option<V3>], params: &ForceParams) {
    // -0.0 and 0.0 are one point.
    let bits = |p: &V3| p.map(|c| (c + 0.0).to_bits());
    // Placed posts by a hash of their point (the crate's one sort, not a hash map: this runs in
    // the browser module too, where each map type is code shipped), ties in id order.
    let mut keyed: Vec<(u64, u32)> = pos
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let mut h = Fnv1a::new();
            for b in bits(p.as_ref()?) {
                h.write(&b.to_le_bytes());
            }
            Some((h.finish().0, i as u32))
        })
        .collect();
    sort::pairs(&mut keyed);
    // A stream of its own, so that placing new posts draws what it drew before.
    let mut rng = Rng::new(params.seed, 0x7370_7265_6164);
    let mut same = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        let Some(point) = pos[run[0].1 as usize] else {
            continue;
        };
        // Posts at the run's first point (a different point with the same hash stays put).
        same.clear();
        same.extend(
            run[1..]
                .iter()
                .map(|&(_, j)| j as usize)
                .filter(|&j| pos[j].is_some_and(|q| bits(&q) == bits(&point))),
        );
        if same.is_empty() {
            continue;
        }
        let shared = (same.len() + 1) as f64;
        let radius = params.link_distance * 0.5 * libm::cbrt(shared);
        for &j in &same {
            pos[j] = Some(in_ball(&mut rng, point, radius));
        }
    }
}

/// Edge springs with d3-style strengths: 1/min(degree) so hubs are not torn apart, and a bias
/// that moves the lighter end more.
#[derive(Debug)]
struct Springs {
    /// (a, b, strength, bias towards b) in edge order.
    list: Vec<(u32, u32, f64, f64)>,
    distance: f64,
}

impl Springs {
    fn new(graph: &PostGraph, params: &ForceParams) -> Springs {
        let degree = graph.degrees();
        let list = graph
            .edges
            .iter()
            .map(|e| {
                let (da, db) = (
                    f64::from(degree[e.source as usize]),
                    f64::from(degree[e.target as usize]),
                );
                let kind = if e.kind == EdgeKind::Tag {
                    params.tag_strength
                } else {
                    params.link_strength
                };
                (
                    e.source,
                    e.target,
                    (kind / da.min(db)).min(1.0),
                    da / (da + db),
                )
            })
            .collect();
        Springs {
            list,
            distance: params.link_distance,
        }
    }

    /// Writes the springs' velocity change for this step into `out` (one entry per body).
    fn apply(&self, pos: &[V3], out: &mut [V3], alpha: f64) {
        out.iter_mut().for_each(|v| *v = [0.0; 3]);
        for &(a, b, strength, bias) in &self.list {
            let (a, b) = (a as usize, b as usize);
            let mut d: V3 = sub(pos[b], pos[a]);
            let mut len = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
            if len < 1e-9 {
                // Coincident ends: push apart along a fixed axis derived from the indices.
                d = [1e-6 * ((a + b) % 3) as f64, 1e-6, 0.0];
                len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            }
            let s = (len - self.distance) / len * alpha * strength;
            for k in 0..3 {
                let dk = d[k] * s;
                out[b][k] -= dk * bias;
                out[a][k] += dk * (1.0 - bias);
            }
        }
    }
}

/// The repulsion walk is split into this many buckets whatever the number of threads, and their
/// results are summed in bucket order, so the machine never changes a bit of the layout.
const BUCKETS: usize = 4;

/// One bucket's share of the repulsion: forces on bodies (unscaled) and far-field expansions.
#[derive(Debug, Default)]
struct Bucket {
    force: Vec<V3>,
    local: Vec<Local>,
}

/// A unit of repulsion work: all pairs inside one cell, or all pairs between two cells.
#[derive(Debug, Clone, Copy)]
enum Item {
    Own(u32),
    Pair(u32, u32),
}

/// How many threads a step of `n` bodies uses: one on wasm and for small graphs.
fn threads(n: usize) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    if n >= PARALLEL_FROM {
        return std::thread::available_parallelism().map_or(1, |t| t.get());
    }
    let _ = n;
    1
}

/// Runs `a` and `b`, side by side when `parallel`.
fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    if parallel {
        return std::thread::scope(|scope| {
            let b = scope.spawn(b);
            let a = a();
            // A panic in `b` is a bug; re-raise it here rather than lose it.
            let b = b.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (a, b)
        });
    }
    let _ = parallel;
    (a(), b())
}

/// Runs independent jobs on up to `threads` threads, each taking the next job when free.
fn run_all<F: FnOnce() + Send>(threads: usize, jobs: Vec<F>) {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 && jobs.len() > 1 {
        // A stack: reversed, so the jobs start in order.
        let queue = std::sync::Mutex::new(jobs.into_iter().rev().collect::<Vec<_>>());
        let worker = || {
            while let Some(job) = queue.lock().map_or(None, |mut q| q.pop()) {
                job();
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..threads.min(queue.lock().map_or(0, |q| q.len())) {
                scope.spawn(worker);
            }
            worker();
        });
        return;
    }
    let _ = threads;
    for job in jobs {
        job();
    }
}

/// Below this many posts a step is too short for threads to pay off.
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_FROM: usize = 2000;

/// One octree cell: a cube, the bodies in `order[start..end]`, their centre of mass, and either
/// children `first_child..first_child + child_count` or (for a leaf) none.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    centre: V3,
    half: f64,
    mass_centre: V3,
    /// Largest distance from `mass_centre` to a body of the cell.
    radius: f64,
    start: u32,
    end: u32,
    first_child: u32,
    child_count: u32,
}

/// The far field acting on a cell, to first order about its centre of mass:
/// `force(x) = force + jacobian * (x - mass_centre)` (the Jacobian is symmetric: xx yy zz xy xz yz).
#[derive(Debug, Clone, Copy, Default)]
struct Local {
    force: V3,
    jacobian: [f64; 6],
}

impl Local {
    fn at(&self, offset: V3) -> V3 {
        let j = &self.jacobian;
        [
            self.force[0] + j[0] * offset[0] + j[3] * offset[1] + j[4] * offset[2],
            self.force[1] + j[3] * offset[0] + j[1] * offset[1] + j[5] * offset[2],
            self.force[2] + j[4] * offset[0] + j[5] * offset[1] + j[2] * offset[2],
        ]
    }
}

/// An octree rebuilt every step into reused buffers.
#[derive(Debug, Default)]
struct Octree {
    cells: Vec<Cell>,
    /// Body indices, grouped by cell (tree order: nearby bodies are adjacent).
    order: Vec<u32>,
    /// Positions in tree order (`sorted[k] = pos[order[k]]`), so every walk over a cell's bodies
    /// reads contiguous memory.
    sorted: Vec<V3>,
    scratch: Vec<u32>,
    scratch_pos: Vec<V3>,
    octant: Vec<u8>,
}

impl Octree {
    fn build(&mut self, pos: &[V3]) {
        let n = pos.len();
        self.cells.clear();
        if self.order.len() != n {
            self.order = (0..n as u32).collect();
        }
        // Keep last step's order: it is nearly sorted already, which keeps partitioning cheap.
        self.scratch.resize(n, 0);
        self.scratch_pos.resize(n, [0.0; 3]);
        self.octant.resize(n, 0);
        self.sorted.clear();
        self.sorted
            .extend(self.order.iter().map(|&i| pos[i as usize]));

        let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
        for p in pos {
            for k in 0..3 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let centre: V3 = std::array::from_fn(|k| (lo[k] + hi[k]) * 0.5);
        let half = (0..3).map(|k| (hi[k] - lo[k]) * 0.5).fold(1e-9, f64::max) * (1.0 + 1e-9);
        self.cells.push(Cell {
            centre,
            half,
            end: n as u32,
            ..Cell::default()
        });

        // Breadth-first: children are appended, so every child has a larger index than its parent.
        let mut next = 0usize;
        let mut depth_end = 1usize;
        let mut depth = 0u32;
        while next < self.cells.len() {
            if next == depth_end {
                depth += 1;
                depth_end = self.cells.len();
            }
            let cell = self.cells[next];
            let (s, e) = (cell.start as usize, cell.end as usize);
            if e - s > LEAF_SIZE && depth < MAX_DEPTH {
                self.split(next, s, e);
            }
            next += 1;
        }
        // Centres of mass, bottom-up (every body has unit mass).
        for c in (0..self.cells.len()).rev() {
            let cell = self.cells[c];
            let mut sum = [0.0; 3];
            if cell.child_count == 0 {
                for p in &self.sorted[cell.start as usize..cell.end as usize] {
                    add(&mut sum, *p);
                }
            } else {
                for child in &self.cells
                    [cell.first_child as usize..(cell.first_child + cell.child_count) as usize]
                {
                    let m = f64::from(child.end - child.start);
                    add(
                        &mut sum,
                        [
                            child.mass_centre[0] * m,
                            child.mass_centre[1] * m,
                            child.mass_centre[2] * m,
                        ],
                    );
                }
            }
            let inv = 1.0 / f64::from(cell.end - cell.start);
            let m = [sum[0] * inv, sum[1] * inv, sum[2] * inv];
            let mut radius_sq = 0.0f64;
            let mut radius = 0.0f64;
            if cell.child_count == 0 {
                for p in &self.sorted[cell.start as usize..cell.end as usize] {
                    radius_sq = radius_sq.max(distance_sq(*p, m));
                }
                radius = radius_sq.sqrt();
            } else {
                for child in &self.cells
                    [cell.first_child as usize..(cell.first_child + cell.child_count) as usize]
                {
                    radius = radius.max(distance_sq(child.mass_centre, m).sqrt() + child.radius);
                }
            }
            self.cells[c].mass_centre = m;
            self.cells[c].radius = radius;
        }
    }

    /// Counting-sorts `order[s..e]` by octant of the cell `c` and appends its non-empty children.
    fn split(&mut self, c: usize, s: usize, e: usize) {
        let Cell { centre, half, .. } = self.cells[c];
        let mut counts = [0u32; 8];
        for k in s..e {
            let p = self.sorted[k];
            let o = u8::from(p[0] >= centre[0])
                | u8::from(p[1] >= centre[1]) << 1
                | u8::from(p[2] >= centre[2]) << 2;
            self.octant[k] = o;
            counts[o as usize] += 1;
        }
        let mut offset = [0u32; 8];
        let mut acc = s as u32;
        for o in 0..8 {
            offset[o] = acc;
            acc += counts[o];
        }
        let mut cursor = offset;
        for k in s..e {
            let o = self.octant[k] as usize;
            self.scratch[cursor[o] as usize] = self.order[k];
            self.scratch_pos[cursor[o] as usize] = self.sorted[k];
            cursor[o] += 1;
        }
        self.order[s..e].copy_from_slice(&self.scratch[s..e]);
        self.sorted[s..e].copy_from_slice(&self.scratch_pos[s..e]);

        let first_child = self.cells.len() as u32;
        let quarter = half * 0.5;
        for o in 0..8 {
            if counts[o] == 0 {
                continue;
            }
            let sign = |bit: usize| if o & bit != 0 { quarter } else { -quarter };
            self.cells.push(Cell {
                centre: [
                    centre[0] + sign(1),
                    centre[1] + sign(2),
                    centre[2] + sign(4),
                ],
                half: quarter,
                start: offset[o],
                end: offset[o] + counts[o],
                ..Cell::default()
            });
        }
        let child_count = self.cells.len() as u32 - first_child;
        let cell = &mut self.cells[c];
        cell.first_child = first_child;
        cell.child_count = child_count;
    }

    /// Splits the repulsion of this step into [`BUCKETS`] lists of work items. The split
    /// depends only on the tree, and together the items cover every pair of bodies once, exactly
    /// as one walk from the root would.
    fn plan(&self) -> Vec<Vec<Item>> {
        let mut buckets: Vec<Vec<Item>> = vec![Vec::new(); BUCKETS];
        let mut load = [0u64; BUCKETS];
        let n = self.cells.first().map_or(0, |c| c.end - c.start);
        let threshold = (n / (BUCKETS as u32 * 8)).max(64);
        let mut pending = vec![Item::Own(0)];
        let mut items = Vec::new();
        while let Some(item) = pending.pop() {
            let Item::Own(c) = item else {
                items.push(item);
                continue;
            };
            let cell = self.cells[c as usize];
            if cell.child_count == 0 || cell.end - cell.start <= threshold {
                items.push(item);
                continue;
            }
            let children = cell.first_child..cell.first_child + cell.child_count;
            for x in children.clone().rev() {
                for y in (x + 1..children.end).rev() {
                    pending.push(Item::Pair(x, y));
                }
                pending.push(Item::Own(x));
            }
        }
        if self.cells.is_empty() {
            return buckets;
        }
        for item in items {
            let cost = match item {
                Item::Own(c) => {
                    u64::from(self.cells[c as usize].end - self.cells[c as usize].start)
                }
                Item::Pair(a, b) => {
                    let (ca, cb) = (&self.cells[a as usize], &self.cells[b as usize]);
                    u64::from((ca.end - ca.start).min(cb.end - cb.start))
                }
            };
            let k = (0..BUCKETS).min_by_key(|&k| (load[k], k)).unwrap_or(0);
            load[k] += cost;
            buckets[k].push(item);
        }
        buckets
    }

    /// Runs one bucket's items into its own buffers.
    /// `bucket.force` is indexed like `sorted` (tree order), not by body.
    fn walk(&self, items: &[Item], theta: f64, bucket: &mut Bucket) {
        bucket.force.clear();
        bucket.force.resize(self.sorted.len(), [0.0; 3]);
        bucket.local.clear();
        bucket.local.resize(self.cells.len(), Local::default());
        let mut walk = Walk {
            tree: self,
            local: &mut bucket.local,
            pos: &self.sorted,
            force: &mut bucket.force,
            theta_sq: theta * theta,
        };
        for &item in items {
            match item {
                Item::Own(c) => walk.interact_self(c),
                Item::Pair(a, b) => walk.interact(a, b),
            }
        }
    }

    /// Sums the buckets in order and pushes the far-field expansions down to the bodies:
    /// `force` receives the repulsion on every body, unscaled (strength 1, alpha 1).
    fn merge(&self, buckets: &[Bucket], force: &mut [V3]) {
        let mut local = vec![Local::default(); self.cells.len()];
        for (c, l) in local.iter_mut().enumerate() {
            for b in buckets {
                add(&mut l.force, b.local[c].force);
                for k in 0..6 {
                    l.jacobian[k] += b.local[c].jacobian[k];
                }
            }
        }
        // Parents come before children in `cells`.
        for c in 0..self.cells.len() {
            let cell = self.cells[c];
            let here = local[c];
            if cell.child_count == 0 {
                for k in cell.start as usize..cell.end as usize {
                    let mut f = [0.0; 3];
                    for b in buckets {
                        add(&mut f, b.force[k]);
                    }
                    add(&mut f, here.at(sub(self.sorted[k], cell.mass_centre)));
                    force[self.order[k] as usize] = f;
                }
            } else {
                for child in cell.first_child..cell.first_child + cell.child_count {
                    let offset = sub(self.cells[child as usize].mass_centre, cell.mass_centre);
                    let l = &mut local[child as usize];
                    add(&mut l.force, here.at(offset));
                    for k in 0..6 {
                        l.jacobian[k] += here.jacobian[k];
                    }
                }
            }
        }
    }
}

fn sub(a: V3, b: V3) -> V3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn distance_sq(a: V3, b: V3) -> f64 {
    let d = sub(a, b);
    d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
}

/// Below this many body pairs, two cells that are not far apart interact body by body rather
/// than being split further.
const DIRECT_PAIRS: u64 = 64;

/// Whether the pairs inside a cell of `n` bodies are few enough to take body by body. Counted in
/// `u64`: `n * n` passes `u32` beyond 65,535 bodies in one cell.
fn direct_within(n: u32) -> bool {
    u64::from(n) * u64::from(n) <= 2 * DIRECT_PAIRS
}

/// Whether the pairs between cells of `na` and `nb` bodies are few enough to take body by body
/// (counted in `u64`, as in [`direct_within`]).
fn direct_between(na: u32, nb: u32) -> bool {
    u64::from(na) * u64::from(nb) <= DIRECT_PAIRS
}

/// State of one repulsion walk.
struct Walk<'a> {
    tree: &'a Octree,
    local: &'a mut [Local],
    /// Positions and forces in tree order: `body_pair` takes slots of `Octree::sorted`.
    pos: &'a [V3],
    force: &'a mut [V3],
    theta_sq: f64,
}

impl Walk<'_> {
    /// All pairs inside cell `a`.
    fn interact_self(&mut self, a: u32) {
        let cell = self.tree.cells[a as usize];
        let n = cell.end - cell.start;
        if cell.child_count == 0 || direct_within(n) {
            for i in cell.start..cell.end {
                for j in i + 1..cell.end {
                    self.body_pair(i, j);
                }
            }
            return;
        }
        let children = cell.first_child..cell.first_child + cell.child_count;
        for x in children.clone() {
            self.interact_self(x);
            for y in x + 1..children.end {
                self.interact(x, y);
            }
        }
    }

    /// All pairs between distinct, disjoint cells `a` and `b`.
    fn interact(&mut self, a: u32, b: u32) {
        let (ca, cb) = (self.tree.cells[a as usize], self.tree.cells[b as usize]);
        let d = sub(cb.mass_centre, ca.mass_centre);
        let dist_sq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        let reach = ca.radius + cb.radius;
        if reach * reach < self.theta_sq * dist_sq {
            self.cell_pair(a, b, d, dist_sq);
            return;
        }
        let (na, nb) = (ca.end - ca.start, cb.end - cb.start);
        let leaves = ca.child_count == 0 && cb.child_count == 0;
        if leaves || direct_between(na, nb) {
            for i in ca.start..ca.end {
                for j in cb.start..cb.end {
                    self.body_pair(i, j);
                }
            }
            return;
        }
        // Split the larger cell (a leaf cannot be split).
        if cb.child_count == 0 || (ca.child_count != 0 && ca.radius >= cb.radius) {
            for x in ca.first_child..ca.first_child + ca.child_count {
                self.interact(x, b);
            }
        } else {
            for y in cb.first_child..cb.first_child + cb.child_count {
                self.interact(a, y);
            }
        }
    }

    /// The bodies in slots `i` and `j`: each pushes the other by `d / max(|d|^2, MIN_DISTANCE_SQ)`.
    fn body_pair(&mut self, i: u32, j: u32) {
        let (p, q) = (self.pos[i as usize], self.pos[j as usize]);
        let d = sub(q, p);
        let w = 1.0 / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).max(MIN_DISTANCE_SQ);
        let f = [d[0] * w, d[1] * w, d[2] * w];
        add(&mut self.force[i as usize], f);
        add(&mut self.force[j as usize], [-f[0], -f[1], -f[2]]);
    }

    /// Two far cells: each receives the other's field, to first order about its centre of mass.
    fn cell_pair(&mut self, a: u32, b: u32, d: V3, dist_sq: f64) {
        let (ca, cb) = (&self.tree.cells[a as usize], &self.tree.cells[b as usize]);
        let (ma, mb) = (f64::from(ca.end - ca.start), f64::from(cb.end - cb.start));
        let inv = 1.0 / dist_sq.max(MIN_DISTANCE_SQ);
        let f = [d[0] * inv, d[1] * inv, d[2] * inv];
        // d/dx of (c - x)/|c - x|^2 is -(I - 2 u u^T / |u|^2) / |u|^2 with u = c - x.
        let two = 2.0 * inv * inv;
        let k = [
            -(inv - two * d[0] * d[0]),
            -(inv - two * d[1] * d[1]),
            -(inv - two * d[2] * d[2]),
            two * d[0] * d[1],
            two * d[0] * d[2],
            two * d[1] * d[2],
        ];
        let la = &mut self.local[a as usize];
        add(&mut la.force, [f[0] * mb, f[1] * mb, f[2] * mb]);
        for (x, &kk) in la.jacobian.iter_mut().zip(&k) {
            *x += kk * mb;
        }
        let lb = &mut self.local[b as usize];
        add(&mut lb.force, [-f[0] * ma, -f[1] * ma, -f[2] * ma]);
        for (x, &kk) in lb.jacobian.iter_mut().zip(&k) {
            *x += kk * ma;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posts::Post;

    fn graph(n: usize) -> PostGraph {
        let posts: Vec<Post> = (0..n)
            .map(|i| Post {
                id: format!("p{i:06}"),
                title: "t".to_owned(),
                url: None,
                date: None,
                tags: Vec::new(),
                links: if i > 0 {
                    vec![format!("p{:06}", i - 1)]
                } else {
                    Vec::new()
                },
                summary: None,
                weight: None,
            })
            .collect();
        PostGraph::build(&posts)
    }

    #[test]
    fn coincident_start_positions_are_spread_so_the_octree_splits_them() {
        let n = 2_000;
        let g = graph(n);
        let params = ForceParams::default();
        let mut start = vec![Some([1.0f32, 2.0, 3.0]); n];
        start[7] = None; // a new post, placed beside its neighbours
        start[8] = Some([-4.0, 0.0, 0.0]); // a post on its own keeps its place
        let pos = initial_positions(&g, &params, Some(&start));
        assert_eq!(
            pos[0],
            [1.0, 2.0, 3.0],
            "the first post at a point keeps it"
        );
        assert_eq!(pos[8], [-4.0, 0.0, 0.0]);
        let mut keys: Vec<[u64; 3]> = pos.iter().map(|p| p.map(f64::to_bits)).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "every post at its own point");
        assert_eq!(pos, initial_positions(&g, &params, Some(&start)));
        // No leaf of the octree holds more than LEAF_SIZE bodies: no step is quadratic.
        let mut tree = Octree::default();
        tree.build(&pos);
        let largest_leaf = tree
            .cells
            .iter()
            .filter(|c| c.child_count == 0)
            .map(|c| c.end - c.start)
            .max();
        assert!(largest_leaf <= Some(LEAF_SIZE as u32), "{largest_leaf:?}");
    }

    #[test]
    fn distinct_start_positions_are_kept_exactly() {
        let n = 50;
        let g = graph(n);
        let params = ForceParams::default();
        let start: Vec<Option<[f32; 3]>> = (0..n).map(|i| Some([i as f32, 0.0, -0.0])).collect();
        let pos = initial_positions(&g, &params, Some(&start));
        for (p, s) in pos.iter().zip(&start) {
            let s = s.map(|s| s.map(f64::from));
            assert_eq!(Some(*p), s);
        }
    }

    #[test]
    fn pair_counts_do_not_overflow_past_65536_bodies_in_a_cell() {
        assert!(direct_within(11));
        assert!(!direct_within(12));
        assert!(direct_between(8, 8));
        assert!(!direct_between(8, 9));
        // 65,536^2 is 2^32: in u32 it wrapped to 0 ("few pairs") or panicked in debug builds.
        for n in [65_536, 70_000, 1_000_000, u32::MAX] {
            assert!(!direct_within(n), "{n}");
            assert!(!direct_between(n, n), "{n}");
            assert!(!direct_between(n, 2), "{n}");
        }
        assert!(!direct_between(65_536, 65_537));
    }
}
