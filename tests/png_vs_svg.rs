//! The GPU's PNG frame and the CPU's SVG frame of the same scene agree (docs/DESIGN.md, "Coordinates
//! and frames"): the SVG, rasterised with resvg at the PNG's device size, differs from the PNG by
//! at most 2% mean absolute difference, and in both the centre pixel of every visible post with
//! r >= 3 CSS px is its palette colour within +-8 per channel, in the built-in palette and in a
//! site's own (tests/fixtures/custom-style.toml).
//!
//! Both frames come from the same [`ScreenProjection`]. Without an adapter the test prints
//! "skipping: no GPU adapter" and passes, except when `CI` is set: then it fails. A failed case
//! leaves `<case>-png.png`, `<case>-svg.png` and `<case>-diff.png` under
//! `$CARGO_TARGET_TMPDIR/png-vs-svg/`.

mod common;

use std::path::PathBuf;

use logmesh::camera::Viewport;
use logmesh::export::svg::svg_from_projection;
use logmesh::layout::ForceParams;
use logmesh::picking::ScreenProjection;
use logmesh::render::{RgbaImage, write_png};
use logmesh::scene::{Mode, Scene};
use logmesh::site::{FirstFrame, Site};
use logmesh::style::config::parse_config;
use logmesh::style::{Style, Theme};

/// docs/DESIGN.md: mean absolute pixel difference between renderers, as a fraction of 255.
const MEAN_DIFF: f64 = 0.02;
/// docs/DESIGN.md: centre pixel vs palette colour, per channel.
const CENTRE_TOLERANCE: u8 = 8;

use common::headless;

/// A fixture laid out with the default parameters, as `prerender` lays it out.
fn site(fixture: &str) -> Site {
    Site::laid_out(common::fixture(fixture).posts, &ForceParams::default())
}

/// The tests' custom style (tests/fixtures/custom-style.toml), as `prerender --config` reads it.
fn custom_style() -> Style {
    let text = std::fs::read_to_string(common::fixture_path("custom-style.toml")).expect("fixture");
    parse_config(&text).expect("valid style")
}

/// Mean absolute difference over all pixels and channels, as a fraction of 255, and a diff
/// image (the SVG raster dimmed, differences in red).
fn compare(png: &RgbaImage, svg: &RgbaImage) -> (f64, RgbaImage) {
    assert_eq!((png.width, png.height), (svg.width, svg.height));
    let mut total = 0u64;
    let mut diff = RgbaImage {
        width: png.width,
        height: png.height,
        pixels: Vec::with_capacity(png.pixels.len()),
    };
    for (a, b) in png.pixels.chunks(4).zip(svg.pixels.chunks(4)) {
        let worst = (0..4).map(|c| a[c].abs_diff(b[c])).max().unwrap_or(0);
        total += (0..4).map(|c| u64::from(a[c].abs_diff(b[c]))).sum::<u64>();
        let grey = ((u16::from(b[0]) + u16::from(b[1]) + u16::from(b[2])) / 12) as u8;
        let red = if worst > 0 {
            (64 + u16::from(worst) * 4).min(255) as u8
        } else {
            grey
        };
        diff.pixels.extend_from_slice(&[red, grey, grey, 255]);
    }
    (total as f64 / png.pixels.len() as f64 / 255.0, diff)
}

/// Worst channel error of each image's centre pixels against the palette, over every visible
/// post with r >= 3 CSS px whose centre pixel no nearer post's anti-aliased rim reaches (as in
/// tests/gpu.rs). Returns (checked, skipped, worst png, worst svg, failures).
fn check_centres(
    scene: &Scene,
    projection: &ScreenProjection,
    png: &RgbaImage,
    svg: &RgbaImage,
) -> (usize, usize, u8, u8, Vec<String>) {
    let nodes = projection.nodes();
    let (pixels, skipped) = common::centre_pixels(projection);
    let checked = pixels.len();
    let (mut worst_png, mut worst_svg) = (0u8, 0u8);
    let mut failures = Vec::new();
    for (i, px, py) in pixels {
        let node = &nodes[i];
        let expected = scene.nodes[i].colour;
        for (name, image, worst) in [("png", png, &mut worst_png), ("svg", svg, &mut worst_svg)] {
            let pixel = image.pixel(px, py).expect("in frame");
            let error = (0..3)
                .map(|c| pixel[c].abs_diff(expected[c]))
                .max()
                .unwrap_or(0);
            *worst = (*worst).max(error);
            if error > CENTRE_TOLERANCE || pixel[3] != 255 {
                failures.push(format!(
                    "{name}: post {i} at ({:.1}, {:.1}) r {:.1}: {pixel:?}, palette {expected:?}",
                    node.x_px, node.y_px, node.r_px
                ));
            }
        }
    }
    (checked, skipped, worst_png, worst_svg, failures)
}

fn output_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("png-vs-svg")
}

#[test]
fn png_and_svg_frames_agree() {
    let Some(headless) = headless() else { return };
    let mut failures = Vec::new();
    for (fixture, name, dprs, style) in [
        ("small.json", "small", &[1.0, 2.0][..], None),
        ("site-1k.json", "site-1k", &[1.0][..], None),
        // A site's own colours: every renderer draws the posts in them, on its backgrounds.
        (
            "small.json",
            "small-custom",
            &[1.0][..],
            Some(custom_style()),
        ),
    ] {
        let mut site = site(fixture);
        if let Some(style) = style {
            assert_ne!(style, Style::default());
            site.style = style;
        }
        // Both views: the 2D one draws the same shaded discs.
        for (mode, &dpr) in [Mode::ThreeD, Mode::TwoD]
            .into_iter()
            .flat_map(|mode| dprs.iter().map(move |dpr| (mode, dpr)))
        {
            let viewport = Viewport::new(1200.0, 675.0, dpr);
            let FirstFrame {
                scene,
                camera,
                projection,
            } = site.first_frame(mode, viewport);
            // The colours the centres are held to are the site's.
            for (node, post) in scene.nodes.iter().zip(&site.posts) {
                assert_eq!(node.colour, site.style.node_colour(post), "{}", post.id);
            }
            for theme in Theme::ALL {
                assert_eq!(scene.colours(theme), site.style.colours(theme));
                let case = format!("{name}-{mode}-{theme}-dpr{dpr}");
                let png = headless
                    .render_rgba(&scene, &camera, viewport, theme)
                    .expect("renders");
                let svg = logmesh::export::svg::rasterise(
                    &svg_from_projection(&scene, &projection, theme),
                    viewport,
                )
                .expect("the SVG frame rasterises");
                let (mean, diff) = compare(&png, &svg);
                let (checked, skipped, worst_png, worst_svg, centre_failures) =
                    check_centres(&scene, &projection, &png, &svg);
                eprintln!(
                    "{case}: mean abs diff {:.3}%; {checked} centres checked ({skipped} skipped), \
                     worst centre error png {worst_png}, svg {worst_svg}",
                    mean * 100.0
                );
                let mut case_failures = centre_failures;
                if mean > MEAN_DIFF {
                    case_failures.push(format!(
                        "mean abs diff {:.3}% > {}%",
                        mean * 100.0,
                        MEAN_DIFF * 100.0
                    ));
                }
                if checked == 0 {
                    case_failures.push("no centres checked".to_owned());
                }
                if !case_failures.is_empty() {
                    let dir = output_dir();
                    std::fs::create_dir_all(&dir).expect("output dir");
                    write_png(dir.join(format!("{case}-png.png")), &png).expect("written");
                    write_png(dir.join(format!("{case}-svg.png")), &svg).expect("written");
                    write_png(dir.join(format!("{case}-diff.png")), &diff).expect("written");
                    failures.push(format!(
                        "{case} (images in {}):\n{}",
                        dir.display(),
                        case_failures.join("\n")
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
