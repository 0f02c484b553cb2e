//! The 2D view: the radial layout drawn flat on a Canvas2D, for devices that can't or shouldn't
//! run 3D (docs/DESIGN.md's reasons). The same [`Scene`] rules as 3D (colour per post, size rule,
//! labels), the same camera arithmetic (an orthographic fit), and picking by the CPU picker of
//! the frame on screen. Its methods mirror [`View`](super::View)'s, so the element drives both
//! alike: a page never needs to know which view it got.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::frame::LiveFrame;
use super::site::Site;
use super::web_error;
use crate::camera::Viewport;
use crate::graph::EdgeKind;
use crate::picking::ScreenProjection;
use crate::style::Rgba8;
use crate::style::edge_alpha_scale;

/// Link edge width, CSS px (as the GPU renderer's).
const LINK_WIDTH_CSS: f64 = 1.0;
/// Tag edge width, CSS px.
const TAG_WIDTH_CSS: f64 = 0.7;
/// [`View2d::pick_cached`]'s answer for no post.
const PICK_NONE: i32 = -1;

/// A live 2D view on a canvas (see the module docs).
#[wasm_bindgen]
pub struct View2d {
    canvas: web_sys::HtmlCanvasElement,
    context: web_sys::CanvasRenderingContext2d,
    frame: LiveFrame,
}

#[wasm_bindgen]
impl Site {
    /// The 2D view of this site on `canvas` (a Canvas2D context; `render` error when the canvas
    /// gives none), `width` x `height` CSS px at `dpr`. Needs no 3D layout.
    pub fn view_2d(
        &self,
        canvas: web_sys::HtmlCanvasElement,
        width: f32,
        height: f32,
        dpr: f32,
        dark: bool,
    ) -> Result<View2d, JsValue> {
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            .ok_or_else(|| web_error("render", "the canvas gives no 2D context"))?;
        let frame = LiveFrame::new(self.scene_2d(), Viewport::new(width, height, dpr), dark);
        let mut view = View2d {
            canvas,
            context,
            frame,
        };
        view.resize(width, height, dpr)?;
        Ok(view)
    }
}

/// `#rrggbbaa`: Canvas2D keeps 8 bits of alpha anyway.
fn css_colour([r, g, b, a]: Rgba8, alpha_scale: f32) -> String {
    let alpha = (f32::from(a) * alpha_scale).max(0.0).min(255.0).round() as u8;
    format!("#{r:02x}{g:02x}{b:02x}{alpha:02x}")
}

#[wasm_bindgen]
impl View2d {
    /// `"canvas2d"`.
    pub fn backend(&self) -> String {
        "canvas2d".to_owned()
    }

    /// Never lost: a Canvas2D has no GPU device.
    pub fn lost(&self) -> Option<String> {
        None
    }

    /// Sizes the canvas to `width` x `height` CSS px at `dpr` (round(W * dpr) x round(H * dpr)
    /// pixels, as a PNG frame of that size). Until the visitor moves the camera it stays fitted.
    pub fn resize(&mut self, width: f32, height: f32, dpr: f32) -> Result<(), JsValue> {
        let viewport = Viewport::new(width, height, dpr);
        let (w, h) = (viewport.width_device(), viewport.height_device());
        if !viewport.is_valid() || w == 0 || h == 0 {
            return Err(web_error("render", super::undrawable(width, height, dpr)));
        }
        self.canvas.set_width(w);
        self.canvas.set_height(h);
        self.frame.resize(viewport);
        Ok(())
    }

    /// Draws the frame: background, edges (links over tags), then posts as flat discs of their
    /// palette colour, so every centre pixel is exactly that colour.
    pub fn render(&mut self) -> Result<(), JsValue> {
        let LiveFrame {
            scene,
            camera,
            viewport,
            theme,
            ..
        } = &self.frame;
        let viewport = *viewport;
        let projection = ScreenProjection::new(scene, camera, viewport);
        let ctx = &self.context;
        let colours = theme.colours();
        let (w, h) = (viewport.width_device(), viewport.height_device());
        ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        ctx.set_fill_style_str(&css_colour(colours.background, 1.0));
        ctx.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
        // CSS px to device px, exactly as the canvas was sized.
        let (sx, sy) = (
            f64::from(w) / f64::from(viewport.width_css),
            f64::from(h) / f64::from(viewport.height_css),
        );
        ctx.set_transform(sx, 0.0, 0.0, sy, 0.0, 0.0)?;

        let nodes = projection.nodes();
        let fade = edge_alpha_scale(scene.edges.len(), camera, viewport);
        for (kind, colour, width) in [
            (EdgeKind::Tag, colours.tag_edge, TAG_WIDTH_CSS),
            (EdgeKind::Link, colours.link_edge, LINK_WIDTH_CSS),
        ] {
            ctx.begin_path();
            for edge in scene.edges.iter().filter(|e| e.kind == kind) {
                let (Some(a), Some(b)) = (nodes.get(edge.a as usize), nodes.get(edge.b as usize))
                else {
                    continue;
                };
                if a.drawn && b.drawn {
                    ctx.move_to(f64::from(a.x_px), f64::from(a.y_px));
                    ctx.line_to(f64::from(b.x_px), f64::from(b.y_px));
                }
            }
            ctx.set_stroke_style_str(&css_colour(colour, fade));
            ctx.set_line_width(width);
            ctx.stroke();
        }

        // Posts, one path per colour (12 palette colours: a dozen fills per frame).
        let mut order: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].drawn).collect();
        crate::sort::by_key(&mut order, |&i| {
            u64::from(u32::from_be_bytes(scene.nodes[i].colour))
        });
        let mut start = 0;
        while start < order.len() {
            let colour = scene.nodes[order[start]].colour;
            let end = order[start..]
                .iter()
                .position(|&i| scene.nodes[i].colour != colour)
                .map_or(order.len(), |n| start + n);
            ctx.begin_path();
            for &i in &order[start..end] {
                let (x, y) = (f64::from(nodes[i].x_px), f64::from(nodes[i].y_px));
                let r = f64::from(nodes[i].r_px.max(0.5));
                ctx.move_to(x + r, y);
                ctx.arc(x, y, r, 0.0, std::f64::consts::TAU)?;
            }
            ctx.set_fill_style_str(&css_colour(colour, 1.0));
            ctx.fill();
            start = end;
        }
        self.frame.show(Some(projection));
        Ok(())
    }

    /// The post under CSS point (`x`, `y`) of the frame on screen, by the CPU picker: the index,
    /// or -1 for none.
    pub fn pick_cached(&mut self, x: f32, y: f32) -> i32 {
        self.frame
            .projection()
            .and_then(|p| p.pick(x, y))
            .map_or(PICK_NONE, |i| i as i32)
    }

    /// Nothing to read back in 2D: always answered by [`View2d::pick_cached`].
    pub fn pick_begin(&mut self, _x: f32, _y: f32) -> bool {
        true
    }

    /// See [`View2d::pick_begin`]: -1.
    pub fn pick_poll(&mut self) -> i32 {
        PICK_NONE
    }

    /// No id buffer in 2D.
    pub fn ids_begin(&mut self) -> bool {
        false
    }

    /// No id buffer in 2D.
    pub fn ids_poll(&mut self) -> bool {
        false
    }

    /// A drag pans the flat view (there is nothing to turn).
    pub fn orbit(&mut self, dx: f32, dy: f32) {
        self.pan(dx, dy);
    }

    /// Zooms by `factor` (> 1 closer).
    pub fn zoom(&mut self, factor: f32) {
        self.frame.zoom(factor);
    }

    /// Pans by (`dx`, `dy`) CSS px: the view follows the pointer.
    pub fn pan(&mut self, dx: f32, dy: f32) {
        self.frame.pan(dx, dy);
    }

    /// Back to the first frame's camera.
    pub fn reset_camera(&mut self) {
        self.frame.reset_camera();
    }

    /// Centres the view on post `index`.
    pub fn focus(&mut self, index: u32) {
        self.frame.focus(index);
    }

    /// The dark (true) or light theme.
    pub fn set_dark(&mut self, dark: bool) {
        self.frame.set_dark(dark);
    }

    /// `[x, y, r, visible]` of post `index` in the frame on screen (see [`View`](super::View)).
    pub fn screen_position(&mut self, index: u32) -> Option<Vec<f32>> {
        self.frame.screen_position(index)
    }

    /// The post nearest to post `from` in the direction (`dx`, `dy`) on screen (arrow keys), or
    /// the visible post nearest the centre when `from` is -1; -1 when there is none.
    pub fn neighbour(&mut self, from: i32, dx: f32, dy: f32) -> i32 {
        self.frame.neighbour(from, dx, dy)
    }

    /// The labels of the frame on screen: `[index, x, y]` per label (see [`View`](super::View)).
    pub fn labels(&mut self) -> Vec<f32> {
        self.frame.labels()
    }

    /// The label text of post `index` (plain text).
    pub fn label_text(&self, index: u32) -> Option<String> {
        self.frame.label_text(index)
    }

    /// Nothing to release: the canvas goes with the element.
    pub fn release(&self) {}
}
