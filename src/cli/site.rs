//! What `prerender` and `pick` share: the frame options and loading a site (posts, graph,
//! layout) with the CLI's warnings and progress. The first frame itself is the library's one
//! recipe ([`logmesh::site::Site::first_frame`]), the same the browser and the tests use.

use std::path::{Path, PathBuf};

use logmesh::camera::Viewport;
use logmesh::graph::PostGraph;
use logmesh::layout::{ForceParams, Layout};
use logmesh::posts::Parsed;
use logmesh::site::Site;

use super::{Failure, USAGE_OR_IO, files, progress, warning};

/// Frame options shared by `prerender` and `pick` (docs/DESIGN.md, "Coordinates and frames").
#[derive(Debug, Clone, clap::Args)]
pub struct FrameArgs {
    /// A layout file (layout.json) of these posts; without one the posts are laid out afresh.
    #[arg(long, value_name = "L")]
    pub layout: Option<PathBuf>,
    /// Frame width in CSS px.
    #[arg(long, default_value_t = 1200.0, value_name = "W")]
    pub width: f32,
    /// Frame height in CSS px.
    #[arg(long, default_value_t = 675.0, value_name = "H")]
    pub height: f32,
    /// Device pixel ratio: a PNG is round(W*D) x round(H*D) device pixels.
    #[arg(long, default_value_t = 1.0, value_name = "D")]
    pub dpr: f32,
}

/// The phone frame of `prerender` (docs/DESIGN.md, "Coordinates and frames"): the size of the
/// 2D frames, which small touch screens show first and whose `<source>`s give the element its
/// shape there. Square by default: the 2D camera fits a disc (the radial layout's bounding
/// circle), so a square frame draws it largest for the screen height it takes; 390 CSS px is
/// the common phone width (an element in a page column is a little narrower and keeps the
/// aspect); dpr 3 is the common phone density (2 at least, so a phone never upscales it much).
#[derive(Debug, Clone, clap::Args)]
pub struct PhoneArgs {
    /// Width in CSS px of the 2D (phone) frames.
    #[arg(long, default_value_t = 390.0, value_name = "W")]
    pub phone_width: f32,
    /// Height in CSS px of the 2D (phone) frames.
    #[arg(long, default_value_t = 390.0, value_name = "H")]
    pub phone_height: f32,
    /// Device pixel ratio of the 2D (phone) frames: a PNG is round(W*D) x round(H*D) px.
    #[arg(long, default_value_t = 3.0, value_name = "D")]
    pub phone_dpr: f32,
}

/// Largest frame side in device pixels (the common GPU texture limit).
const MAX_DEVICE_PX: f32 = 8192.0;

impl FrameArgs {
    /// The viewport, or a usage error naming the bad option.
    pub fn viewport(&self) -> Result<Viewport, Failure> {
        viewport(
            [("--width", self.width), ("--height", self.height)],
            ("--dpr", self.dpr),
        )
    }
}

impl PhoneArgs {
    /// The phone frame's viewport, or a usage error naming the bad option.
    pub fn viewport(&self) -> Result<Viewport, Failure> {
        viewport(
            [
                ("--phone-width", self.phone_width),
                ("--phone-height", self.phone_height),
            ],
            ("--phone-dpr", self.phone_dpr),
        )
    }
}

/// The viewport of a `[width, height]` in CSS px at a `dpr` (each named by its option), or a
/// usage error naming the bad option.
fn viewport(size: [(&str, f32); 2], dpr: (&str, f32)) -> Result<Viewport, Failure> {
    let usage = |line: String| Failure {
        status: USAGE_OR_IO,
        lines: vec![line],
    };
    for (name, v) in [size[0], size[1], dpr] {
        if !v.is_finite() || v <= 0.0 {
            return Err(usage(format!("{name}: {v} is not a positive number")));
        }
    }
    let viewport = Viewport::new(size[0].1, size[1].1, dpr.1);
    let (w, h) = (
        viewport.width_device() as f32,
        viewport.height_device() as f32,
    );
    if w < 1.0 || h < 1.0 || w > MAX_DEVICE_PX || h > MAX_DEVICE_PX {
        return Err(usage(format!(
            "the frame is {w} x {h} device px; each side must be 1..={MAX_DEVICE_PX}"
        )));
    }
    Ok(viewport)
}

/// Reads the posts (warnings to stderr) and the layout file if one is given (used as it is,
/// warm-started from when stale, laid out afresh when foreign, with a warning), or lays out.
pub fn load(posts_path: &Path, layout_path: Option<&Path>) -> Result<Site, Failure> {
    let parsed = files::read_posts(posts_path).map_err(|e| Failure::in_file(posts_path, e))?;
    load_parsed(parsed, layout_path)
}

/// [`load`] for posts already read (`prerender` from a site's sources).
pub fn load_parsed(parsed: Parsed, layout_path: Option<&Path>) -> Result<Site, Failure> {
    for w in &parsed.warnings {
        warning(&w.to_string());
    }
    let file = match layout_path {
        None => None,
        Some(path) => Some(files::read_layout(path)?),
    };
    let posts = parsed.posts;
    let style = parsed.style;
    let graph = PostGraph::build(&posts);
    let params = ForceParams::default();
    let message = format!("laying out {} posts", posts.len());
    let (layout, _, reuse_warning) = progress::with_spinner(message, || {
        Layout::resolve(&posts, &graph, &params, file.as_ref())
    });
    if let Some(w) = reuse_warning {
        warning(&w);
    }
    Ok(Site {
        posts,
        graph,
        layout,
        centre: None,
        style: style.unwrap_or_default(),
    })
}
