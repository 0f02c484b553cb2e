//! The browser build: what `<log-mesh>` (www/) calls through wasm-bindgen.
//!
//! Built three times by `scripts/build-web`: with feature `web` (WebGPU: the small module every
//! visitor loads), with `webgl` (the same code on wgpu's WebGL2 backend, loaded only where
//! WebGPU is missing or fails) and with `web2d` (the 2D view on Canvas2D, no wgpu: loaded only
//! for 2D). Every module exports the same interface, written once here, so the element drives
//! all three alike and `tsc` checks it against wasm-bindgen's `.d.ts`:
//!
//! - [`SiteHandle`] parses and lays out (in slices, so the page stays responsive) and answers
//!   questions about posts ([`SiteHandle::post`]);
//! - [`View`] is the live view, one type whatever draws it: its methods are written once and
//!   drive a [`Surface`](view::Surface), the GPU one ([`gpu`]: the shared wgpu renderer, picks
//!   from the id buffer of the frame on screen) or the Canvas2D one ([`canvas2d`]: the radial
//!   layout, picks by the CPU picker). Each build has exactly one surface.
//! - Results the element reads are lists of strings (a post, a theme's colours) or, where a call is
//!   frequent, flat lists of numbers ([`ScreenPosition`], [`Label`]: a class per result costs
//!   glue and exports in every module); pick answers are a post index or a [`Pick`] code.
//!
//! Everything the element shows comes from the same pure core as the static frame (the scene and
//! its camera fit: [`crate::site`]). The JS side owns the DOM, the events and the pointer; it
//! never computes a position.
//!
//! Errors cross as strings `CODE MESSAGE` ([`web_error`]) with docs/DESIGN.md's codes (`data`,
//! `layout`, `render`, `context-lost`); a panic traps the module, which the element treats as
//! poisoned.

#[cfg(all(feature = "render", feature = "web2d"))]
compile_error!("a browser module has one surface: build `web`/`webgl` or `web2d`, not both");

#[cfg(feature = "web2d")]
mod canvas2d;
mod frame;
#[cfg(feature = "render")]
mod gpu;
mod site;
mod view;

use wasm_bindgen::prelude::*;

#[cfg(feature = "render")]
pub use gpu::{ViewSetup, start_view};
pub use site::{MAX_BROWSER_LAYOUT_POSTS, SiteHandle};
pub use view::{Label, ScreenPosition, View};

/// An error the element reports, as the string `CODE MESSAGE`: docs/DESIGN.md's code (`data`,
/// `layout`, `render` or `context-lost`: one word), a space, and a message naming what was
/// wrong. (A string, not a class: no glue class for two strings; the element's
/// `internal/wasm.js` `asFailure` splits it.)
pub(crate) fn web_error(code: &str, message: impl Into<String>) -> JsValue {
    let message = message.into();
    let mut text = String::with_capacity(code.len() + 1 + message.len());
    text.push_str(code);
    text.push(' ');
    text.push_str(&message);
    JsValue::from(text)
}

/// What a pick answers besides a post index (which is `>= 0`): exported so that the element
/// reads these codes from the module instead of copying them.
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Pick {
    /// No post there (background, or outside the frame).
    None = -1,
    /// Not answered yet: the readback is in flight, or the cached id buffer is of another frame.
    Pending = -2,
    /// The readback failed (a lost device).
    Failed = -3,
    /// No pick was started.
    Idle = -4,
}

impl Pick {
    /// A post index as a pick answer, or `none` when there is no post.
    pub(crate) fn answer(index: Option<u32>) -> i32 {
        index.map_or(Pick::None as i32, |i| i as i32)
    }
}

/// Installs the panic hook (panics are logged to the console before the module traps).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Panics on purpose. The element calls it only with its `debug` attribute set, to show that a
/// panic returns every element on the page to its static frame.
#[wasm_bindgen]
pub fn debug_panic() {
    panic!("deliberate panic (debug hook)");
}

/// The message for a frame size that cannot be drawn.
fn undrawable(width: f32, height: f32, dpr: f32) -> String {
    format!(
        "a {} x {} CSS px frame at dpr {} is not drawable",
        crate::error::decimal(width),
        crate::error::decimal(height),
        crate::error::decimal(dpr)
    )
}

/// The allocator: talc instead of the standard library's dlmalloc port, for a smaller module.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
