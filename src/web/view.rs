//! The live view, one `#[wasm_bindgen]` type in every module: [`View`]'s methods are written once
//! here and drive this build's [`Surface`] (the GPU one in the 3D modules, the Canvas2D one in the
//! 2D module) beside the [`LiveFrame`] that both share. A method the element calls therefore
//! exists, with the same signature, whichever view a page got; what differs between surfaces is
//! only what [`Surface`] names.

use wasm_bindgen::prelude::*;

use super::frame::LiveFrame;
use super::{Pick, web_error};
use crate::camera::Viewport;

#[cfg(feature = "web2d")]
type ActiveSurface = super::canvas2d::CanvasSurface;
#[cfg(feature = "render")]
type ActiveSurface = super::gpu::GpuSurface;
#[cfg(not(any(feature = "render", feature = "web2d")))]
compile_error!("a browser module needs a surface: build `web`, `webgl` or `web2d`");

/// What draws a view and answers its picks: everything that differs between the 3D and the 2D
/// view. The defaults are those of a surface that picks on the CPU and has no device.
pub(crate) trait Surface {
    /// Why the device was lost, once it has been.
    fn lost(&self) -> Option<String> {
        None
    }

    /// The viewport this surface draws `viewport` at (valid, with a drawable size): itself, or
    /// at a lower dpr where its targets would be larger than it can make. `too-large` error when
    /// it cannot draw that frame at all.
    fn fit(&self, viewport: Viewport) -> Result<Viewport, JsValue>;

    /// Sizes the canvas and the surface's targets to `viewport` (from [`Surface::fit`]).
    fn resize(&mut self, viewport: Viewport) -> Result<(), JsValue>;

    /// Draws and presents `frame` with its camera and theme, then records it as on screen;
    /// false when the surface had no frame to draw into this time (nothing changed on screen:
    /// draw again at the next animation frame).
    fn render(&mut self, frame: &mut LiveFrame) -> Result<bool, JsValue>;

    /// Turns the camera for a drag of (`dx`, `dy`) CSS px (a flat view pans).
    fn orbit(frame: &mut LiveFrame, dx: f32, dy: f32);

    /// Starts a pick readback at CSS point (`x`, `y`) of the frame on screen; false while an
    /// earlier one is still being read.
    fn pick_begin(&mut self, _frame: &LiveFrame, _x: f32, _y: f32) -> bool {
        true
    }

    /// The answer of the pick in flight: a post index or a [`Pick`] code.
    fn pick_poll(&mut self) -> i32 {
        Pick::None as i32
    }

    /// Starts reading back the whole id buffer of the frame on screen; false when there is
    /// nothing to do.
    fn ids_begin(&mut self, _frame: &LiveFrame) -> bool {
        false
    }

    /// Moves a finished whole-buffer read into the cache; whether one is still in flight.
    fn ids_poll(&mut self) -> bool {
        false
    }

    /// The post under CSS point (`x`, `y`) of the frame on screen, answered at once: an index,
    /// [`Pick::None`], or [`Pick::Pending`] when only a readback can say.
    fn pick_cached(&mut self, frame: &mut LiveFrame, x: f32, y: f32) -> i32;

    /// Releases the device now.
    fn release(&self) {}
}

/// Where a post is in the frame on screen, in CSS px from the canvas's top left: what
/// [`View::screen_position`] flattens (a plain list is cheaper across the boundary than a class).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenPosition {
    /// The centre's x.
    pub x: f32,
    /// The centre's y.
    pub y: f32,
    /// The drawn radius.
    pub r: f32,
    /// docs/DESIGN.md's rule: on the frame and not inside a nearer post's hit disc.
    pub visible: bool,
}

/// A label of the frame on screen, placed as the static frame's are: what [`View::labels`]
/// flattens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    /// The post's index (id order).
    pub index: u32,
    /// The left end of the text, CSS px.
    pub x: f32,
    /// The text's vertical centre, CSS px.
    pub y: f32,
}

/// A live view on a canvas (see the module docs). Made by `start_view` (3D) or
/// `SiteHandle::view_2d` (2D).
#[wasm_bindgen]
pub struct View {
    surface: ActiveSurface,
    frame: LiveFrame,
}

impl View {
    /// A view of `frame` drawn by `surface`, sized to the frame's viewport.
    pub(crate) fn new(surface: ActiveSurface, frame: LiveFrame) -> Result<View, JsValue> {
        let Viewport {
            width_css,
            height_css,
            dpr,
        } = frame.viewport;
        let mut view = View { surface, frame };
        view.resize(width_css, height_css, dpr)?;
        Ok(view)
    }
}

#[wasm_bindgen]
impl View {
    /// Why the device was lost, once it has been (never in 2D).
    pub fn lost(&self) -> Option<String> {
        self.surface.lost()
    }

    /// Sizes the canvas to `width` x `height` CSS px at `dpr` (round(W * dpr) x round(H * dpr)
    /// pixels, as a PNG frame of that size; at a lower dpr where that is more than the surface
    /// can draw). Until the visitor moves the camera it stays fitted to the
    /// frame's aspect, as the static frame's was. `render` error for a size that cannot be
    /// drawn; `too-large` when it is more than the GPU can draw even at dpr 1 (docs/DESIGN.md).
    pub fn resize(&mut self, width: f32, height: f32, dpr: f32) -> Result<(), JsValue> {
        let viewport = Viewport::new(width, height, dpr);
        if !viewport.is_valid() || viewport.width_device() == 0 || viewport.height_device() == 0 {
            return Err(web_error("render", super::undrawable(width, height, dpr)));
        }
        let viewport = self.surface.fit(viewport)?;
        self.surface.resize(viewport)?;
        self.frame.resize(viewport);
        Ok(())
    }

    /// Draws and presents a frame with the current camera and theme: true when presented, false
    /// when the surface gave no frame this time (just reconfigured, timed out or occluded, or
    /// the GPU is still drawing the frames before; the frame on screen is still the last one, so
    /// ask again at the next animation frame).
    /// `context-lost` error when the device or surface is gone, `render` for other failures.
    pub fn render(&mut self) -> Result<bool, JsValue> {
        self.surface.render(&mut self.frame)
    }

    /// Starts reading the id buffer at CSS point (`x`, `y`) of the frame on screen; returns
    /// false (and does nothing) while an earlier pick is still being read. Then poll with
    /// [`View::pick_poll`]. (2D answers every pick from [`View::pick_cached`].)
    pub fn pick_begin(&mut self, x: f32, y: f32) -> bool {
        self.surface.pick_begin(&self.frame, x, y)
    }

    /// The answer of the pick in flight: the post index, or [`Pick::None`] (background or
    /// outside the frame), [`Pick::Pending`], [`Pick::Failed`] (a lost device), [`Pick::Idle`]
    /// (no pick started).
    pub fn pick_poll(&mut self) -> i32 {
        self.surface.pick_poll()
    }

    /// Starts reading back the whole id buffer of the frame on screen, so that later picks of
    /// that frame are answered at once by [`View::pick_cached`] (the element asks once the
    /// camera rests). Returns false when there is nothing to do.
    pub fn ids_begin(&mut self) -> bool {
        self.surface.ids_begin(&self.frame)
    }

    /// Moves a finished whole-buffer read into the cache; returns whether one is still in
    /// flight.
    pub fn ids_poll(&mut self) -> bool {
        self.surface.ids_poll()
    }

    /// The post under CSS point (`x`, `y`) of the frame on screen, answered at once: the index,
    /// [`Pick::None`], or [`Pick::Pending`] when the cached id buffer is of another frame (then
    /// pick with [`View::pick_begin`]).
    pub fn pick_cached(&mut self, x: f32, y: f32) -> i32 {
        self.surface.pick_cached(&mut self.frame, x, y)
    }

    /// The post a finger at CSS point (`x`, `y`) of the frame on screen reaches, by the CPU
    /// picker's touch rule ([`ScreenProjection::pick_touch`](crate::picking::ScreenProjection::pick_touch)):
    /// the index or [`Pick::None`]. The same in 3D and 2D: a touch needs no id buffer.
    pub fn pick_touch(&mut self, x: f32, y: f32) -> i32 {
        Pick::answer(self.frame.projection().and_then(|p| p.pick_touch(x, y)))
    }

    /// Turns the camera for a drag of (`dx`, `dy`) CSS px (pans the flat 2D view).
    pub fn orbit(&mut self, dx: f32, dy: f32) {
        ActiveSurface::orbit(&mut self.frame, dx, dy);
    }

    /// Zooms by `factor` (> 1 closer) about the CSS pixel (`x`, `y`): what is under it stays
    /// there (a pinch's midpoint, the wheel's pointer).
    pub fn zoom(&mut self, factor: f32, x: f32, y: f32) {
        self.frame.zoom_at(factor, x, y);
    }

    /// Pans by (`dx`, `dy`) CSS px: the scene follows the pointer.
    pub fn pan(&mut self, dx: f32, dy: f32) {
        self.frame.pan(dx, dy);
    }

    /// Back to the first frame's camera.
    pub fn reset_camera(&mut self) {
        self.frame.reset_camera();
    }

    /// Centres the camera on post `index` (at once: the element animates nothing).
    pub fn focus(&mut self, index: u32) {
        self.frame.focus(index);
    }

    /// The dark (true) or light theme.
    pub fn set_dark(&mut self, dark: bool) {
        self.frame.set_dark(dark);
    }

    /// Dims the posts whose byte in `keep` (one per post, id order) is 0 and undims the rest
    /// (docs/DESIGN.md, "Search and filter"); returns how many are kept. Drawn at the next
    /// render; picks are unchanged (dimmed posts stay pickable).
    pub fn set_kept(&mut self, keep: Vec<u8>) -> u32 {
        let keep: Vec<bool> = keep.into_iter().map(|k| k != 0).collect();
        self.frame.scene.dim_except(&keep) as u32
    }

    /// Where post `index` is in the frame on screen: `[x, y, r, visible (1 or 0)]` (a
    /// [`ScreenPosition`]), or empty for an unknown index.
    pub fn screen_position(&mut self, index: u32) -> Vec<f32> {
        self.frame
            .screen_position(index)
            .map(|p| vec![p.x, p.y, p.r, f32::from(u8::from(p.visible))])
            .unwrap_or_default()
    }

    /// The post nearest to post `from` in the direction (`dx`, `dy`) on screen (arrow keys), or
    /// the visible post nearest the centre when `from` is -1; [`Pick::None`] when there is none.
    pub fn neighbour(&mut self, from: i32, dx: f32, dy: f32) -> i32 {
        self.frame.neighbour(from, dx, dy)
    }

    /// The labels of the frame on screen, placed as the static frame's are, most important
    /// first: `[index, x, y]` per label (a [`Label`]), flat.
    pub fn labels(&mut self) -> Vec<f32> {
        // Indices are below MAX_POSTS (1,000,000), exact in f32.
        self.frame
            .labels()
            .iter()
            .flat_map(|l| [l.index as f32, l.x, l.y])
            .collect()
    }

    /// The size (CSS px) of the prerendered frame the page showed before this view (its chosen
    /// source's `width` and `height`): until the camera moves, [`View::labels`] are that
    /// frame's, scaled, so the swap changes no label.
    pub fn set_prerendered(&mut self, width: f32, height: f32) {
        self.frame.set_prerendered(width, height);
    }

    /// The label text of post `index` (plain text).
    pub fn label_text(&self, index: u32) -> Option<String> {
        self.frame.label_text(index)
    }

    /// Releases the GPU device now (the element also drops the view; nothing to do in 2D).
    pub fn release(&self) {
        self.surface.release();
    }
}
