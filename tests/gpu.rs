//! The wgpu renderer on a real adapter (Mesa's lavapipe on build machines): image snapshots,
//! palette colours at post centres, and GPU picks against the CPU picker (docs/DESIGN.md).
//!
//! Without an adapter every test prints "skipping: no GPU adapter" and passes, except when `CI`
//! is set: then it fails. `UPDATE_SNAPSHOTS=1 cargo test --test gpu` rewrites the snapshots in
//! `tests/snapshots/`; a failed comparison leaves `<name>-actual.png` and `<name>-diff.png`
//! beside the snapshot.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use logmesh::camera::Viewport;
use logmesh::layout::ForceParams;
use logmesh::picking::ScreenProjection;
use logmesh::render::{Headless, Highlight, RgbaImage, write_png};
use logmesh::rng::Rng;
use logmesh::scene::{Mode, Scene};
use logmesh::site::{Site, first_camera};
use logmesh::style::Theme;

/// The default frame: 1200 x 675 CSS px.
fn frame(dpr: f32) -> Viewport {
    Viewport::new(1200.0, 675.0, dpr)
}

use common::headless;

/// A fixture's 3D scene, laid out with the default parameters (once per fixture and run).
fn scene(fixture: &str) -> &'static Scene {
    static SMALL: OnceLock<Scene> = OnceLock::new();
    static SITE_1K: OnceLock<Scene> = OnceLock::new();
    static SITE_10K: OnceLock<Scene> = OnceLock::new();
    let cell = match fixture {
        "small.json" => &SMALL,
        "site-1k.json" => &SITE_1K,
        "site-10k.json" => &SITE_10K,
        _ => panic!("no such fixture: {fixture}"),
    };
    cell.get_or_init(|| {
        let site = Site::laid_out(common::fixture(fixture).posts, &ForceParams::default());
        site.scene(Mode::ThreeD)
    })
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/// Mean absolute difference per channel, as a fraction of 255, at most this.
const SNAPSHOT_MEAN_DIFF: f64 = 0.01;
/// Share of pixels with some channel off by more than [`SNAPSHOT_PIXEL_DIFF`], at most this.
const SNAPSHOT_BAD_PIXEL_SHARE: f64 = 0.005;
/// A pixel is off when a channel differs by more than this.
const SNAPSHOT_PIXEL_DIFF: u8 = 16;

fn snapshot_path(name: &str, suffix: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}{suffix}.png"))
}

fn read_png(path: &PathBuf) -> Option<RgbaImage> {
    let file = std::fs::File::open(path).ok()?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().ok()?;
    let mut pixels = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut pixels).ok()?;
    pixels.truncate(info.buffer_size());
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return None;
    }
    Some(RgbaImage {
        width: info.width,
        height: info.height,
        pixels,
    })
}

/// Compares `actual` with the stored snapshot `name`; see the module doc for the switches.
fn check_snapshot(name: &str, actual: &RgbaImage) {
    let path = snapshot_path(name, "");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v != "0") {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("snapshot dir");
        write_png(&path, actual).expect("snapshot written");
        eprintln!("updated {}", path.display());
        return;
    }
    let write_actual = || {
        let actual_path = snapshot_path(name, "-actual");
        write_png(&actual_path, actual).expect("actual written");
        actual_path
    };
    let Some(expected) = read_png(&path) else {
        let actual_path = write_actual();
        panic!(
            "{}: missing or unreadable; run with UPDATE_SNAPSHOTS=1 to create it (this run's \
             frame: {})",
            path.display(),
            actual_path.display()
        );
    };
    if (expected.width, expected.height) != (actual.width, actual.height) {
        let actual_path = write_actual();
        panic!(
            "{}: {} x {} px, this run {} x {} px ({})",
            path.display(),
            expected.width,
            expected.height,
            actual.width,
            actual.height,
            actual_path.display()
        );
    }
    let mut total_diff = 0u64;
    let mut bad_pixels = 0usize;
    let mut diff = RgbaImage {
        width: actual.width,
        height: actual.height,
        pixels: Vec::with_capacity(actual.pixels.len()),
    };
    for (a, e) in actual.pixels.chunks(4).zip(expected.pixels.chunks(4)) {
        let channel_diff: Vec<u8> = a.iter().zip(e).map(|(a, e)| a.abs_diff(*e)).collect();
        total_diff += channel_diff.iter().map(|&d| u64::from(d)).sum::<u64>();
        let worst = channel_diff.iter().copied().max().unwrap_or(0);
        if worst > SNAPSHOT_PIXEL_DIFF {
            bad_pixels += 1;
        }
        // The diff image: the expected frame dimmed, differences in red.
        let grey = (u16::from(e[0]) + u16::from(e[1]) + u16::from(e[2])) / 12;
        let red = if worst > 0 {
            (64 + u16::from(worst) * 4).min(255) as u8
        } else {
            grey as u8
        };
        diff.pixels
            .extend_from_slice(&[red, grey as u8, grey as u8, 255]);
    }
    let mean = total_diff as f64 / actual.pixels.len() as f64 / 255.0;
    let bad_share = bad_pixels as f64 / (actual.width as f64 * actual.height as f64);
    eprintln!(
        "{name}: mean abs diff {:.4}%, {:.4}% of pixels off by > {SNAPSHOT_PIXEL_DIFF}",
        mean * 100.0,
        bad_share * 100.0
    );
    if mean > SNAPSHOT_MEAN_DIFF || bad_share > SNAPSHOT_BAD_PIXEL_SHARE {
        let actual_path = write_actual();
        let diff_path = snapshot_path(name, "-diff");
        write_png(&diff_path, &diff).expect("diff written");
        panic!(
            "{name}: differs from its snapshot (mean abs diff {:.3}% > {}%, or {:.3}% of \
             pixels off > {}%); see {} and {}; UPDATE_SNAPSHOTS=1 accepts the new frame",
            mean * 100.0,
            SNAPSHOT_MEAN_DIFF * 100.0,
            bad_share * 100.0,
            SNAPSHOT_BAD_PIXEL_SHARE * 100.0,
            actual_path.display(),
            diff_path.display()
        );
    }
}

#[test]
fn snapshots_of_the_small_and_1k_sites() {
    let Some(headless) = headless() else { return };
    let viewport = frame(1.0);
    for (fixture, name) in [("small.json", "small"), ("site-1k.json", "site-1k")] {
        let scene = scene(fixture);
        let camera = first_camera(scene, viewport);
        for theme in Theme::ALL {
            let image = headless
                .render_rgba(scene, &camera, viewport, theme)
                .expect("renders");
            assert_eq!((image.width, image.height), (1200, 675));
            check_snapshot(&format!("{name}-{theme}"), &image);
        }
    }
}

#[test]
fn frame_size_is_rounded_device_pixels() {
    let Some(headless) = headless() else { return };
    let scene = scene("small.json");
    let viewport = Viewport::new(1200.0, 675.0, 1.5);
    let image = headless
        .render_rgba(scene, &first_camera(scene, viewport), viewport, Theme::Dark)
        .expect("renders");
    assert_eq!((image.width, image.height), (1800, 1013));
    assert_eq!(image.pixels.len(), 1800 * 1013 * 4);
    // The corners are the background, opaque.
    let background = Theme::Dark.colours().background;
    assert_eq!(image.pixel(0, 0), Some(background));
    assert_eq!(image.pixel(1799, 1012), Some(background));
    let bad = Viewport::new(0.0, 675.0, 1.0);
    assert!(
        headless
            .render_rgba(scene, &first_camera(scene, bad), bad, Theme::Dark)
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// Colours at post centres

/// docs/DESIGN.md's colour tolerance, per channel.
const CENTRE_TOLERANCE: u8 = 8;

/// Checks every visible post with r >= 3 CSS px: its centre pixel is its palette colour within
/// the tolerance. Posts whose centre pixel gets a nearer post's anti-aliased rim (drawn radius
/// plus half a device pixel; the CPU's `visible` only knows hit discs) are counted and skipped.
/// Returns (checked, skipped).
fn check_centres(
    headless: &Headless,
    scene: &Scene,
    viewport: Viewport,
    theme: Theme,
) -> (usize, usize) {
    let camera = first_camera(scene, viewport);
    let image = headless
        .render_rgba(scene, &camera, viewport, theme)
        .expect("renders");
    let projection = ScreenProjection::new(scene, &camera, viewport);
    let nodes = projection.nodes();
    let dpr = viewport.dpr;
    let (pixels, skipped) = common::centre_pixels(&projection);
    let checked = pixels.len();
    let mut failures = Vec::new();
    for (i, px, py) in pixels {
        let node = &nodes[i];
        let pixel = image.pixel(px, py).expect("in frame");
        let expected = scene.nodes[i].colour;
        let within = (0..3).all(|c| pixel[c].abs_diff(expected[c]) <= CENTRE_TOLERANCE);
        if !within || pixel[3] != 255 {
            failures.push(format!(
                "post {i} at ({:.1}, {:.1}) r {:.1}: {pixel:?}, palette {expected:?}",
                node.x_px, node.y_px, node.r_px
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{theme} dpr {dpr}: {} of {checked} centres off:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (checked, skipped)
}

#[test]
fn centre_pixels_are_palette_colours() {
    let Some(headless) = headless() else { return };
    for (fixture, dpr) in [
        ("small.json", 1.0),
        ("small.json", 2.0),
        ("site-1k.json", 1.0),
        ("site-1k.json", 2.0),
    ] {
        let scene = scene(fixture);
        for theme in Theme::ALL {
            let (checked, skipped) = check_centres(headless, scene, frame(dpr), theme);
            eprintln!(
                "{fixture} {theme} dpr {dpr}: {checked} centres checked, {skipped} skipped \
                 (a nearer post's rim)"
            );
            assert!(checked > 0);
            assert!(skipped * 20 <= checked, "too many skipped: {skipped}");
        }
    }
    // The small site's posts are all large: every one whose centre is visible gets checked, and
    // that is most of them.
    let scene = scene("small.json");
    let viewport = frame(1.0);
    let projection = ScreenProjection::new(scene, &first_camera(scene, viewport), viewport);
    let visible = projection.nodes().iter().filter(|n| n.visible).count();
    let (checked, skipped) = check_centres(headless, scene, viewport, Theme::Dark);
    assert_eq!(checked + skipped, visible);
    assert!(
        checked * 4 >= scene.nodes.len() * 3,
        "{checked} of {}",
        scene.nodes.len()
    );
}

#[test]
fn highlight_rings_sit_outside_the_disc() {
    let Some(headless) = headless() else { return };
    let scene = scene("small.json");
    let viewport = frame(1.0);
    let camera = first_camera(scene, viewport);
    let projection = ScreenProjection::new(scene, &camera, viewport);
    // The largest visible post.
    let (index, node) = projection
        .nodes()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.visible)
        .max_by(|a, b| a.1.r_px.total_cmp(&b.1.r_px))
        .expect("a visible post");
    let highlight = Highlight {
        selected: Some(index as u32),
        ..Highlight::default()
    };
    let theme = Theme::Dark;
    let image = headless
        .render_rgba_highlighted(scene, &camera, viewport, theme, &highlight)
        .expect("renders");
    let at = |dx: f32| {
        image
            .pixel((node.x_px + dx) as u32, node.y_px as u32)
            .expect("in frame")
    };
    let close = |a: [u8; 4], b: [u8; 4]| (0..3).all(|c| a[c].abs_diff(b[c]) <= CENTRE_TOLERANCE);
    assert!(close(at(0.0), scene.nodes[index].colour), "{:?}", at(0.0));
    // The selection ring: 1.5 to 3.5 CSS px outside the rim; check its middle, to the left
    // (away from neighbours is not guaranteed either side, so accept either).
    let ring = theme.colours().selection_outline;
    let middle = node.r_px + 2.5;
    assert!(
        close(at(-middle), ring) || close(at(middle), ring),
        "{:?} {:?} vs {ring:?}",
        at(-middle),
        at(middle)
    );
    let plain = headless
        .render_rgba(scene, &camera, viewport, theme)
        .expect("renders");
    assert_ne!(plain, image);
}

// ---------------------------------------------------------------------------------------------
// Picking

/// Every post centre plus `random` seeded-random points of the frame: GPU and CPU agree outside
/// the ambiguous band. Returns (points, in the band, in the band but agreeing anyway).
fn check_picks(
    headless: &Headless,
    scene: &Scene,
    viewport: Viewport,
    random: usize,
) -> (usize, usize, usize) {
    let camera = first_camera(scene, viewport);
    let projection = ScreenProjection::new(scene, &camera, viewport);
    let mut points: Vec<(f32, f32)> = projection
        .nodes()
        .iter()
        .filter(|n| n.drawn)
        .map(|n| (n.x_px, n.y_px))
        .collect();
    let mut rng = Rng::new(7, 11);
    points.extend((0..random).map(|_| {
        (
            rng.range_f64(0.0, f64::from(viewport.width_css)) as f32,
            rng.range_f64(0.0, f64::from(viewport.height_css)) as f32,
        )
    }));
    let gpu = headless
        .pick_ids(scene, &camera, viewport, &points)
        .expect("picks");
    assert_eq!(gpu.len(), points.len());
    let (mut ambiguous, mut band_agreed, mut hits) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for (&(x, y), &gpu) in points.iter().zip(&gpu) {
        let cpu = projection.pick(x, y);
        if projection.is_ambiguous(x, y) {
            ambiguous += 1;
            band_agreed += usize::from(cpu == gpu);
            continue;
        }
        hits += usize::from(cpu.is_some());
        if cpu != gpu {
            disagreements.push(format!("({x}, {y}): cpu {cpu:?}, gpu {gpu:?}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "dpr {}: {} of {} points disagree:\n{}",
        viewport.dpr,
        disagreements.len(),
        points.len() - ambiguous,
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(hits > points.len() / 20, "few hits: {hits}");
    (points.len(), ambiguous, band_agreed)
}

#[test]
fn gpu_picks_agree_with_the_cpu_picker() {
    let Some(headless) = headless() else { return };
    for (fixture, dprs) in [
        ("site-1k.json", &[1.0, 1.5, 2.0][..]),
        ("site-10k.json", &[1.0, 2.0][..]),
    ] {
        let scene = scene(fixture);
        for &dpr in dprs {
            let (points, ambiguous, band_agreed) = check_picks(headless, scene, frame(dpr), 10_000);
            let agreed = points - ambiguous;
            eprintln!(
                "{fixture} dpr {dpr}: agree {agreed}/{agreed} outside the band; ambiguous band \
                 {ambiguous} of {points} ({:.2}%, {band_agreed} of them agree anyway)",
                100.0 * ambiguous as f64 / points as f64
            );
            // At 10k posts the 6 px minimum hit discs overlap so much that about half the
            // points lie within half a device pixel of some disc's edge; thousands remain.
            assert!(agreed >= 5_000, "too few points outside the band: {agreed}");
        }
    }
}

#[test]
fn single_pixel_picks_match_the_batch() {
    let Some(headless) = headless() else { return };
    let scene = scene("site-1k.json");
    let viewport = Viewport::new(1200.0, 675.0, 1.5);
    let camera = first_camera(scene, viewport);
    let projection = ScreenProjection::new(scene, &camera, viewport);
    let visible: Vec<(usize, (f32, f32))> = projection
        .nodes()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.visible)
        .map(|(i, n)| (i, (n.x_px, n.y_px)))
        .take(5)
        .collect();
    for &(index, point) in &visible {
        let one = headless
            .pick_ids(scene, &camera, viewport, &[point])
            .expect("picks");
        assert_eq!(one, [Some(index as u32)]);
    }
    // Outside the frame and on the background: nothing.
    let outside = [(-1.0, 10.0), (1200.0, 10.0), (5.0, 5.0)];
    let picked = headless
        .pick_ids(scene, &camera, viewport, &outside)
        .expect("picks");
    assert_eq!(picked, [None, None, projection.pick(5.0, 5.0)]);
    assert_eq!(
        headless
            .pick_ids(scene, &camera, viewport, &[])
            .expect("picks"),
        []
    );
}

/// The view's filter (docs/DESIGN.md, "Search and filter"): the posts kept keep their palette
/// colour; with every post dimmed (and so every edge faded), a post's centre pixel is well short
/// of its colour, yet not the background; picks do not change, so
/// hover and click still name the post under the pointer, GPU = CPU.
#[test]
fn dimmed_posts_are_faint_and_still_picked() {
    let Some(headless) = headless() else { return };
    let viewport = frame(1.0);
    let theme = Theme::Dark;
    for every_third in [true, false] {
        let mut scene = scene("small.json").clone();
        let keep: Vec<bool> = (0..scene.nodes.len())
            .map(|i| every_third && i % 3 == 0)
            .collect();
        let kept = scene.dim_except(&keep);
        assert_eq!(kept, keep.iter().filter(|&&k| k).count());
        let camera = first_camera(&scene, viewport);
        let image = headless
            .render_rgba(&scene, &camera, viewport, theme)
            .expect("renders");
        let projection = ScreenProjection::new(&scene, &camera, viewport);
        let nodes = projection.nodes();
        let background = theme.colours().background;
        let (pixels, _) = common::centre_pixels(&projection);
        let mut checked = 0;
        for (i, px, py) in pixels {
            // A dimmed disc is see-through: check it only where no other disc lies behind it.
            let (x, y) = (nodes[i].x_px, nodes[i].y_px);
            let alone = nodes
                .iter()
                .enumerate()
                .all(|(j, n)| j == i || !n.drawn || (n.x_px - x).hypot(n.y_px - y) > n.r_px + 1.0);
            if !keep[i] && (every_third || !alone) {
                continue;
            }
            let pixel = image.pixel(px, py).expect("in frame");
            let colour = scene.nodes[i].colour;
            if keep[i] {
                let off = (0..3)
                    .map(|c| pixel[c].abs_diff(colour[c]))
                    .max()
                    .unwrap_or(0);
                assert!(
                    off <= CENTRE_TOLERANCE,
                    "post {i}: {pixel:?}, palette {colour:?}"
                );
            } else {
                // DIMMED_ALPHA of the way from the background to the colour in linear light,
                // which is nearer half of it in sRGB, over the faded edges that end at the
                // centre: clearly short of the colour (a post not dimmed is all of the way), and
                // not the background.
                let away = |p: [u8; 4]| {
                    (0..3)
                        .map(|c| u32::from(p[c].abs_diff(background[c])))
                        .sum::<u32>()
                };
                let (dimmed, full) = (away(pixel), away(colour));
                assert!(
                    dimmed * 4 < full * 3 && dimmed >= 8,
                    "post {i}: {pixel:?} is {dimmed} from the background, its colour {colour:?} {full}"
                );
            }
            checked += 1;
        }
        assert!(checked > 0);
        check_picks(headless, &scene, viewport, 2_000);
    }
}
