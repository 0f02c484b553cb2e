//! The 2D radial layout of the 2D view (phones, no GPU): the 3D first frame, flattened onto
//! rings, so that the same clusters sit in the same places in both views.
//!
//! # The rule
//!
//! The input is one point per post: where the 3D first frame shows its centre, y up
//! ([`crate::site::scene_2d`] passes the 3D first frame at the default frame size), or a
//! non-finite point for a post that frame does not draw.
//!
//! 1. **Directions.** `c` is the centroid of the finite points (summed in post order). A post's
//!    *direction* is the angle of its point around `c`, its *distance* how far it is from `c`;
//!    a post without a finite point has direction 0 and is the farthest of all.
//! 2. **Rings.** Concentric rings round the origin: ring `k` has radius
//!    `inner_radius + k * min_spacing` and as many evenly spaced slots as fit with neighbouring
//!    slots at least `min_spacing` apart (chord length); ring `k`'s slots are rotated by the
//!    fractional part of `k` times the golden ratio, so that slots do not line up radially.
//!    There are as many rings as the posts need.
//! 3. **Posts take slots, nearest first.** In order of distance (nearest first, ties by index),
//!    each post takes, on the innermost ring that has one, the free slot nearest its direction
//!    among those at most `max_angle_error_rad` from it (ties to the smaller slot number). So a
//!    post's angle round the origin is its 3D direction within `max_angle_error_rad`
//!    (default 10 degrees), and radius follows the rank of the 3D distance: where directions
//!    are crowded, posts farther out in 3D sit on outer rings.
//!
//! 4. **Room for the posts a thumb looks for.** Posts marked *roomy* (the 2D scene marks the
//!    3D frame's labelled posts and the largest posts, [`crate::site::ROOMY_POSTS`] in all) take,
//!    in the same order and on the same search, only a slot whose whole neighbourhood (every
//!    slot closer than `room_spacing`, on its ring and the rings either side) is free, and then
//!    reserve that neighbourhood: **no other post centre lies within `room_spacing` of a roomy
//!    post** (default 1.6 units: on a 390 CSS px phone frame of a 1,000-post site, about
//!    12 px, so a thumb can tell it apart at the first zoom; the others pack about 7 px apart).
//!
//! Two slots on one ring are at least `min_spacing` apart (chord), two slots on different rings
//! are at least the difference of their radii apart, so **no two posts are closer than
//! `min_spacing`**; the 2D scene's discs are at most 0.45 of it in radius
//! ([`crate::scene::MAX_RADIUS_2D_PER_SPACING`]), so they never overlap at any zoom. The layout
//! is roughly centred on the origin, not exactly: a crowded direction reaches farther out.
//!
//! # Determinism
//!
//! Every step runs in a fixed order on f64 with IEEE operations and `libm`'s software `atan2`,
//! `sin`, `cos` and `asin` (never the platform's), the one sort uses unique keys, and no hash
//! map is iterated: the same points give the same bits natively and in wasm. Placing is
//! O(n * rings) in the worst case, a few milliseconds for 10,000 posts.

use crate::sort;

/// Parameters of [`radial_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadialParams {
    /// Smallest distance between two posts' centres, in layout units (default 1.0).
    /// Values that are not finite and positive fall back to the default.
    pub min_spacing: f32,
    /// Radius of the innermost ring (default 1.0); raised to at least `min_spacing`.
    pub inner_radius: f32,
    /// Largest difference between a post's angle round the origin and its 3D direction, in
    /// radians (default 10 degrees). Values that are not finite and positive fall back to the
    /// default; at most half a turn.
    pub max_angle_error_rad: f32,
    /// Smallest distance from a roomy post's centre to any other post's centre, in layout units
    /// (default 1.6); values that are not finite or below `min_spacing` fall back to
    /// `min_spacing` (no extra room); at most `2 * min_spacing` (larger values are clamped to it).
    pub room_spacing: f32,
}

/// [`RadialParams::max_angle_error_rad`]'s default: 10 degrees.
pub const DEFAULT_MAX_ANGLE_ERROR_RAD: f32 = 0.174_532_93;

/// [`RadialParams::room_spacing`]'s default.
pub const DEFAULT_ROOM_SPACING: f32 = 1.6;

impl Default for RadialParams {
    fn default() -> Self {
        RadialParams {
            min_spacing: 1.0,
            inner_radius: 1.0,
            max_angle_error_rad: DEFAULT_MAX_ANGLE_ERROR_RAD,
            room_spacing: DEFAULT_ROOM_SPACING,
        }
    }
}

/// Slots are laid out this much further apart than asked, so that rounding the positions to
/// f32 never brings two posts closer than `min_spacing`.
const SPACING_MARGIN: f64 = 1.0 + 1e-3;

/// The fractional part of the golden ratio: the per-ring rotation step of the slots.
const GOLDEN_FRACTION: f64 = 0.618_033_988_749_894_9;

/// Radial positions with the default [`RadialParams`], one per point (post) in its order;
/// `roomy[i]` marks the posts that get room round them (missing entries are `false`).
pub fn radial(points: &[[f32; 2]], roomy: &[bool]) -> Vec<[f32; 2]> {
    radial_with(points, roomy, &RadialParams::default())
}

/// Radial positions, one per point in `points`' order (the posts' id order), by the rule in
/// the module doc. `points` are the posts' centres in the 3D first frame, y up; `roomy[i]`
/// marks the posts that get `room_spacing` round them (missing entries are `false`).
pub fn radial_with(points: &[[f32; 2]], roomy: &[bool], params: &RadialParams) -> Vec<[f32; 2]> {
    place(points, roomy, params, None)
}

/// [`radial_with`] round post `centre` (a local graph's, docs/DESIGN.md "Local graph"): it sits
/// at the origin, directions are taken round its point instead of the centroid, and the rings
/// start at `room_spacing` (at least `min_spacing`), so no post comes closer to it than a roomy
/// post's room. A `centre` out of range or without a finite point gives [`radial_with`].
pub fn radial_round(
    points: &[[f32; 2]],
    roomy: &[bool],
    params: &RadialParams,
    centre: usize,
) -> Vec<[f32; 2]> {
    let usable = points
        .get(centre)
        .is_some_and(|p| p[0].is_finite() && p[1].is_finite());
    place(points, roomy, params, usable.then_some(centre))
}

fn place(
    points: &[[f32; 2]],
    roomy: &[bool],
    params: &RadialParams,
    centre: Option<usize>,
) -> Vec<[f32; 2]> {
    let n = points.len();
    if n <= 1 {
        return vec![[0.0, 0.0]; n];
    }
    let defaults = RadialParams::default();
    let spacing = f64::from(sane(params.min_spacing, defaults.min_spacing));
    let mut inner = if params.inner_radius.is_finite() {
        f64::from(params.inner_radius).max(spacing)
    } else {
        spacing
    };
    let tolerance_turns = (f64::from(sane(
        params.max_angle_error_rad,
        defaults.max_angle_error_rad,
    )) / core::f64::consts::TAU)
        .min(0.5);

    let (turns, distances) = directions(points, centre.map(|c| points[c]));
    let mut order = sort::indices_by_key(n, |i| sort::f64_key(distances[i]));

    let room = f64::from(params.room_spacing);
    let room = if room.is_finite() && room > spacing {
        // Under two ring spacings, so only the rings either side can come that close.
        room.min(2.0 * spacing) * SPACING_MARGIN
    } else {
        0.0
    };
    if let Some(c) = centre {
        // The centre keeps the origin; the rings start a roomy post's room away from it.
        order.retain(|&i| i as usize != c);
        inner = inner.max(room / SPACING_MARGIN);
    }

    let (inner, spacing) = (inner * SPACING_MARGIN, spacing * SPACING_MARGIN);
    let mut rings: Vec<Ring> = Vec::new();
    // Rings below this one are full.
    let mut first_open = 0;
    let mut out = vec![[0.0f32; 2]; n];
    for &post in &order {
        let turn = turns[post as usize];
        let wants_room = room > 0.0 && roomy.get(post as usize).copied().unwrap_or(false);
        let mut k = first_open;
        let (ring, slot) = loop {
            // A roomy post's neighbourhood reaches the next ring out.
            while rings.len() <= k + usize::from(wants_room) {
                rings.push(Ring::new(rings.len(), inner, spacing));
            }
            let found = if wants_room {
                roomy_slot(&rings, k, turn, tolerance_turns, room)
            } else {
                rings[k].nearest_free(turn, tolerance_turns, |_| true)
            };
            if let Some(slot) = found {
                break (k, slot);
            }
            k += 1;
        };
        rings[ring].take(slot);
        let point = rings[ring].point(slot);
        if wants_room {
            let reserved: Vec<(usize, usize)> = neighbourhood(&rings, point, ring, room).collect();
            for (k, j) in reserved {
                rings[k].take(j);
            }
        }
        out[post as usize] = [point[0] as f32, point[1] as f32];
        while first_open < rings.len() && rings[first_open].free == 0 {
            first_open += 1;
        }
    }
    out
}

/// The free slot on ring `k` nearest `turn` (within `tolerance`) whose neighbourhood closer than
/// `room` is free too, if any.
fn roomy_slot(rings: &[Ring], k: usize, turn: f64, tolerance: f64, room: f64) -> Option<usize> {
    rings[k].nearest_free(turn, tolerance, |j| {
        neighbourhood(rings, rings[k].point(j), k, room).all(|(k, j)| !rings[k].taken[j])
    })
}

/// The slots (ring, slot) closer than `room` to `point` on ring `k` and the rings either side
/// (`room` is under two ring spacings, so no farther ring is that close), `point`'s own slot
/// included.
fn neighbourhood(
    rings: &[Ring],
    point: [f64; 2],
    k: usize,
    room: f64,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    let near = k.saturating_sub(1)..(k + 2).min(rings.len());
    near.flat_map(move |k| {
        let ring = &rings[k];
        (0..ring.taken.len()).filter_map(move |j| {
            let q = ring.point(j);
            let d = libm::sqrt(
                (q[0] - point[0]) * (q[0] - point[0]) + (q[1] - point[1]) * (q[1] - point[1]),
            );
            (d < room).then_some((k, j))
        })
    })
}

fn sane(value: f32, fallback: f32) -> f32 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        fallback
    }
}

/// Each point's direction round `round` (default: the centroid of the finite points), in turns
/// (`[0, 1)`), and its distance from it (infinite for a point that is not finite).
fn directions(points: &[[f32; 2]], round: Option<[f32; 2]>) -> (Vec<f64>, Vec<f64>) {
    let finite = |p: &[f32; 2]| p[0].is_finite() && p[1].is_finite();
    let (mut sx, mut sy, mut count) = (0.0f64, 0.0f64, 0usize);
    for p in points.iter().filter(|p| finite(p)) {
        sx += f64::from(p[0]);
        sy += f64::from(p[1]);
        count += 1;
    }
    let (cx, cy) = match round {
        Some([x, y]) => (f64::from(x), f64::from(y)),
        None if count > 0 => (sx / count as f64, sy / count as f64),
        None => (0.0, 0.0),
    };
    points
        .iter()
        .map(|p| {
            if !finite(p) {
                return (0.0, f64::INFINITY);
            }
            let (dx, dy) = (f64::from(p[0]) - cx, f64::from(p[1]) - cy);
            let turn = libm::atan2(dy, dx) / core::f64::consts::TAU;
            let turn = if turn < 0.0 { turn + 1.0 } else { turn };
            (
                if turn >= 1.0 { 0.0 } else { turn },
                libm::sqrt(dx * dx + dy * dy),
            )
        })
        .unzip()
}

/// One ring: its radius, its slots' rotation (in slots) and which slots are taken.
#[derive(Debug, Clone)]
struct Ring {
    radius: f64,
    offset: f64,
    taken: Vec<bool>,
    free: usize,
}

impl Ring {
    /// Ring `k` (radius `inner + k * spacing`) with as many slots as fit `spacing` apart.
    fn new(k: usize, inner: f64, spacing: f64) -> Ring {
        let radius = inner + k as f64 * spacing;
        let slots = capacity(radius, spacing);
        Ring {
            radius,
            offset: (k as f64 * GOLDEN_FRACTION).fract(),
            taken: vec![false; slots],
            free: slots,
        }
    }

    /// Slot `j`'s angle in turns.
    fn turn(&self, j: usize) -> f64 {
        (j as f64 + self.offset) / self.taken.len() as f64
    }

    /// Slot `j`'s position.
    fn point(&self, j: usize) -> [f64; 2] {
        let angle = core::f64::consts::TAU * self.turn(j);
        [
            self.radius * libm::cos(angle),
            self.radius * libm::sin(angle),
        ]
    }

    /// Marks slot `j` taken (a post's, or reserved round a roomy post).
    fn take(&mut self, j: usize) {
        if !self.taken[j] {
            self.taken[j] = true;
            self.free -= 1;
        }
    }

    /// The free slot nearest `turn` among those at most `tolerance` turns from it that `fits`
    /// (ties to the smaller slot number), if any.
    fn nearest_free(
        &self,
        turn: f64,
        tolerance: f64,
        fits: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        if self.free == 0 {
            return None;
        }
        let m = self.taken.len();
        // Where `turn` falls, in slots; slot j (unwrapped) is at `j` on this scale.
        let at = turn * m as f64 - self.offset;
        let limit = tolerance * m as f64;
        let mut below = libm::floor(at) as i64;
        let mut above = below + 1;
        for _ in 0..m {
            let (down, up) = (at - below as f64, above as f64 - at);
            let (j, distance) = if down <= up {
                below -= 1;
                (below + 1, down)
            } else {
                above += 1;
                (above - 1, up)
            };
            if distance > limit {
                return None;
            }
            let slot = j.rem_euclid(m as i64) as usize;
            if !self.taken[slot] && fits(slot) {
                return Some(slot);
            }
        }
        None
    }
}

/// How many evenly spaced slots fit on a circle of `radius` with chords of at least `spacing`:
/// the largest m with `2 * radius * sin(pi / m) >= spacing`.
fn capacity(radius: f64, spacing: f64) -> usize {
    let half = spacing / (2.0 * radius);
    if half >= 1.0 {
        return 1;
    }
    let m = core::f64::consts::PI / libm::asin(half);
    // Just under an integer may be that integer exactly; the spacing margin absorbs it.
    (m as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn bits(xy: &[[f32; 2]]) -> Vec<[u32; 2]> {
        xy.iter()
            .map(|p| [p[0].to_bits(), p[1].to_bits()])
            .collect()
    }

    /// The smallest distance between two points (sweep over x).
    fn min_distance(xy: &[[f32; 2]]) -> f64 {
        let mut pts: Vec<[f64; 2]> = xy
            .iter()
            .map(|p| [f64::from(p[0]), f64::from(p[1])])
            .collect();
        pts.sort_by(|a, b| a[0].total_cmp(&b[0]));
        let mut best = f64::INFINITY;
        for i in 0..pts.len() {
            for q in &pts[i + 1..] {
                if q[0] - pts[i][0] >= best {
                    break;
                }
                best = best.min((q[0] - pts[i][0]).hypot(q[1] - pts[i][1]));
            }
        }
        best
    }

    /// Angle between two directions, in radians (`0..=pi`).
    fn angle_between(a: f64, b: f64) -> f64 {
        let d = (a - b).rem_euclid(core::f64::consts::TAU);
        d.min(core::f64::consts::TAU - d)
    }

    /// Every post's angle round the origin in `xy` is its direction round the centroid of
    /// `points`, within the default tolerance.
    fn assert_directions_kept(points: &[[f32; 2]], xy: &[[f32; 2]]) {
        let n = points.len() as f64;
        let (cx, cy) = points.iter().fold((0.0, 0.0), |(x, y), p| {
            (x + f64::from(p[0]) / n, y + f64::from(p[1]) / n)
        });
        for (p, q) in points.iter().zip(xy) {
            let want = libm::atan2(f64::from(p[1]) - cy, f64::from(p[0]) - cx);
            let got = libm::atan2(f64::from(q[1]), f64::from(q[0]));
            assert!(
                angle_between(want, got) <= f64::from(DEFAULT_MAX_ANGLE_ERROR_RAD) + 1e-6,
                "{want} vs {got}"
            );
        }
    }

    /// Points in clusters (a lumpy picture, as a force layout's is).
    fn clustered(n: usize, seed: u64) -> Vec<[f32; 2]> {
        let mut rng = Rng::new(seed, 0);
        let centres: Vec<[f64; 2]> = (0..7)
            .map(|_| [rng.range_f64(-300.0, 300.0), rng.range_f64(-200.0, 200.0)])
            .collect();
        (0..n)
            .map(|i| {
                let c = centres[i % centres.len()];
                [
                    (c[0] + rng.range_f64(-60.0, 60.0)) as f32,
                    (c[1] + rng.range_f64(-60.0, 60.0)) as f32,
                ]
            })
            .collect()
    }

    #[test]
    fn no_points_and_one_point() {
        assert!(radial(&[], &[]).is_empty());
        assert_eq!(radial(&[[5.0, 7.0]], &[]), vec![[0.0, 0.0]]);
        let two = radial(&[[0.0, 0.0], [1.0, 0.0]], &[]);
        assert!(min_distance(&two) >= 1.0);
    }

    #[test]
    fn deterministic() {
        let points = clustered(2000, 3);
        assert_eq!(bits(&radial(&points, &[])), bits(&radial(&points, &[])));
    }

    #[test]
    fn every_post_keeps_its_direction_and_spacing() {
        for seed in [1, 2, 3] {
            let points = clustered(3000, seed);
            let xy = radial(&points, &[]);
            assert!(xy.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
            assert!(min_distance(&xy) >= 1.0, "seed {seed}");
            assert_directions_kept(&points, &xy);
        }
    }

    #[test]
    fn nearer_posts_sit_nearer_the_centre_along_a_ray() {
        // Posts on two opposite rays (centroid at the origin): each ray stacks outwards in its
        // 3D order.
        let ray = |sign: f32| (0..200).map(move |i| [sign * (1.0 + i as f32), 0.0]);
        let points: Vec<[f32; 2]> = ray(1.0).chain(ray(-1.0)).collect();
        let xy = radial(&points, &[]);
        let radius = |p: [f32; 2]| f64::from(p[0]).hypot(f64::from(p[1]));
        for half in xy.chunks(200) {
            for w in half.windows(2) {
                assert!(radius(w[1]) >= radius(w[0]) - 1e-3);
            }
        }
        assert!(xy[..200].iter().all(|p| p[0] > 0.0));
        assert!(xy[200..].iter().all(|p| p[0] < 0.0));
        assert!(min_distance(&xy) >= 1.0);
    }

    #[test]
    fn undrawn_posts_go_last() {
        let mut points = clustered(500, 4);
        points[17] = [f32::NAN, f32::NAN];
        points[300] = [f32::INFINITY, 0.0];
        let xy = radial(&points, &[]);
        assert!(xy.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        assert!(min_distance(&xy) >= 1.0);
    }

    #[test]
    fn params_scale_spacing() {
        let points = clustered(500, 8);
        let params = RadialParams {
            min_spacing: 3.0,
            inner_radius: 10.0,
            ..RadialParams::default()
        };
        let xy = radial_with(&points, &[], &params);
        assert!(min_distance(&xy) >= 3.0);
        assert!(
            xy.iter()
                .all(|p| f64::from(p[0]).hypot(f64::from(p[1])) >= 10.0 - 1e-3)
        );
        let bad = RadialParams {
            min_spacing: f32::NAN,
            inner_radius: f32::INFINITY,
            max_angle_error_rad: -1.0,
            room_spacing: f32::NAN,
        };
        assert_eq!(
            bits(&radial_with(&points, &[], &bad)),
            bits(&radial(&points, &[]))
        );
    }

    #[test]
    fn roomy_posts_have_room_and_keep_their_direction() {
        let points = clustered(3000, 5);
        // Every 50th post is roomy, some of them near the centroid, some far.
        let roomy: Vec<bool> = (0..points.len()).map(|i| i % 50 == 7).collect();
        let xy = radial(&points, &roomy);
        assert_eq!(bits(&xy), bits(&radial(&points, &roomy)));
        assert!(min_distance(&xy) >= 1.0);
        let room = f64::from(DEFAULT_ROOM_SPACING);
        for (i, p) in xy.iter().enumerate().filter(|&(i, _)| roomy[i]) {
            for (j, q) in xy.iter().enumerate() {
                let d = f64::from(p[0] - q[0]).hypot(f64::from(p[1] - q[1]));
                assert!(i == j || d >= room, "post {j} is {d} from roomy post {i}");
            }
        }
        assert_directions_kept(&points, &xy);
        // Without roomy posts (or with no extra room) the layout is the plain one.
        let plain = radial(&points, &[]);
        let no_room = RadialParams {
            room_spacing: 1.0,
            ..RadialParams::default()
        };
        assert_eq!(bits(&radial_with(&points, &roomy, &no_room)), bits(&plain));
        assert_ne!(bits(&xy), bits(&plain));
    }

    #[test]
    fn round_a_centre_it_sits_alone_at_the_origin() {
        let points = clustered(300, 9);
        let centre = 17;
        let xy = radial_round(&points, &[], &RadialParams::default(), centre);
        assert_eq!(xy[centre], [0.0, 0.0]);
        let room = f64::from(DEFAULT_ROOM_SPACING);
        for (i, p) in xy.iter().enumerate().filter(|&(i, _)| i != centre) {
            let d = f64::from(p[0]).hypot(f64::from(p[1]));
            assert!(d >= room - 1e-4, "post {i} at {d}");
            // Its direction round the centre's point is kept.
            let want = f64::from(points[i][1] - points[centre][1])
                .atan2(f64::from(points[i][0] - points[centre][0]));
            let got = f64::from(p[1]).atan2(f64::from(p[0]));
            assert!(
                angle_between(want, got) <= f64::from(DEFAULT_MAX_ANGLE_ERROR_RAD) + 1e-6,
                "post {i}"
            );
        }
        assert!(min_distance(&xy) >= 1.0 - 1e-4);
        // A centre without a point: the plain layout.
        let mut unusable = points.clone();
        unusable[centre] = [f32::NAN, 0.0];
        assert_eq!(
            radial_round(&unusable, &[], &RadialParams::default(), centre),
            radial_with(&unusable, &[], &RadialParams::default())
        );
    }
}
