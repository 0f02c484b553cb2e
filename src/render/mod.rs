//! The GPU renderer (wgpu), shared by the native headless renderer (PNG frames at build time)
//! and the browser (WebGPU or WebGL2 through wasm).
//!
//! A [`Renderer`] is created once per device, target format and sample count; each frame,
//! [`Renderer::prepare`] uploads what the [`Scene`](crate::scene::Scene), camera, viewport, theme
//! and [`Highlight`] say, and [`Renderer::render`] / [`Renderer::render_picking`] only record
//! draws. Posts are lit sphere impostors whose centre pixel is exactly the palette colour; edges
//! are faint anti-aliased lines under them; the pick pass writes post ids into an integer
//! buffer that agrees with the CPU picker ([`crate::picking`]) outside docs/DESIGN.md's ambiguous
//! band. Shader interfaces: `shaders/BINDINGS.md`.
//!
//! Everything here builds for wasm32 too, except [`headless`] (native only: it blocks on the
//! GPU and writes files). This module never reads a clock and never decides *what* to draw:
//! that is the scene's job.

mod context;
mod edges;
mod error;
mod frame;
mod image;
mod nodes;
mod picking;

#[cfg(not(target_arch = "wasm32"))]
pub mod headless;

pub use crate::style::edge_alpha_scale;
pub use context::GpuContext;
pub use error::RenderError;
pub use frame::{Highlight, PICK_DEPTH_FORMAT, PICK_FORMAT, Renderer, SAMPLE_COUNT};
pub use image::{ROW_ALIGNMENT_BYTES, RgbaImage, padded_row_bytes};
pub use nodes::{FLAG_FOCUSED, FLAG_HOVERED, FLAG_SELECTED};
pub use picking::{
    MAX_SINGLE_PIXEL_READS, PickTargets, device_pixel, index_in_pixels as pick_index_in_pixels,
};

#[cfg(not(target_arch = "wasm32"))]
pub use headless::{FRAME_FORMAT, Headless, write_png};
