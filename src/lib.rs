//! logmesh: a site's posts as an interactive 3D node graph.
//!
//! The pipeline runs one way:
//!
//! ```text
//! posts.json --posts--> [Post] --graph--> PostGraph --layout--> positions (3D) / radial (2D)
//!     positions + style + camera --scene--> Scene --> renderers (wgpu, Canvas2D, SVG)
//!     pointer --picking--> post id (the CPU picker is the reference for the GPU id buffer)
//! ```
//!
//! [`site`] holds a loaded site and the one recipe for a first frame (which scene, which
//! camera), shared by the CLI, the browser, the tests, the benches and the examples, so the
//! static frame and the live one cannot drift apart. What keeps the browser module small (our
//! JSON reader, no float formatting, one shared sort) is written down in docs/SIZE.md and
//! guarded by the wasm32 clippy configuration in `clippy/wasm32/`.
//!
//! Without default features the crate is the *pure core*: no GPU, no browser, deterministic
//! (the same posts and seed give the same `positions_hash` natively and on wasm32). The `render`
//! feature (on by default) adds [`render`], the wgpu renderer and its native headless frontend.

pub mod camera;
pub mod decimal;
pub mod error;
pub mod export;
pub mod graph;
pub mod hash;
#[cfg(feature = "import")]
pub mod import;
pub mod json;
pub mod layout;
pub mod local;
pub mod picking;
pub mod posts;
pub mod raster;
#[cfg(feature = "render")]
pub mod render;
pub mod rng;
pub mod scene;
pub mod site;
// The generator is a build-time tool (`logmesh gen`, the tests, the benches) that no browser
// module reaches, so docs/SIZE.md's rules (checked by clippy on wasm32 only) do not apply to it.
#[allow(
    clippy::disallowed_methods,
    reason = "build-time only: its sorts never reach a browser module"
)]
pub mod sitegen;
pub mod sort;
pub mod style;
#[cfg(all(feature = "web-bindings", target_arch = "wasm32"))]
pub mod web;
mod whatwg;

pub use error::{Error, Result, Warning};
