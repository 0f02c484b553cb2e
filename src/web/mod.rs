//! The browser build: what `<log-mesh>` (www/) calls through wasm-bindgen.
//!
//! Built three times by `scripts/build-web`: with feature `web` (WebGPU: the small module every
//! visitor loads), with `webgl` (the same code on wgpu's WebGL2 backend, loaded only where
//! WebGPU is missing or fails) and with `web2d` (the 2D view on Canvas2D, no wgpu: loaded only
//! for 2D). Everything the element shows comes from the same pure core as the static frame:
//! `Site` parses and lays out (in slices, so the page stays responsive), `View` draws the
//! [`Scene`](crate::scene::Scene) with the shared renderer and answers picks from the GPU id
//! buffer of the frame on screen, `View2d` draws the radial layout and picks on the CPU. The JS
//! side owns the DOM, the events and the pointer; it never computes a position.
//!
//! Errors cross as [`WebError`] `{code, message}` with docs/DESIGN.md's codes (`data`, `layout`,
//! `render`, `context-lost`); a panic traps the module, which the element treats as poisoned.

mod frame;
mod site;
#[cfg(feature = "render")]
mod view;
#[cfg(feature = "web2d")]
mod view2d;

use wasm_bindgen::prelude::*;

pub use site::{MAX_BROWSER_LAYOUT_POSTS, Site};
#[cfg(feature = "render")]
pub use view::{View, ViewSetup, start_view};
#[cfg(feature = "web2d")]
pub use view2d::View2d;

/// An error the element reports: docs/DESIGN.md's `code` and a message naming what was wrong.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone)]
pub struct WebError {
    /// `data`, `layout`, `render` or `context-lost`.
    pub code: String,
    /// What went wrong, for people (plain text).
    pub message: String,
}

pub(crate) fn web_error(code: &str, message: impl Into<String>) -> JsValue {
    JsValue::from(WebError {
        code: code.to_owned(),
        message: message.into(),
    })
}

/// Installs the panic hook (panics are logged to the console before the module traps).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// `"webgpu"`, `"webgl2"` or `"canvas2d"`: the backend this module was built for.
#[wasm_bindgen]
pub fn backend() -> String {
    #[cfg(feature = "render")]
    return view::BACKEND_NAME.to_owned();
    #[cfg(not(feature = "render"))]
    "canvas2d".to_owned()
}

/// The theme's colours as CSS hex, for the element's overlay (labels and rings), so the page
/// and the frames share one palette: `[label text, background, hover ring, selection ring,
/// focus ring]`.
#[wasm_bindgen]
pub fn theme_colours(dark: bool) -> Vec<String> {
    let theme = if dark {
        crate::style::Theme::Dark
    } else {
        crate::style::Theme::Light
    };
    let c = theme.colours();
    [
        c.label_text,
        c.background,
        c.hover_outline,
        c.selection_outline,
        c.focus_outline,
    ]
    .iter()
    .map(|[r, g, b, _]| format!("#{r:02x}{g:02x}{b:02x}"))
    .collect()
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
