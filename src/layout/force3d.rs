//! Seeded 3D force-directed layout: springs along edges, Barnes-Hut (octree) repulsion, a weak
//! pull to the origin that packs disconnected components, and a fixed cooling schedule.
//!
//! Determinism rules (DESIGN.md): the iteration count is fixed, the only randomness is the seeded
//! [`Rng`], no std transcendental function is called (the one `pow` goes through `libm`), and
//! forces are summed in a fixed order. Repulsion is computed per node from a read-only tree, so
//! splitting the nodes across threads cannot change a single bit of the result.

use crate::graph::{EdgeKind, PostGraph};
use crate::rng::Rng;

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
    /// Barnes-Hut opening criterion: a cell of width w at distance d is one body if w/d < theta.
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
            theta: 1.2,
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
/// Bodies per interaction group: the tree is walked once per group.
const GROUP_SIZE: usize = 16;
/// Octree depth beyond which a cell becomes a leaf whatever its size (coincident posts).
const MAX_DEPTH: u32 = 40;
/// Below this many posts, threads cost more than they save.
#[cfg(not(target_arch = "wasm32"))]
const THREADS_FROM: usize = 4096;

type V3 = [f64; 3];

/// Runs the simulation. `start` gives initial positions for some posts (warm start); the rest are
/// placed by the seeded PRNG, near their placed neighbours when they have any.
pub fn simulate(graph: &PostGraph, params: &ForceParams, start: Option<&[Option<[f32; 3]>]>) -> Vec<[f32; 3]> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let mut pos = initial_positions(graph, params, start);
    let mut vel = vec![[0.0f64; 3]; n];
    let springs = Springs::new(graph, params);
    let mut tree = Octree::default();
    let mut force = vec![[0.0f64; 3]; n];

    let iterations = params.iterations.max(1);
    // alpha_k = initial * decay^k, reaching final_alpha at the last step.
    let decay = libm::pow(params.final_alpha / params.initial_alpha, 1.0 / f64::from(iterations));
    let mut alpha = params.initial_alpha;
    for _ in 0..params.iterations {
        tree.build(&pos);
        tree.repulsion(&pos, params.charge * alpha, params.theta * params.theta, &mut force);
        for (v, f) in vel.iter_mut().zip(&force) {
            add(v, *f);
        }
        springs.apply(&pos, &mut vel, alpha);
        let pull = params.gravity * alpha;
        let keep = 1.0 - params.velocity_decay;
        for (p, v) in pos.iter_mut().zip(vel.iter_mut()) {
            for k in 0..3 {
                v[k] -= p[k] * pull;
                v[k] *= keep;
                p[k] += v[k];
            }
        }
        alpha *= decay;
    }

    // Centre on the mean (summed in id order) so cameras and warm starts see a stable frame.
    let mut mean = [0.0; 3];
    for p in &pos {
        add(&mut mean, *p);
    }
    let inv = 1.0 / n as f64;
    pos.iter().map(|p| std::array::from_fn(|k| (p[k] - mean[k] * inv) as f32)).collect()
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

fn initial_positions(graph: &PostGraph, params: &ForceParams, start: Option<&[Option<[f32; 3]>]>) -> Vec<V3> {
    let n = graph.node_count();
    let mut rng = Rng::new(params.seed, 0x6c61_796f_7574);
    // A ball whose volume grows with n, at roughly the density the forces settle to.
    let cube_root = libm::cbrt(n as f64);
    let radius = params.link_distance * 0.5 * cube_root.max(1.0);
    let Some(start) = start.filter(|s| s.len() == n && s.iter().any(Option::is_some)) else {
        return (0..n).map(|_| in_ball(&mut rng, [0.0; 3], radius)).collect();
    };

    let mut pos: Vec<Option<V3>> =
        start.iter().map(|s| s.map(|p| [f64::from(p[0]), f64::from(p[1]), f64::from(p[2])])).collect();
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
            in_ball(&mut rng, [sum[0] * c, sum[1] * c, sum[2] * c], params.link_distance * 0.5)
        } else {
            in_ball(&mut rng, [0.0; 3], extent.max(radius))
        });
    }
    pos.into_iter().map(|p| p.unwrap_or([0.0; 3])).collect()
}

/// Edge springs with d3-style strengths: 1/min(degree) so hubs are not torn apart, and a bias
/// that moves the lighter end more.
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
                let (da, db) = (f64::from(degree[e.source as usize]), f64::from(degree[e.target as usize]));
                let kind = if e.kind == EdgeKind::Tag { params.tag_strength } else { params.link_strength };
                (e.source, e.target, (kind / da.min(db)).min(1.0), da / (da + db))
            })
            .collect();
        Springs { list, distance: params.link_distance }
    }

    fn apply(&self, pos: &[V3], vel: &mut [V3], alpha: f64) {
        for &(a, b, strength, bias) in &self.list {
            let (a, b) = (a as usize, b as usize);
            let mut d: V3 = std::array::from_fn(|k| pos[b][k] + vel[b][k] - pos[a][k] - vel[a][k]);
            let mut len = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
            if len < 1e-9 {
                // Coincident ends: push apart along a fixed axis derived from the indices.
                d = [1e-6 * ((a + b) % 3) as f64, 1e-6, 0.0];
                len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            }
            let s = (len - self.distance) / len * alpha * strength;
            for k in 0..3 {
                let dk = d[k] * s;
                vel[b][k] -= dk * bias;
                vel[a][k] += dk * (1.0 - bias);
            }
        }
    }
}

/// One octree cell: a cube, the bodies in `order[start..end]`, their centre of mass, and either
/// children `first_child..first_child + child_count` or (for a leaf) none.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    centre: V3,
    half: f64,
    mass_centre: V3,
    start: u32,
    end: u32,
    first_child: u32,
    child_count: u32,
}

/// A Barnes-Hut octree rebuilt every step into reused buffers.
#[derive(Debug, Default)]
struct Octree {
    cells: Vec<Cell>,
    /// Body indices, grouped by cell (tree order: nearby bodies are adjacent).
    order: Vec<u32>,
    scratch: Vec<u32>,
    octant: Vec<u8>,
    /// Forces in tree order, filled in parallel and then scattered.
    force_in_order: Vec<V3>,
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
        self.octant.resize(n, 0);

        let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
        for p in pos {
            for k in 0..3 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let centre: V3 = std::array::from_fn(|k| (lo[k] + hi[k]) * 0.5);
        let half = (0..3).map(|k| (hi[k] - lo[k]) * 0.5).fold(1e-9, f64::max) * (1.0 + 1e-9);
        self.cells.push(Cell { centre, half, end: n as u32, ..Cell::default() });

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
                self.split(next, pos, s, e);
            }
            next += 1;
        }

        // Centres of mass, bottom-up (every body has unit mass).
        for c in (0..self.cells.len()).rev() {
            let cell = self.cells[c];
            let mut sum = [0.0; 3];
            if cell.child_count == 0 {
                for &i in &self.order[cell.start as usize..cell.end as usize] {
                    add(&mut sum, pos[i as usize]);
                }
            } else {
                for child in &self.cells[cell.first_child as usize..(cell.first_child + cell.child_count) as usize] {
                    let m = f64::from(child.end - child.start);
                    add(&mut sum, [child.mass_centre[0] * m, child.mass_centre[1] * m, child.mass_centre[2] * m]);
                }
            }
            let inv = 1.0 / f64::from(cell.end - cell.start);
            self.cells[c].mass_centre = [sum[0] * inv, sum[1] * inv, sum[2] * inv];
        }
    }

    /// Counting-sorts `order[s..e]` by octant of the cell `c` and appends its non-empty children.
    fn split(&mut self, c: usize, pos: &[V3], s: usize, e: usize) {
        let Cell { centre, half, .. } = self.cells[c];
        let mut counts = [0u32; 8];
        for k in s..e {
            let p = pos[self.order[k] as usize];
            let o = u8::from(p[0] >= centre[0]) | u8::from(p[1] >= centre[1]) << 1 | u8::from(p[2] >= centre[2]) << 2;
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
            cursor[o] += 1;
        }
        self.order[s..e].copy_from_slice(&self.scratch[s..e]);

        let first_child = self.cells.len() as u32;
        let quarter = half * 0.5;
        for o in 0..8 {
            if counts[o] == 0 {
                continue;
            }
            let sign = |bit: usize| if o & bit != 0 { quarter } else { -quarter };
            self.cells.push(Cell {
                centre: [centre[0] + sign(1), centre[1] + sign(2), centre[2] + sign(4)],
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

    /// Repulsion on every body, written to `force` (indexed by body). `strength` is charge*alpha.
    ///
    /// Barnes' grouped traversal: the tree is walked once per leaf, with the opening criterion
    /// taken against the whole leaf's cube, giving one interaction list that every body of the
    /// leaf then sums in a tight, branch-free loop. Each body's force depends only on the tree and
    /// the positions, so splitting leaves across threads changes no bit of the result.
    fn repulsion(&mut self, pos: &[V3], strength: f64, theta_sq: f64, force: &mut [V3]) {
        let n = pos.len();
        let mut out = std::mem::take(&mut self.force_in_order);
        out.resize(n, [0.0; 3]);
        // Groups: runs of GROUP_SIZE consecutive bodies in tree order, which are close in space.
        let groups: Vec<(usize, usize)> = (0..n).step_by(GROUP_SIZE).map(|s| (s, (s + GROUP_SIZE).min(n))).collect();

        let this = &*self;
        let run = |groups: &[(usize, usize)], out: &mut [V3], first: usize| {
            let mut list = InteractionList::default();
            let mut stack: Vec<u32> = Vec::with_capacity(64);
            for &(start, end) in groups {
                this.interaction_list(start, end, pos, theta_sq, &mut list, &mut stack);
                for k in start..end {
                    let f = list.force_at(pos[this.order[k] as usize]);
                    out[k - first] = [f[0] * strength, f[1] * strength, f[2] * strength];
                }
            }
        };

        #[cfg(not(target_arch = "wasm32"))]
        let threads = if n >= THREADS_FROM {
            std::thread::available_parallelism().map_or(1, |t| t.get()).min(8)
        } else {
            1
        };
        #[cfg(target_arch = "wasm32")]
        let threads = 1;
        if threads > 1 {
            let per_thread = groups.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let mut out_rest = &mut out[..];
                for part in groups.chunks(per_thread) {
                    let first = part[0].0;
                    let (chunk, tail) = out_rest.split_at_mut(part[part.len() - 1].1 - first);
                    out_rest = tail;
                    let run = &run;
                    scope.spawn(move || run(part, chunk, first));
                }
            });
        } else {
            run(&groups, &mut out, 0);
        }

        for (k, f) in out.iter().enumerate() {
            force[self.order[k] as usize] = *f;
        }
        self.force_in_order = out;
    }

    /// Fills `list` with what acts on the bodies `order[start..end]`: cells far from their
    /// whole bounding box as one body each, the bodies of near leaves one by one.
    #[allow(clippy::too_many_arguments)]
    fn interaction_list(
        &self,
        start: usize,
        end: usize,
        pos: &[V3],
        theta_sq: f64,
        list: &mut InteractionList,
        stack: &mut Vec<u32>,
    ) {
        let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
        for &i in &self.order[start..end] {
            let p = pos[i as usize];
            for k in 0..3 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let centre: V3 = std::array::from_fn(|k| (lo[k] + hi[k]) * 0.5);
        let half: V3 = std::array::from_fn(|k| (hi[k] - lo[k]) * 0.5);
        list.clear(centre);
        stack.clear();
        stack.push(0);
        while let Some(c) = stack.pop() {
            let cell = &self.cells[c as usize];
            let m = cell.mass_centre;
            // Distance from the centre of mass to the nearest point of the group's cube.
            let mut dist_sq = 0.0;
            for k in 0..3 {
                let gap = (m[k] - centre[k]).abs() - half[k];
                if gap > 0.0 {
                    dist_sq += gap * gap;
                }
            }
            let width = cell.half * 2.0;
            if width * width < theta_sq * dist_sq {
                list.push(m, f64::from(cell.end - cell.start));
            } else if cell.child_count == 0 {
                for &j in &self.order[cell.start as usize..cell.end as usize] {
                    list.push(pos[j as usize], 1.0);
                }
            } else {
                // Children pushed in reverse so they are visited in octant order.
                for child in (cell.first_child..cell.first_child + cell.child_count).rev() {
                    stack.push(child);
                }
            }
        }
    }
}

/// Bodies acting on one group, relative to the group's centre, in blocks of f32 lanes so that
/// the sum vectorises. The lane layout and the order of the final sum are fixed in the source,
/// so the result is the same on every target, with or without SIMD.
#[derive(Debug, Default)]
struct InteractionList {
    origin: V3,
    blocks: Vec<Block>,
    len: usize,
}

const LANES: usize = 4;

/// `LANES` bodies: positions relative to the list's origin, and masses (0 for padding).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Block {
    x: [f32; LANES],
    y: [f32; LANES],
    z: [f32; LANES],
    mass: [f32; LANES],
}

impl InteractionList {
    fn clear(&mut self, origin: V3) {
        self.origin = origin;
        self.blocks.clear();
        self.len = 0;
    }

    fn push(&mut self, p: V3, mass: f64) {
        let lane = self.len % LANES;
        if lane == 0 {
            // Fresh blocks are massless, so unused lanes add exactly 0.
            self.blocks.push(Block::default());
        }
        if let Some(block) = self.blocks.last_mut() {
            block.x[lane] = (p[0] - self.origin[0]) as f32;
            block.y[lane] = (p[1] - self.origin[1]) as f32;
            block.z[lane] = (p[2] - self.origin[2]) as f32;
            block.mass[lane] = mass as f32;
        }
        self.len += 1;
    }

    /// Sum over the list of (q - p) * mass / max(|q - p|^2, MIN_DISTANCE_SQ). The body itself
    /// is in the list at distance 0 and adds exactly 0.
    fn force_at(&self, p: V3) -> V3 {
        let px = (p[0] - self.origin[0]) as f32;
        let py = (p[1] - self.origin[1]) as f32;
        let pz = (p[2] - self.origin[2]) as f32;
        let min = MIN_DISTANCE_SQ as f32;
        let (mut ax, mut ay, mut az) = ([0f32; LANES], [0f32; LANES], [0f32; LANES]);
        for b in &self.blocks {
            let mut dx = [0f32; LANES];
            let mut dy = [0f32; LANES];
            let mut dz = [0f32; LANES];
            let mut w = [0f32; LANES];
            for l in 0..LANES {
                dx[l] = b.x[l] - px;
                dy[l] = b.y[l] - py;
                dz[l] = b.z[l] - pz;
            }
            for l in 0..LANES {
                let d2 = dx[l] * dx[l] + dy[l] * dy[l] + dz[l] * dz[l];
                w[l] = b.mass[l] / if d2 < min { min } else { d2 };
            }
            for l in 0..LANES {
                ax[l] += dx[l] * w[l];
                ay[l] += dy[l] * w[l];
                az[l] += dz[l] * w[l];
            }
        }
        let total = |a: [f32; LANES]| f64::from((a[0] + a[1]) + (a[2] + a[3]));
        [total(ax), total(ay), total(az)]
    }
}
