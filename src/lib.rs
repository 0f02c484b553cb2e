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
//! Without default features the crate is the *pure core*: no GPU, no browser, deterministic
//! (the same posts and seed give the same `positions_hash` natively and on wasm32). The `render`
//! feature (on by default) adds [`render`], the wgpu renderer and its native headless frontend.

pub mod camera;
pub mod error;
pub mod export;
pub mod graph;
pub mod hash;
pub mod json;
pub mod layout;
pub mod picking;
pub mod posts;
#[cfg(feature = "render")]
pub mod render;
pub mod rng;
pub mod scene;
pub mod sitegen;
pub mod sort;
pub mod style;
#[cfg(all(feature = "web-bindings", target_arch = "wasm32"))]
pub mod web;
mod whatwg;

pub use error::{Error, Result, Warning};
