//! Renders a posts file's first frame to a PNG with the headless GPU renderer, to look at.
//!
//! ```text
//! cargo run --release --example render_png -- POSTS.json OUT.png [light] [--dpr D] [--size WxH]
//! ```
//! The layout is computed afresh (default parameters) and the frame made by the recipe
//! `prerender` uses ([`logmesh::site::Site::first_frame`]);
//! the frame is 1200 x 675 CSS px at dpr 1 unless told otherwise.

use std::process::ExitCode;
use std::time::Instant;

use logmesh::camera::Viewport;
use logmesh::layout::ForceParams;
use logmesh::render::{Headless, write_png};
use logmesh::scene::Mode;
use logmesh::site::{FirstFrame, Site};
use logmesh::style::Theme;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("render_png: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let usage = "usage: render_png POSTS.json OUT.png [light|dark] [--dpr D] [--size WxH]";
    let mut args = std::env::args().skip(1);
    let (mut positional, mut dpr, mut size) = (Vec::new(), 1.0f32, (1200.0f32, 675.0f32));
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dpr" => {
                let value = args.next().ok_or(usage)?;
                dpr = value.parse().map_err(|_| format!("--dpr: {value}"))?;
            }
            "--size" => {
                let value = args.next().ok_or(usage)?;
                let (w, h) = value.split_once('x').ok_or(format!("--size: {value}"))?;
                size = (
                    w.parse().map_err(|_| format!("--size: {value}"))?,
                    h.parse().map_err(|_| format!("--size: {value}"))?,
                );
            }
            _ => positional.push(arg),
        }
    }
    let [posts_path, out_path, rest @ ..] = positional.as_slice() else {
        return Err(usage.into());
    };
    let theme: Theme = match rest {
        [] => Theme::Dark,
        [theme] => theme.parse()?,
        _ => return Err(usage.into()),
    };

    let bytes = std::fs::read(posts_path).map_err(|e| format!("{posts_path}: {e}"))?;
    let posts = logmesh::posts::parse(&bytes)
        .map_err(|e| format!("{posts_path}: {e}"))?
        .posts;
    let started = Instant::now();
    let site = Site::laid_out(posts, &ForceParams::default());
    let viewport = Viewport::new(size.0, size.1, dpr);
    let FirstFrame { scene, camera, .. } = site.first_frame(Mode::ThreeD, viewport);
    eprintln!(
        "{} posts, {} edges laid out in {:.2} s",
        scene.nodes.len(),
        scene.edges.len(),
        started.elapsed().as_secs_f64()
    );

    let headless = Headless::new().map_err(|e| e.to_string())?;
    eprintln!("adapter: {}", headless.context().adapter_summary());
    let started = Instant::now();
    let image = headless
        .render_rgba(&scene, &camera, viewport, theme)
        .map_err(|e| e.to_string())?;
    eprintln!(
        "{} x {} px rendered in {:.1} ms",
        image.width,
        image.height,
        started.elapsed().as_secs_f64() * 1e3
    );
    write_png(out_path, &image).map_err(|e| e.to_string())?;
    Ok(())
}
