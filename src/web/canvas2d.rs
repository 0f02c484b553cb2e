//! The 2D view's surface: the radial layout drawn flat on a Canvas2D, for devices that can't or
//! shouldn't run 3D (docs/DESIGN.md's reasons). The same [`Scene`](crate::scene::Scene) rules as
//! 3D (colour per post, size rule, labels), the same node look (a disc shaded like a lit sphere
//! whose centre is the palette colour, by the SVG frame's gradient), the same edges and
//! crowd-fading rule, the same camera arithmetic (an orthographic fit), and picking by the CPU
//! picker of the frame on screen. It is a [`Surface`] of the one
//! [`View`] type, so the element drives both alike: a page never needs to know which view it got.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::frame::LiveFrame;
use super::site::SiteHandle;
use super::view::{Surface, View};
use super::{Pick, web_error};
use crate::camera::Viewport;
use crate::export::svg::{STOP_OFFSETS, far_to_near, sphere_shade};
use crate::graph::EdgeKind;
use crate::picking::ScreenProjection;
use crate::style::{DIMMED_ALPHA, LINK_EDGE_WIDTH_PX, Rgba8, TAG_EDGE_WIDTH_PX, edge_alpha_scale};

/// The longest side, in device pixels, a 2D canvas is given: browsers refuse larger ones
/// (Chromium allows 32,767 a side but 268 million pixels in all, which is 16,384 squared).
const CANVAS_MAX_SIDE: u32 = 16_384;

/// The Canvas2D surface of a 2D view (see the module docs).
pub(crate) struct CanvasSurface {
    canvas: web_sys::HtmlCanvasElement,
    context: web_sys::CanvasRenderingContext2d,
}

#[wasm_bindgen]
impl SiteHandle {
    /// The 2D view of this site on `canvas` (a Canvas2D context; `render` error when the canvas
    /// gives none), `width` x `height` CSS px at `dpr`. The 2D view is the 3D first frame drawn
    /// flat: `render` error until the layout is ready (run [`SiteHandle::layout_step`] first).
    pub fn view_2d(
        &self,
        canvas: web_sys::HtmlCanvasElement,
        width: f32,
        height: f32,
        dpr: f32,
        dark: bool,
    ) -> Result<View, JsValue> {
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            .ok_or_else(|| web_error("render", "the canvas gives no 2D context"))?;
        let scene = self.scene_2d().ok_or_else(|| {
            web_error(
                "render",
                "the layout is not ready: the 2D view is drawn from it (layout_step)",
            )
        })?;
        let frame = LiveFrame::new(scene, Viewport::new(width, height, dpr), dark);
        View::new(CanvasSurface { canvas, context }, frame)
    }
}

/// `#rrggbbaa`: Canvas2D keeps 8 bits of alpha anyway.
fn css_colour([r, g, b, a]: Rgba8, alpha_scale: f32) -> String {
    let alpha = (f32::from(a) * alpha_scale).max(0.0).min(255.0).round() as u8;
    format!("#{r:02x}{g:02x}{b:02x}{alpha:02x}")
}

/// A Canvas2D has no GPU device: never lost, nothing to release, every pick answered at once by
/// the CPU picker.
impl Surface for CanvasSurface {
    /// At most [`CANVAS_MAX_SIDE`] a side, at whatever dpr that takes: 2D is the last resort.
    fn fit(&self, viewport: Viewport) -> Result<Viewport, JsValue> {
        viewport.fit_within(CANVAS_MAX_SIDE, 0.0).ok_or_else(|| {
            let Viewport {
                width_css,
                height_css,
                dpr,
            } = viewport;
            web_error("render", super::undrawable(width_css, height_css, dpr))
        })
    }

    fn resize(&mut self, viewport: Viewport) -> Result<(), JsValue> {
        self.canvas.set_width(viewport.width_device());
        self.canvas.set_height(viewport.height_device());
        Ok(())
    }

    /// Background, edges (links over tags), then posts as shaded discs whose centre pixel is
    /// their palette colour.
    fn render(&mut self, live: &mut LiveFrame) -> Result<bool, JsValue> {
        let LiveFrame {
            scene,
            camera,
            viewport,
            theme,
            ..
        } = &*live;
        let viewport = *viewport;
        let projection = ScreenProjection::new(scene, camera, viewport);
        let ctx = &self.context;
        let colours = scene.colours(*theme);
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
            (EdgeKind::Tag, colours.tag_edge, TAG_EDGE_WIDTH_PX),
            (EdgeKind::Link, colours.link_edge, LINK_EDGE_WIDTH_PX),
        ] {
            // Edges between two posts the filter leaves out are faded, in a path of their own.
            for (faded, alpha) in [(true, DIMMED_ALPHA), (false, 1.0)] {
                ctx.begin_path();
                let mut any = false;
                for edge in scene.edges.iter().filter(|e| e.kind == kind) {
                    let (Some(a), Some(b)) =
                        (nodes.get(edge.a as usize), nodes.get(edge.b as usize))
                    else {
                        continue;
                    };
                    if a.drawn && b.drawn && scene.edge_faded(edge.a, edge.b) == faded {
                        ctx.move_to(f64::from(a.x_px), f64::from(a.y_px));
                        ctx.line_to(f64::from(b.x_px), f64::from(b.y_px));
                        any = true;
                    }
                }
                if any {
                    ctx.set_stroke_style_str(&css_colour(colour, fade * alpha));
                    ctx.set_line_width(f64::from(width));
                    ctx.stroke();
                }
            }
        }

        // Posts far to near (the picker's order), each a disc shaded like a lit sphere: one radial
        // gradient per colour over the unit disc, with the SVG frame's stops (its centre stop is
        // exactly the palette colour), drawn through a transform that puts the unit disc on the
        // post.
        let mut gradients: Vec<(Rgba8, web_sys::CanvasGradient)> = Vec::new();
        for i in far_to_near(nodes, |n| n.drawn) {
            let colour = scene.nodes[i].colour;
            let known = gradients.iter().position(|(c, _)| *c == colour);
            let k = match known {
                Some(k) => k,
                None => {
                    let gradient = ctx.create_radial_gradient(0.0, 0.0, 0.0, 0.0, 0.0, 1.0)?;
                    for offset in STOP_OFFSETS {
                        gradient.add_color_stop(
                            offset,
                            &css_colour(sphere_shade(colour, offset), 1.0),
                        )?;
                    }
                    gradients.push((colour, gradient));
                    gradients.len() - 1
                }
            };
            let (x, y) = (f64::from(nodes[i].x_px), f64::from(nodes[i].y_px));
            let r = f64::from(nodes[i].r_px.max(0.5));
            ctx.set_transform(sx * r, 0.0, 0.0, sy * r, sx * x, sy * y)?;
            ctx.set_fill_style_canvas_gradient(&gradients[k].1);
            ctx.set_global_alpha(if scene.nodes[i].dimmed {
                f64::from(DIMMED_ALPHA)
            } else {
                1.0
            });
            ctx.begin_path();
            ctx.arc(0.0, 0.0, 1.0, 0.0, std::f64::consts::TAU)?;
            ctx.fill();
        }
        ctx.set_global_alpha(1.0);
        live.show(Some(projection));
        Ok(true)
    }

    /// A drag pans the flat view (there is nothing to turn).
    fn orbit(live: &mut LiveFrame, dx: f32, dy: f32) {
        live.pan(dx, dy);
    }

    fn pick_cached(&mut self, live: &mut LiveFrame, x: f32, y: f32) -> i32 {
        Pick::answer(live.projection().and_then(|p| p.pick(x, y)))
    }
}
