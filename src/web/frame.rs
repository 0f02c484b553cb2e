//! What the 3D and the 2D view share: the scene, the camera the pointer moves, the frame size and
//! theme, and the frame on screen with its projection (for picking on the CPU, screen positions,
//! labels and arrow keys). [`View`](super::View) keeps one beside its surface and answers most of
//! its methods here.

use glam::Vec3;

use crate::camera::{Camera, Viewport};
use crate::export::labels::{LABEL_FONT_PX, place_labels};
use crate::picking::ScreenProjection;
use crate::scene::Scene;
use crate::style::Theme;

use super::Pick;
use super::view::{Label, ScreenPosition};

/// The dark (`true`) or light theme: how the element names a theme.
pub(crate) fn theme(dark: bool) -> Theme {
    if dark { Theme::Dark } else { Theme::Light }
}

/// A view's scene, camera and the frame on screen.
pub(crate) struct LiveFrame {
    pub(crate) scene: Scene,
    pub(crate) camera: Camera,
    home: Camera,
    /// Whether the visitor moved the camera (until then it follows the frame's aspect).
    touched: bool,
    pub(crate) viewport: Viewport,
    pub(crate) theme: Theme,
    /// The camera and viewport of the frame on screen, and its projection (made on demand).
    shown: Option<(Camera, Viewport)>,
    projection: Option<ScreenProjection>,
    /// The size (CSS px) of the prerendered frame the page showed before this view, when it
    /// has this view's aspect: at the first frame's camera the labels are placed as in it.
    prerendered: Option<Viewport>,
}

impl LiveFrame {
    /// The scene's first frame in `viewport`: the fit of the prerendered frame, only scaled.
    pub(crate) fn new(scene: Scene, viewport: Viewport, dark: bool) -> LiveFrame {
        let home = crate::site::first_camera(&scene, viewport);
        LiveFrame {
            scene,
            camera: home,
            home,
            touched: false,
            viewport,
            theme: theme(dark),
            shown: None,
            projection: None,
            prerendered: None,
        }
    }

    /// The size (CSS px) of the prerendered frame the page showed (the chosen `<source>`'s
    /// `width` and `height`). Until the camera moves, the labels are then those of that frame,
    /// placed at its size and scaled to this one, as the static overlay's are: the swap
    /// changes no label, even in an element narrower or wider than the frame.
    pub(crate) fn set_prerendered(&mut self, width: f32, height: f32) {
        let frame = Viewport::new(width, height, 1.0);
        self.prerendered = frame.is_valid().then_some(frame);
    }

    /// A new frame size; the camera stays fitted until the visitor moves it.
    pub(crate) fn resize(&mut self, viewport: Viewport) {
        self.home = crate::site::first_camera(&self.scene, viewport);
        if !self.touched {
            self.camera = self.home;
        }
        self.viewport = viewport;
    }

    /// Records that the current camera and viewport are now on screen; `projection`, when the
    /// renderer made one of that frame, is kept (otherwise it is made on demand).
    pub(crate) fn show(&mut self, projection: Option<ScreenProjection>) {
        let shown = (self.camera, self.viewport);
        if projection.is_some() || self.shown != Some(shown) {
            self.projection = projection;
        }
        self.shown = Some(shown);
    }

    /// The camera and viewport of the frame on screen.
    #[cfg(feature = "render")]
    pub(crate) fn shown(&self) -> Option<(Camera, Viewport)> {
        self.shown
    }

    /// The frame on screen projected, made on first use.
    pub(crate) fn projection(&mut self) -> Option<&ScreenProjection> {
        let (camera, viewport) = self.shown?;
        if self.projection.is_none() {
            self.projection = Some(ScreenProjection::new(&self.scene, &camera, viewport));
        }
        self.projection.as_ref()
    }

    #[cfg(feature = "render")]
    pub(crate) fn orbit(&mut self, d_yaw_rad: f32, d_pitch_rad: f32) {
        self.camera.orbit(d_yaw_rad, d_pitch_rad);
        self.touched = true;
    }

    pub(crate) fn zoom_at(&mut self, factor: f32, x: f32, y: f32) {
        self.camera.zoom_at(factor, x, y, self.viewport);
        self.touched = true;
    }

    pub(crate) fn pan(&mut self, dx: f32, dy: f32) {
        self.camera.pan(dx, dy, self.viewport);
        self.touched = true;
    }

    pub(crate) fn reset_camera(&mut self) {
        self.camera = self.home;
        self.touched = false;
    }

    /// Centres the camera on post `index` (at once: nothing is animated).
    pub(crate) fn focus(&mut self, index: u32) {
        if let Some(node) = self.scene.nodes.get(index as usize) {
            let target = Vec3::from_array(node.position);
            if target.is_finite() {
                self.camera.target = target;
                self.touched = true;
            }
        }
    }

    pub(crate) fn set_dark(&mut self, dark: bool) {
        self.theme = theme(dark);
    }

    /// Where post `index` is in the frame on screen.
    pub(crate) fn screen_position(&mut self, index: u32) -> Option<ScreenPosition> {
        let node = self.projection()?.nodes().get(index as usize)?;
        Some(ScreenPosition {
            x: node.x_px,
            y: node.y_px,
            r: node.r_px,
            visible: node.visible,
        })
    }

    /// The post nearest to post `from` in direction (`dx`, `dy`) on screen, or the visible post
    /// nearest the centre when `from` is -1; [`Pick::None`] when there is none.
    pub(crate) fn neighbour(&mut self, from: i32, dx: f32, dy: f32) -> i32 {
        Pick::answer(
            self.projection()
                .and_then(|p| p.neighbour(u32::try_from(from).ok(), dx, dy)),
        )
    }

    /// The labels of the frame on screen, placed as the static frame's are, most important
    /// first; those of posts the filter dims are left out (the others keep their places).
    pub(crate) fn labels(&mut self) -> Vec<Label> {
        let mut labels = self.placed_labels();
        labels.retain(|l| {
            !self
                .scene
                .nodes
                .get(l.index as usize)
                .is_some_and(|n| n.dimmed)
        });
        labels
    }

    fn placed_labels(&mut self) -> Vec<Label> {
        if self.projection().is_none() {
            return Vec::new();
        }
        if let Some(labels) = self.prerendered_labels() {
            return labels;
        }
        let Some(projection) = self.projection.as_ref() else {
            return Vec::new();
        };
        place_labels(&self.scene, projection, LABEL_FONT_PX)
            .iter()
            .map(|l| Label {
                index: l.index,
                x: l.x_px,
                y: l.y_px,
            })
            .collect()
    }

    /// The prerendered frame's labels scaled to the frame on screen, while that shows the first
    /// frame's camera in the prerendered frame's aspect (within 1%).
    fn prerendered_labels(&self) -> Option<Vec<Label>> {
        let frame = self.prerendered?;
        let viewport = self.viewport;
        let aspect = frame.aspect() / viewport.aspect();
        if self.touched
            || self.shown != Some((self.home, viewport))
            || !(0.99..=1.01).contains(&aspect)
        {
            return None;
        }
        let camera = crate::site::first_camera(&self.scene, frame);
        let projection = ScreenProjection::new(&self.scene, &camera, frame);
        let (sx, sy) = (
            viewport.width_css / frame.width_css,
            viewport.height_css / frame.height_css,
        );
        Some(
            place_labels(&self.scene, &projection, LABEL_FONT_PX)
                .iter()
                .map(|l| Label {
                    index: l.index,
                    x: l.x_px * sx,
                    y: l.y_px * sy,
                })
                .collect(),
        )
    }

    /// The label text of post `index` (plain text).
    pub(crate) fn label_text(&self, index: u32) -> Option<String> {
        let node = self.scene.nodes.get(index as usize)?;
        node.label.as_ref().map(|l| l.text.clone())
    }
}
