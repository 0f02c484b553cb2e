//! The 2D view is the 3D first frame drawn flat (docs/DESIGN.md, "The 2D view: the same graph,
//! drawn flat"). On sites from `logmesh gen` of 300, 1,000 and 10,000 posts, laid out as
//! `logmesh bake` does, the hits files of the two first frames, made as `logmesh prerender`
//! makes them (`Site::first_frame` then `FirstFrame::hits`), give every post about the same
//! direction round the centroid of the centres (median difference at most 15 degrees); no two
//! 2D discs overlap; and the 2D frame labels the 3D first frame's labelled posts, in the same
//! priority order, as many as fit (at least 5 where 3D has 5 or more), at a phone's size and at
//! the desktop size. Run with `--nocapture` to see the figures.

use std::sync::OnceLock;

use logmesh::camera::Viewport;
use logmesh::layout::ForceParams;
use logmesh::picking::Hits;
use logmesh::scene::Mode;
use logmesh::site::{DEFAULT_FRAME, Site};

/// The bound on the median direction difference.
const MAX_MEDIAN_DEGREES: f64 = 15.0;

/// A phone-sized 2D frame (CSS px).
const PHONE: Viewport = Viewport {
    width_css: 390.0,
    height_css: 390.0,
    dpr: 3.0,
};

const SIZES: [usize; 3] = [300, 1_000, 10_000];

/// The generated sites, laid out with bake's defaults (once per run: the 10k layout is the slow
/// part).
fn sites() -> &'static [Site] {
    static SITES: OnceLock<Vec<Site>> = OnceLock::new();
    SITES.get_or_init(|| {
        SIZES
            .iter()
            .map(|&n| Site::laid_out(logmesh::sitegen::generate(n, 1), &ForceParams::default()))
            .collect()
    })
}

/// The hits file of `site`'s first frame of `mode` in `viewport`, as prerender writes it.
fn hits(site: &Site, mode: Mode, viewport: Viewport) -> Hits {
    site.first_frame(mode, viewport)
        .hits(&site.posts, site.layout.positions_hash)
}

/// Each post's direction (radians) round the centroid of all posts' centres.
fn directions(hits: &Hits) -> Vec<f64> {
    let n = hits.posts.len() as f64;
    let (cx, cy) = hits.posts.iter().fold((0.0, 0.0), |(x, y), p| {
        (x + f64::from(p.x) / n, y + f64::from(p.y) / n)
    });
    hits.posts
        .iter()
        .map(|p| (f64::from(p.y) - cy).atan2(f64::from(p.x) - cx))
        .collect()
}

/// The absolute difference of two angles, in degrees (0..=180).
fn difference_degrees(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(std::f64::consts::TAU);
    d.min(std::f64::consts::TAU - d).to_degrees()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
fn the_2d_frame_keeps_every_post_in_its_3d_direction() {
    for site in sites() {
        let n = site.posts.len();
        let (three, two) = (
            hits(site, Mode::ThreeD, DEFAULT_FRAME),
            hits(site, Mode::TwoD, DEFAULT_FRAME),
        );
        let mut differences: Vec<f64> = directions(&three)
            .iter()
            .zip(directions(&two))
            .map(|(&a, b)| difference_degrees(a, b))
            .collect();
        differences.sort_by(f64::total_cmp);
        let median = percentile(&differences, 0.5);
        println!(
            "{n} posts: direction difference median {median:.2} deg, p90 {:.2}, max {:.2}",
            percentile(&differences, 0.9),
            percentile(&differences, 1.0)
        );
        assert!(
            median <= MAX_MEDIAN_DEGREES,
            "{n} posts: median {median:.2} deg"
        );
    }
}

#[test]
fn no_two_2d_discs_overlap() {
    for site in sites() {
        for viewport in [DEFAULT_FRAME, PHONE] {
            let two = hits(site, Mode::TwoD, viewport);
            let mut discs: Vec<[f64; 3]> = two
                .posts
                .iter()
                .map(|p| [f64::from(p.x), f64::from(p.y), f64::from(p.r)])
                .collect();
            assert!(discs.iter().all(|d| d[2] > 0.0));
            discs.sort_by(|a, b| a[0].total_cmp(&b[0]));
            let largest = discs.iter().map(|d| d[2]).fold(0.0, f64::max);
            let mut closest = f64::INFINITY;
            for (i, a) in discs.iter().enumerate() {
                for b in &discs[i + 1..] {
                    if b[0] - a[0] > 2.0 * largest {
                        break;
                    }
                    let gap = (b[0] - a[0]).hypot(b[1] - a[1]) - a[2] - b[2];
                    closest = closest.min(gap);
                }
            }
            println!(
                "{} posts at {}x{}: largest 2D disc {largest:.2} px, smallest gap {closest:.3} px",
                site.posts.len(),
                viewport.width_css,
                viewport.height_css
            );
            assert!(closest > 0.0, "{} posts: discs overlap", site.posts.len());
        }
    }
}

#[test]
fn the_2d_frame_labels_the_3d_frames_labelled_posts_as_many_as_fit() {
    for site in sites() {
        let n = site.posts.len();
        let frame_3d = site.first_frame(Mode::ThreeD, DEFAULT_FRAME);
        let labelled_3d = frame_3d.labelled();
        let count_3d = labelled_3d.iter().filter(|&&l| l).count();
        // The 2D scene's labels are exactly those, with their 3D priorities.
        let scene_2d = site.scene(Mode::TwoD);
        for ((node_2d, node_3d), &labelled) in scene_2d
            .nodes
            .iter()
            .zip(&frame_3d.scene.nodes)
            .zip(&labelled_3d)
        {
            if labelled {
                assert_eq!(
                    node_2d.label, node_3d.label,
                    "{n} posts: post {}",
                    node_2d.index
                );
            } else {
                assert_eq!(node_2d.label, None, "{n} posts: post {}", node_2d.index);
            }
        }
        for viewport in [PHONE, DEFAULT_FRAME] {
            let frame_2d = site.first_frame(Mode::TwoD, viewport);
            let placed = logmesh::export::labels::place_labels(
                &frame_2d.scene,
                &frame_2d.projection,
                logmesh::export::labels::LABEL_FONT_PX,
            );
            let count_2d = placed.len();
            println!(
                "{n} posts at {}x{}: 3D frame labels {count_3d}, 2D frame {count_2d}",
                viewport.width_css, viewport.height_css
            );
            assert!(placed.iter().all(|l| labelled_3d[l.index as usize]));
            assert!(placed.windows(2).all(|w| w[0].priority < w[1].priority));
            assert!(
                count_2d >= count_3d.min(5),
                "{n} posts at {viewport:?}: {count_2d} labels, 3D has {count_3d}"
            );
            // The hits file says the same.
            let two = frame_2d.hits(&site.posts, site.layout.positions_hash);
            let flagged: Vec<u32> = (0..n as u32)
                .filter(|&i| two.posts[i as usize].labelled)
                .collect();
            let mut kept: Vec<u32> = placed.iter().map(|l| l.index).collect();
            kept.sort_unstable();
            assert_eq!(flagged, kept);
        }
        // The 10k site's best-connected posts are all covered by nearer ones in the 3D frame, so
        // it labels none; the smaller sites keep the test from being vacuous.
        if n <= 1_000 {
            assert!(count_3d >= 5, "{n} posts: the 3D frame labels {count_3d}");
        }
    }
}

/// Posts of `hits` with no other post centre within `px` CSS px.
fn apart(hits: &Hits, px: f64) -> usize {
    let centres: Vec<[f64; 2]> = hits
        .posts
        .iter()
        .map(|p| [f64::from(p.x), f64::from(p.y)])
        .collect();
    centres
        .iter()
        .enumerate()
        .filter(|&(i, a)| {
            centres
                .iter()
                .enumerate()
                .all(|(j, b)| i == j || (a[0] - b[0]).hypot(a[1] - b[1]) >= px)
        })
        .count()
}

#[test]
fn a_thumb_can_tell_thirty_posts_apart_on_a_phone_at_the_first_zoom() {
    for site in sites() {
        let n = site.posts.len();
        let two = hits(site, Mode::TwoD, PHONE);
        let count = apart(&two, 10.0);
        println!("{n} posts at 390x390: {count} posts with no other centre within 10 px");
        if n == 1_000 {
            assert!(count >= 30, "{n} posts: only {count} posts stand apart");
        }
    }
}
