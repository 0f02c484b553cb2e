//! `logmesh pick POSTS --at X,Y | --verify N [--layout L] [--width W] [--height H] [--dpr D]
//! [--backend gpu|cpu] [--mode 3d|2d]`: which post is under a CSS pixel of the first frame, by
//! the GPU id buffer or the CPU picker, and a check that the two agree.

use std::fmt::Write as _;
use std::path::PathBuf;

use logmesh::rng::Rng;
use logmesh::scene::Mode;
use logmesh::site::FirstFrame;

use super::site::{self, FrameArgs};
use super::{Failure, INVALID, NO_ADAPTER, USAGE_OR_IO, print};

/// Arguments of `pick`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The posts file (posts.json version 1).
    posts: PathBuf,
    /// A CSS pixel of the first frame, from its top left: `X,Y` (floats).
    #[arg(long, value_name = "X,Y", value_parser = parse_point, conflicts_with = "verify", required_unless_present = "verify")]
    at: Option<(f32, f32)>,
    /// Compare the GPU id buffer with the CPU picker on every post centre and N random pixels.
    #[arg(long, value_name = "N")]
    verify: Option<u32>,
    #[command(flatten)]
    frame: FrameArgs,
    /// Who answers `--at`: the GPU id buffer or the CPU reference picker.
    #[arg(long, value_enum, default_value_t = Backend::Gpu)]
    backend: Backend,
    /// Which view's first frame.
    #[arg(long, value_parser = parse_mode, default_value = "3d")]
    mode: Mode,
}

/// Who picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Backend {
    /// The id buffer drawn by the GPU renderer.
    Gpu,
    /// The CPU reference picker.
    Cpu,
}

fn parse_point(s: &str) -> Result<(f32, f32), String> {
    let (x, y) = s.split_once(',').ok_or("expected X,Y")?;
    let number = |t: &str| {
        t.trim()
            .parse::<f32>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or(format!("{t:?} is not a number"))
    };
    Ok((number(x)?, number(y)?))
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse::<Mode>()
        .map_err(|_| format!("{s:?} is not 3d or 2d"))
}

/// Prints the id under `--at` (an empty line for none), or the verification summary whose last
/// line is `agree: A/T`; exits 1 when a verification finds a disagreement.
pub fn run(args: &Args) -> Result<(), Failure> {
    let viewport = args.frame.viewport()?;
    let site = site::load(&args.posts, args.frame.layout.as_deref())?;
    let frame = site.first_frame(args.mode, viewport);

    if let Some((x, y)) = args.at {
        let index = match args.backend {
            Backend::Cpu => frame.projection.pick(x, y),
            Backend::Gpu => {
                let ids = gpu_pick_ids(&frame, &[(x, y)])?;
                ids.first().copied().flatten()
            }
        };
        let id = index
            .and_then(|i| site.posts.get(i as usize))
            .map_or("", |p| p.id.as_str());
        return print(&format!("{id}\n"));
    }

    let Some(n) = args.verify else {
        return Err(Failure {
            status: USAGE_OR_IO,
            lines: vec!["give --at X,Y or --verify N".into()],
        });
    };
    let points = sample_points(&frame, n);
    let gpu_ids = gpu_pick_ids(&frame, &points)?;
    let (mut ambiguous, mut agree, mut total) = (0usize, 0usize, 0usize);
    let mut first_disagreement = None;
    for (&(x, y), &gpu_id) in points.iter().zip(&gpu_ids) {
        if frame.projection.is_ambiguous(x, y) {
            ambiguous += 1;
            continue;
        }
        total += 1;
        let cpu_id = frame.projection.pick(x, y);
        if cpu_id == gpu_id {
            agree += 1;
        } else if first_disagreement.is_none() {
            first_disagreement = Some((x, y, gpu_id, cpu_id));
        }
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "samples: {} ({} post centres, {n} random pixels), {}x{} CSS px at dpr {}",
        points.len(),
        points.len() - n as usize,
        viewport.width_css,
        viewport.height_css,
        viewport.dpr
    );
    if let Some((x, y, g, c)) = first_disagreement {
        let name = |i: Option<u32>| {
            i.and_then(|i| site.posts.get(i as usize))
                .map_or("(none)".to_string(), |p| p.id.clone())
        };
        let _ = writeln!(
            text,
            "first disagreement at {x},{y}: gpu {} cpu {}",
            name(g),
            name(c)
        );
    }
    let share = 100.0 * ambiguous as f64 / points.len().max(1) as f64;
    let _ = writeln!(
        text,
        "ambiguous band: {ambiguous}/{} samples ({share:.2}%) excluded",
        points.len()
    );
    let _ = writeln!(text, "agree: {agree}/{total}");
    print(&text)?;
    if agree == total {
        Ok(())
    } else {
        Err(Failure::quiet(INVALID))
    }
}

/// The GPU id buffer's answers at `points` (CSS px) of the frame; exit 3 without an adapter,
/// which the Node CLI never has.
fn gpu_pick_ids(frame: &FirstFrame, points: &[(f32, f32)]) -> Result<Vec<Option<u32>>, Failure> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let gpu = logmesh::render::headless::Headless::new().map_err(|e| Failure {
            status: NO_ADAPTER,
            lines: vec![format!("no GPU adapter: {e}")],
        })?;
        gpu.pick_ids(&frame.scene, &frame.camera, frame.viewport(), points)
            .map_err(|e| Failure {
                status: USAGE_OR_IO,
                lines: vec![format!("GPU pick: {e}")],
            })
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = (frame, points);
        Err(Failure {
            status: NO_ADAPTER,
            lines: vec!["no GPU adapter: the Node CLI has none (use --backend cpu)".into()],
        })
    }
}

/// Every drawn post centre inside the frame, then `n` seeded random points over the frame.
fn sample_points(frame: &FirstFrame, n: u32) -> Vec<(f32, f32)> {
    let viewport = frame.viewport();
    let mut points: Vec<(f32, f32)> = frame
        .projection
        .nodes()
        .iter()
        .filter(|p| {
            p.drawn
                && (0.0..viewport.width_css).contains(&p.x_px)
                && (0.0..viewport.height_css).contains(&p.y_px)
        })
        .map(|p| (p.x_px, p.y_px))
        .collect();
    let mut rng = Rng::new(0x7069_636b, 0);
    for _ in 0..n {
        let x = rng.range_f64(0.0, f64::from(viewport.width_css)) as f32;
        let y = rng.range_f64(0.0, f64::from(viewport.height_css)) as f32;
        points.push((x, y));
    }
    points
}
