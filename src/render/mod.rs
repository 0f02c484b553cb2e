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
//! GPU and writes files) and `webp` (native only: libwebp is C). This module never reads a clock and never decides *what* to draw:
//! that is the scene's job.
//!
//! The files, each depending only on those below it (no cycle):
//!
//! | file | holds |
//! |---|---|
//! | `headless.rs` | native frontend: offscreen targets, PNG frames, blocking pick readback |
//! | `renderer.rs` | [`Renderer`]: the frame's bind group, both passes, prepare/record |
//! | `nodes.rs`, `edges.rs` | the post and edge pipelines and their instances; [`Highlight`] |
//! | `uniforms.rs` | the frame uniforms every pipeline reads (`shaders/BINDINGS.md`) |
//! | `picking.rs` | the pick pass's formats and targets, and reading ids back |
//! | `buffers.rs` | instance buffers that grow with the scene |
//! | `image.rs` | RGBA images and the 256-byte row padding of copies |
//! | `webp.rs` | frames as lossy WebP (native, feature `webp`): [`WebpSettings`] |
//! | `context.rs`, `error.rs` | the adapter and device; errors |

mod buffers;
mod context;
mod edges;
mod error;
mod image;
mod nodes;
mod picking;
mod renderer;
mod uniforms;

#[cfg(not(target_arch = "wasm32"))]
pub mod headless;
#[cfg(all(feature = "webp", not(target_arch = "wasm32")))]
mod webp;

pub use crate::style::edge_alpha_scale;
pub use context::GpuContext;
pub use error::RenderError;
pub use image::{ROW_ALIGNMENT_BYTES, RgbaImage, padded_row_bytes};
pub use nodes::{FLAG_DIMMED, FLAG_FOCUSED, FLAG_HOVERED, FLAG_SELECTED, Highlight};
pub use picking::{
    MAX_SINGLE_PIXEL_READS, PICK_DEPTH_FORMAT, PICK_FORMAT, PickTargets, device_pixel,
    index_in_pixels as pick_index_in_pixels,
};
pub use renderer::{Renderer, SAMPLE_COUNT};

#[cfg(not(target_arch = "wasm32"))]
pub use headless::{FRAME_FORMAT, Headless, write_png};
#[cfg(all(feature = "webp", not(target_arch = "wasm32")))]
pub use webp::WebpSettings;
