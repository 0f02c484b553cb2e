//! The 2D radial layout of the 2D view (phones, no GPU): tag sectors of tree rings.
//!
//! # The rule
//!
//! 1. **Sectors.** Posts are grouped by primary tag (their first tag). Sectors are ordered by
//!    post count, largest first, then by tag name (UTF-8 bytes); untagged posts form one sector,
//!    always last. Sector 0 starts at angle 0 (the +x axis) and sectors follow each other by
//!    increasing angle (counter-clockwise with y up), each covering one contiguous angular range
//!    whose size is proportional to its post count.
//! 2. **Slots.** The plane is cut into concentric rings around the origin: ring `k` has radius
//!    `inner_radius + k * min_spacing` and as many evenly spaced slots as fit with neighbouring
//!    slots at least `min_spacing` apart (chord length). Rings are filled from the centre out
//!    until there is exactly one slot per post; the last ring spreads its slots evenly around
//!    the whole circle (and never holds a single slot: the ring before gives it one). Ring `k`'s
//!    slots are rotated by the fractional part of `k` times the golden ratio, so that slots do
//!    not line up radially.
//! 3. **Sectors take slots.** All slots are sorted by angle (ties by ring, then slot number);
//!    sector 0 takes the first `count_0` of them, sector 1 the next `count_1`, and so on. Slots
//!    are spread evenly in angle on every ring, so each sector gets an angular wedge of the disk
//!    proportional to its size, and even a one-post sector gets a slot within the disk.
//! 4. **Tree rings.** Within a sector, posts in (date, id) order, undated last, take the
//!    sector's slots in (ring, angle) order: the oldest posts nearest the centre, the newest on
//!    the outside.
//!
//! Two slots on one ring are at least `min_spacing` apart (chord), two slots on different rings
//! are at least the difference of their radii apart, so **no two posts are closer than
//! `min_spacing`**. Full rings and the evenly spread last ring are symmetric about the origin,
//! so the layout is centred there (a lone post sits at the origin). The graph is not used:
//! positions depend on ids, primary tags and dates only.
//!
//! # Determinism
//!
//! Every step runs in a fixed order on f64 with IEEE operations and `libm`'s software `sin`,
//! `cos` and `asin` (never the platform's), sorts use total orders with unique keys, and no hash
//! map is iterated: the same posts give the same bits natively and in wasm. It runs in
//! O(n log n).

use std::collections::BTreeMap;

use crate::graph::PostGraph;
use crate::posts::{Date, Post};
use crate::sort;

/// Parameters of [`radial_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadialParams {
    /// Smallest distance between two posts' centres, in layout units (default 1.0).
    /// Values that are not finite and positive fall back to the default.
    pub min_spacing: f32,
    /// Radius of the innermost ring (default 1.0); raised to at least `min_spacing`.
    pub inner_radius: f32,
}

impl Default for RadialParams {
    fn default() -> Self {
        RadialParams {
            min_spacing: 1.0,
            inner_radius: 1.0,
        }
    }
}

/// Slots are laid out this much further apart than asked, so that rounding the positions to
/// f32 never brings two posts closer than `min_spacing`.
const SPACING_MARGIN: f64 = 1.0 + 1e-3;

/// The fractional part of the golden ratio: the per-ring rotation step of the slots.
const GOLDEN_FRACTION: f64 = 0.618_033_988_749_894_9;

/// Radial positions with the default [`RadialParams`], one per post in id order.
pub fn radial(posts: &[Post], graph: &PostGraph) -> Vec<[f32; 2]> {
    radial_with(posts, graph, &RadialParams::default())
}

/// Radial positions, one per post in `posts`' order (id order), by the rule in the module doc.
pub fn radial_with(posts: &[Post], graph: &PostGraph, params: &RadialParams) -> Vec<[f32; 2]> {
    debug_assert_eq!(graph.node_count(), posts.len(), "graph of other posts");
    let n = posts.len();
    if n <= 1 {
        return vec![[0.0, 0.0]; n];
    }
    let spacing = if params.min_spacing.is_finite() && params.min_spacing > 0.0 {
        f64::from(params.min_spacing)
    } else {
        f64::from(RadialParams::default().min_spacing)
    };
    let inner = if params.inner_radius.is_finite() {
        f64::from(params.inner_radius).max(spacing)
    } else {
        spacing
    };

    let rings = rings(n, inner * SPACING_MARGIN, spacing * SPACING_MARGIN);
    // By turn, then (ring, slot): the order `slots` makes them in.
    let mut slots = slots(&rings);
    sort::by_key(&mut slots, |s| sort::f64_key(s.turn));

    let mut out = vec![[0.0f32; 2]; n];
    let mut taken = 0;
    for members in sectors(posts) {
        let wedge = &mut slots[taken..taken + members.len()];
        taken += members.len();
        let order = sort::indices_by_key(wedge.len(), |i| {
            u64::from(wedge[i].ring) << 32 | u64::from(wedge[i].slot)
        });
        let sorted: Vec<Slot> = order.iter().map(|&i| wedge[i as usize]).collect();
        wedge.copy_from_slice(&sorted);
        for (&post, slot) in members.iter().zip(wedge.iter()) {
            let radius = rings[slot.ring as usize].radius;
            let angle = core::f64::consts::TAU * slot.turn;
            out[post as usize] = [
                (radius * libm::cos(angle)) as f32,
                (radius * libm::sin(angle)) as f32,
            ];
        }
    }
    debug_assert_eq!(taken, n);
    out
}

/// One ring: its radius and how many slots it holds.
#[derive(Debug, Clone, Copy)]
struct Ring {
    radius: f64,
    slots: usize,
}

/// One slot: its angle in turns (`[0, 1)`), its ring and its number on the ring.
#[derive(Debug, Clone, Copy)]
struct Slot {
    turn: f64,
    ring: u32,
    slot: u32,
}

/// Rings from the centre out holding exactly `n >= 2` slots in all.
fn rings(n: usize, inner: f64, spacing: f64) -> Vec<Ring> {
    let mut rings = Vec::new();
    let mut left = n;
    while left > 0 {
        let radius = inner + rings.len() as f64 * spacing;
        let slots = capacity(radius, spacing).min(left);
        rings.push(Ring { radius, slots });
        left -= slots;
    }
    // A lone slot on the last ring would pull the layout off centre: give it a partner.
    let last = rings.len() - 1;
    if last > 0 && rings[last].slots == 1 {
        rings[last - 1].slots -= 1;
        rings[last].slots = 2;
    }
    rings
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

/// Every slot of every ring, ring by ring.
fn slots(rings: &[Ring]) -> Vec<Slot> {
    let mut slots = Vec::with_capacity(rings.iter().map(|r| r.slots).sum());
    for (k, ring) in rings.iter().enumerate() {
        let offset = (k as f64 * GOLDEN_FRACTION).fract();
        let m = ring.slots as f64;
        for j in 0..ring.slots {
            slots.push(Slot {
                turn: (j as f64 + offset) / m,
                ring: k as u32,
                slot: j as u32,
            });
        }
    }
    slots
}

/// Post indices by sector, in sector order, each sector in (date, id) order with undated last.
fn sectors(posts: &[Post]) -> Vec<Vec<u32>> {
    let mut by_tag: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut untagged = Vec::new();
    for (i, post) in posts.iter().enumerate() {
        match post.tags.first() {
            Some(tag) => by_tag.entry(tag.as_str()).or_default().push(i as u32),
            None => untagged.push(i as u32),
        }
    }
    // The BTreeMap yields tags by name; a stable sort by size keeps name order among equals.
    let mut sectors: Vec<Vec<u32>> = by_tag.into_values().collect();
    sort::by_key(&mut sectors, |members| u64::MAX - members.len() as u64);
    sectors.push(untagged);
    for members in &mut sectors {
        // Members are in id order already; a stable sort by date keeps it among equal dates.
        sort::by_key(members, |&i| {
            posts[i as usize].date.map_or(u64::MAX, Date::sort_key)
        });
    }
    sectors
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::posts::Date;
    use crate::rng::Rng;
    use crate::sitegen::generate;

    fn post(id: String, tags: &[&str], date: Option<Date>) -> Post {
        Post {
            id,
            title: "t".into(),
            url: None,
            date,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            links: Vec::new(),
            summary: None,
            weight: None,
        }
    }

    fn layout(posts: &[Post]) -> Vec<[f32; 2]> {
        radial(posts, &PostGraph::build(posts))
    }

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

    fn turn(p: [f32; 2]) -> f64 {
        let a = libm::atan2(f64::from(p[1]), f64::from(p[0])) / core::f64::consts::TAU;
        if a < 0.0 { a + 1.0 } else { a }
    }

    /// Primary-tag sectors in the order they appear by angle from the +x axis, checking that
    /// each appears as one contiguous run.
    fn sector_order(posts: &[Post], xy: &[[f32; 2]]) -> Vec<Option<String>> {
        let mut order: Vec<usize> = (0..posts.len()).collect();
        order.sort_by(|&a, &b| turn(xy[a]).total_cmp(&turn(xy[b])));
        let mut runs: Vec<Option<String>> = Vec::new();
        for i in order {
            let key = posts[i].tags.first().cloned();
            if runs.last() != Some(&key) {
                runs.push(key);
            }
        }
        let distinct: BTreeSet<&Option<String>> = runs.iter().collect();
        assert_eq!(distinct.len(), runs.len(), "a sector is split: {runs:?}");
        runs
    }

    fn assert_sane(posts: &[Post], xy: &[[f32; 2]]) {
        assert_eq!(xy.len(), posts.len());
        assert!(xy.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
        let d = min_distance(xy);
        assert!(d >= 1.0, "min distance {d}");
        let n = xy.len() as f64;
        let (sx, sy) = xy.iter().fold((0.0, 0.0), |(x, y), p| {
            (x + f64::from(p[0]), y + f64::from(p[1]))
        });
        let radius = xy
            .iter()
            .map(|p| f64::from(p[0]).hypot(f64::from(p[1])))
            .fold(0.0, f64::max);
        assert!(
            (sx / n).hypot(sy / n) <= 1e-3 * radius.max(1.0),
            "centroid ({}, {})",
            sx / n,
            sy / n
        );
        sector_order(posts, xy);
    }

    #[test]
    fn no_posts_and_one_post() {
        assert!(layout(&[]).is_empty());
        let one = [post("a".into(), &["x"], None)];
        assert_eq!(layout(&one), vec![[0.0, 0.0]]);
        let two = [post("a".into(), &[], None), post("b".into(), &[], None)];
        assert_sane(&two, &layout(&two));
    }

    #[test]
    fn deterministic_and_pure() {
        let posts = generate(1000, 5);
        let xy = layout(&posts);
        assert_eq!(bits(&xy), bits(&layout(&posts)));
        // The same posts read from a file in another order come back sorted by id.
        let mut shuffled = posts.clone();
        let mut rng = Rng::new(9, 0);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i as u64 + 1) as usize);
        }
        assert_ne!(shuffled, posts);
        shuffled.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        assert_eq!(bits(&xy), bits(&layout(&shuffled)));
    }

    #[test]
    fn generated_site_keeps_spacing_and_sectors() {
        for seed in [1, 2, 3] {
            let posts = generate(1000, seed);
            let xy = layout(&posts);
            assert_sane(&posts, &xy);
        }
    }

    #[test]
    fn sectors_ordered_by_size_then_name_untagged_last() {
        let mut posts = Vec::new();
        let mut add = |tag: Option<&str>, count: usize| {
            for i in 0..count {
                let tags: Vec<&str> = tag.into_iter().collect();
                let id = format!("{}-{i:03}", tag.unwrap_or("none"));
                posts.push(post(id, &tags, None));
            }
        };
        add(Some("b"), 30);
        add(None, 50);
        add(Some("a"), 30);
        add(Some("c"), 80);
        add(Some("d"), 5);
        posts.sort_by(|a, b| a.id.cmp(&b.id));
        let xy = layout(&posts);
        assert_sane(&posts, &xy);
        let order = sector_order(&posts, &xy);
        let expected: Vec<Option<String>> = [Some("c"), Some("a"), Some("b"), Some("d"), None]
            .iter()
            .map(|t| t.map(String::from))
            .collect();
        assert_eq!(order, expected);
    }

    #[test]
    fn sector_angles_are_proportional_to_size() {
        let posts = generate(3000, 4);
        let xy = layout(&posts);
        let mut sizes: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (i, p) in posts.iter().enumerate() {
            sizes
                .entry(p.tags.first().map(String::as_str))
                .or_default()
                .push(i);
        }
        for (tag, members) in sizes.iter().filter(|(_, m)| m.len() >= 100) {
            let turns: Vec<f64> = members.iter().map(|&i| turn(xy[i])).collect();
            let span = turns.iter().copied().fold(0.0, f64::max)
                - turns.iter().copied().fold(1.0, f64::min);
            let share = members.len() as f64 / posts.len() as f64;
            assert!(
                (span - share).abs() <= 0.15 * share,
                "{tag:?}: span {span}, share {share}"
            );
        }
    }

    #[test]
    fn older_posts_nearer_the_centre() {
        let posts = generate(2000, 6);
        let xy = layout(&posts);
        let mut by_tag: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (i, p) in posts.iter().enumerate() {
            by_tag
                .entry(p.tags.first().map(String::as_str))
                .or_default()
                .push(i);
        }
        for members in by_tag.values_mut() {
            members.sort_by_key(|&i| (posts[i].date.is_none(), posts[i].date, i));
            let radii: Vec<f64> = members
                .iter()
                .map(|&i| f64::from(xy[i][0]).hypot(f64::from(xy[i][1])))
                .collect();
            for w in radii.windows(2) {
                assert!(w[1] >= w[0] - 1e-3, "{} then {}", w[0], w[1]);
            }
        }
    }

    #[test]
    fn degenerate_sites() {
        let day = |k: i64| Date {
            year: 2020 + (k / 300) as u16,
            month: 1 + (k / 25 % 12) as u8,
            day: 1 + (k % 25) as u8,
        };
        let ids = |n: usize| (0..n).map(|i| format!("p{i:05}"));
        // All untagged, some undated.
        let untagged: Vec<Post> = ids(700)
            .enumerate()
            .map(|(i, id)| post(id, &[], (i % 7 != 0).then(|| day(i as i64))))
            .collect();
        assert_sane(&untagged, &layout(&untagged));
        // One giant tag.
        let giant: Vec<Post> = ids(3000)
            .enumerate()
            .map(|(i, id)| post(id, &["rust"], Some(day(i as i64 % 1000))))
            .collect();
        assert_sane(&giant, &layout(&giant));
        // Many tiny tags, and one bigger one.
        let names: Vec<String> = (0..2000).map(|i| format!("tag{i}")).collect();
        let tiny: Vec<Post> = ids(2500)
            .enumerate()
            .map(|(i, id)| {
                let tag = if i < 2000 { names[i].as_str() } else { "big" };
                post(id, &[tag], None)
            })
            .collect();
        let xy = layout(&tiny);
        assert_sane(&tiny, &xy);
        let outer = |xy: &[[f32; 2]]| {
            xy.iter()
                .map(|p| f64::from(p[0]).hypot(f64::from(p[1])))
                .fold(0.0, f64::max)
        };
        // Tiny sectors stay inside the disk the posts need.
        assert!(outer(&xy) <= 2.0 + (2500.0 / core::f64::consts::PI).sqrt() * 1.1);
    }

    #[test]
    fn params_scale_spacing() {
        let posts = generate(500, 8);
        let graph = PostGraph::build(&posts);
        let params = RadialParams {
            min_spacing: 3.0,
            inner_radius: 10.0,
        };
        let xy = radial_with(&posts, &graph, &params);
        assert!(min_distance(&xy) >= 3.0);
        assert!(
            xy.iter()
                .all(|p| f64::from(p[0]).hypot(f64::from(p[1])) >= 10.0 - 1e-3)
        );
        let bad = RadialParams {
            min_spacing: f32::NAN,
            inner_radius: f32::INFINITY,
        };
        assert_eq!(
            bits(&radial_with(&posts, &graph, &bad)),
            bits(&radial(&posts, &graph))
        );
    }
}
