//! Tries WebP settings on a site's first frames (both modes and themes, dpr 1 and 2) and prints,
//! per setting, each frame's size and how far the decoded frame is from the PNG: the evidence
//! behind [`logmesh::render::WebpSettings::default`].
//!
//! ```text
//! cargo run --release --example webp_tune -- [POSTS.json]   # default tests/fixtures/site-1k.json
//! ```
//! "r>=3" is the largest channel error at the centre pixel of a visible post with r >= 3 CSS
//! px (docs/DESIGN.md allows 8), over posts no nearer post's rim reaches; "r>=5" and "r>=8"
//! the same over larger posts; ">8" counts the centres over 8.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use logmesh::camera::Viewport;
use logmesh::layout::ForceParams;
use logmesh::render::{Headless, RgbaImage, WebpSettings};
use logmesh::scene::Mode;
use logmesh::site::{FirstFrame, Site};
use logmesh::style::Theme;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/site-1k.json".to_owned());
    let bytes = std::fs::read(&path).expect("posts file readable");
    let posts = logmesh::posts::parse(&bytes).expect("posts valid").posts;
    let site = Site::laid_out(posts, &ForceParams::default());
    let gpu = Headless::new().expect("a GPU adapter");
    let base = WebpSettings::default();
    let candidates = [
        ("default", base),
        (
            "quality 90, no target",
            WebpSettings {
                quality: 90.0,
                target_bytes: None,
                ..base
            },
        ),
        (
            "sns 0",
            WebpSettings {
                sns_strength: 0,
                ..base
            },
        ),
        (
            "sns 100",
            WebpSettings {
                sns_strength: 100,
                ..base
            },
        ),
        (
            "segments 1",
            WebpSettings {
                segments: 1,
                ..base
            },
        ),
        (
            "no sharp yuv",
            WebpSettings {
                sharp_yuv: false,
                ..base
            },
        ),
        (
            "filter 60",
            WebpSettings {
                filter_strength: 60,
                ..base
            },
        ),
    ];
    let mut frames = Vec::new();
    for dpr in [1.0, 2.0] {
        let viewport = Viewport::new(1200.0, 675.0, dpr);
        for mode in [Mode::ThreeD, Mode::TwoD] {
            let frame = site.first_frame(mode, viewport);
            for theme in Theme::ALL {
                let image = gpu
                    .render_rgba(&frame.scene, &frame.camera, viewport, theme)
                    .expect("renders");
                let png = image.encode_png().expect("PNG").len();
                println!("{mode} {theme} dpr {dpr}: png {:.1} kB", png as f64 / 1e3);
                frames.push((format!("{mode}-{theme}-{dpr}"), image, frame.clone()));
            }
        }
    }
    for (name, settings) in candidates {
        println!("{name}: {settings:?}");
        for (case, image, frame) in &frames {
            report(case, image, frame, &settings);
        }
    }
}

fn report(case: &str, image: &RgbaImage, frame: &FirstFrame, settings: &WebpSettings) {
    let start = Instant::now();
    let webp = image.encode_webp(settings).expect("encodes");
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let decoded = RgbaImage::decode_webp(&webp).expect("decodes");
    let total: u64 = image
        .pixels
        .chunks(4)
        .zip(decoded.pixels.chunks(4))
        .map(|(p, q)| (0..3).map(|c| u64::from(p[c].abs_diff(q[c]))).sum::<u64>())
        .sum();
    let mean = total as f64 / (image.pixels.len() / 4 * 3) as f64 / 255.0;
    let errors: Vec<(f32, u8)> = common::centre_pixels(&frame.projection)
        .0
        .iter()
        .map(|&(i, x, y)| {
            let pixel = decoded.pixel(x, y).expect("in frame");
            let palette = frame.scene.nodes[i].colour;
            let error = (0..3)
                .map(|c| pixel[c].abs_diff(palette[c]))
                .max()
                .unwrap_or(0);
            (frame.projection.nodes()[i].r_px, error)
        })
        .collect();
    let worst = |min_r: f32| {
        errors
            .iter()
            .filter(|e| e.0 >= min_r)
            .map(|e| e.1)
            .max()
            .unwrap_or(0)
    };
    let over = errors.iter().filter(|e| e.1 > 8).count();
    println!(
        "  {case:12} {:6.1} kB  mean {:.3}%  worst r>=3 {:3} r>=5 {:3} r>=8 {:3}  >8: {over}/{}  {ms:5.0} ms",
        webp.len() as f64 / 1e3,
        mean * 100.0,
        worst(3.0),
        worst(5.0),
        worst(8.0),
        errors.len(),
    );
}
