//! The orbit camera: where the eye is, and how world points map to the frame and back.
//!
//! Input-agnostic: it knows nothing of pointers, wheels or time. The web shell and the CLI turn
//! their input into [`Camera::orbit`], [`Camera::zoom`] and [`Camera::pan`] calls.
//!
//! # Conventions (wgpu's)
//! - World: right-handed, +y up. View space: the eye at the origin looking down -z, +x right,
//!   +y up. Clip space: `z` in `0..=1` (near plane at 0), `y` up in NDC.
//! - Screen: CSS pixels from the frame's top left, `y` down; device pixels are CSS pixels times
//!   the viewport's `dpr`.
//! - `depth`: the distance of a point in front of the eye along the view axis (view-space `-z`);
//!   positive in front, smaller is nearer.
//!
//! # Fit
//! [`Camera::fit`] and [`Camera::fit_2d`] depend on the bounding sphere and the frame's *aspect*
//! only, never on its size in pixels: the static frame and the live element show the same
//! picture at any size (docs/DESIGN.md, "Coordinates and frames").
//!
//! # Determinism
//! Every trigonometric function goes through `libm` (never std's, and never glam's projection
//! helpers, which call std), and screen projection uses plain `f32` arithmetic in a fixed order:
//! the same camera gives the same pixels natively and on wasm32. This module must never read a
//! clock or any input device.

use glam::{Mat4, Vec3, Vec4};

/// Vertical field of view of a fitted camera: 40 degrees.
pub const DEFAULT_FOV_Y_RAD: f32 = 0.698_131_7;

/// Yaw of a fitted 3D camera (about 34 degrees round +y): a three-quarter view.
pub const DEFAULT_YAW_RAD: f32 = 0.6;

/// Pitch of a fitted 3D camera (about 20 degrees above the horizon).
pub const DEFAULT_PITCH_RAD: f32 = 0.35;

/// Pitch is kept within +-this (about 85 degrees), so the view never flips over the pole.
pub const PITCH_LIMIT_RAD: f32 = 1.483_529_8;

/// The fitted bounding sphere fills at most 1 / this of the frame's shorter extent.
pub const FIT_MARGIN: f32 = 1.1;

/// Zooming in stops at the fitted distance divided by this.
pub const MAX_ZOOM_IN: f32 = 50.0;

/// Zooming out stops at the fitted distance times this.
pub const MAX_ZOOM_OUT: f32 = 5.0;

/// The clip planes enclose the scene's bounding sphere grown by this factor.
const CLIP_SLACK: f32 = 1.05;

/// The perspective near plane is never closer than this fraction of the far plane.
const MIN_NEAR_FRACTION: f32 = 1e-3;

/// How world points become frame points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// Perspective with [`Camera::fov_y_rad`] (the 3D view).
    Perspective,
    /// Parallel projection; the visible half-height is `distance * tan(fov_y / 2)`, so zooming
    /// (changing `distance`) works the same in both projections (the 2D view).
    Orthographic,
}

/// The frame the camera draws into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Width in CSS pixels.
    pub width_css: f32,
    /// Height in CSS pixels.
    pub height_css: f32,
    /// Device pixels per CSS pixel.
    pub dpr: f32,
}

impl Viewport {
    /// A viewport of `width_css` x `height_css` CSS pixels at `dpr` device pixels per CSS pixel.
    pub fn new(width_css: f32, height_css: f32, dpr: f32) -> Viewport {
        Viewport {
            width_css,
            height_css,
            dpr,
        }
    }

    /// Width over height; 1 for a degenerate viewport.
    pub fn aspect(&self) -> f32 {
        let aspect = self.width_css / self.height_css;
        if aspect.is_finite() && aspect > 0.0 {
            aspect
        } else {
            1.0
        }
    }

    /// Whether both sizes and the dpr are finite and positive.
    pub fn is_valid(&self) -> bool {
        [self.width_css, self.height_css, self.dpr]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }

    /// Width of the framebuffer in device pixels: `round(width_css * dpr)` (docs/DESIGN.md).
    pub fn width_device(&self) -> u32 {
        device_size(self.width_css, self.dpr)
    }

    /// Height of the framebuffer in device pixels: `round(height_css * dpr)` (docs/DESIGN.md).
    pub fn height_device(&self) -> u32 {
        device_size(self.height_css, self.dpr)
    }

    /// This viewport with its framebuffer at most `max_side` device pixels a side: itself when it
    /// fits, else at the largest dpr that fits, as long as that is at least `min_dpr` (a frame
    /// drawn at fewer device pixels, scaled up by the browser); `None` when even `min_dpr` does
    /// not fit, or the viewport is not valid. docs/DESIGN.md, "Size".
    pub fn fit_within(self, max_side: u32, min_dpr: f32) -> Option<Viewport> {
        if !self.is_valid() || max_side == 0 {
            return None;
        }
        if self.width_device() <= max_side && self.height_device() <= max_side {
            return Some(self);
        }
        // Half a pixel under the limit: round() of the longer side then stays within it.
        let longer = self.width_css.max(self.height_css);
        let dpr = (max_side as f32 - 0.5) / longer;
        let fitted = Viewport { dpr, ..self };
        (dpr >= min_dpr
            && fitted.width_device() <= max_side
            && fitted.height_device() <= max_side
            && fitted.width_device() > 0
            && fitted.height_device() > 0)
            .then_some(fitted)
    }
}

fn device_size(css: f32, dpr: f32) -> u32 {
    let device = (css * dpr).round();
    if device.is_finite() && device > 0.0 {
        device as u32
    } else {
        0
    }
}

/// A world point as seen in the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenPoint {
    /// CSS pixels from the frame's left edge.
    pub x_px: f32,
    /// CSS pixels from the frame's top edge (down is positive).
    pub y_px: f32,
    /// Distance in front of the eye along the view axis (view-space `-z`); smaller is nearer.
    pub depth: f32,
}

/// A half-line in world space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ray {
    /// Where it starts: the eye (perspective) or a point on the near plane (orthographic).
    pub origin: Vec3,
    /// Unit direction.
    pub direction: Vec3,
}

impl Ray {
    /// The point `t` world units along the ray.
    pub fn at(&self, t: f32) -> Vec3 {
        self.origin + self.direction * t
    }
}

/// An orbit camera: the eye sits `distance` from `target`, in the direction given by yaw (round
/// +y, from +z towards +x) and pitch (up from the horizontal plane), looking at `target`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// The point looked at and orbited round (world).
    pub target: Vec3,
    /// Rotation of the eye round the world +y axis through `target`; 0 puts the eye on +z.
    pub yaw_rad: f32,
    /// Elevation of the eye above the target's horizontal plane, within +-[`PITCH_LIMIT_RAD`].
    pub pitch_rad: f32,
    /// Distance from the eye to `target` (world units).
    pub distance: f32,
    /// Vertical field of view (also sets the orthographic scale, see [`Projection`]).
    pub fov_y_rad: f32,
    /// Perspective or orthographic.
    pub projection: Projection,
    /// Centre of the scene's bounding sphere (world); the clip planes enclose that sphere.
    pub bounds_centre: Vec3,
    /// Radius of the scene's bounding sphere (world units, > 0).
    pub bounds_radius: f32,
    /// [`Camera::zoom`] keeps `distance` at least this.
    pub min_distance: f32,
    /// [`Camera::zoom`] keeps `distance` at most this.
    pub max_distance: f32,
}

impl Camera {
    /// The perspective camera that shows the sphere (`bounds_centre`, `bounds_radius`) whole in
    /// a frame of the given width/height `aspect`, with [`FIT_MARGIN`] to spare, from the default
    /// three-quarter view. Depends on the aspect only, never on pixel sizes.
    pub fn fit(bounds_centre: Vec3, bounds_radius: f32, aspect: f32) -> Camera {
        let radius = sane_radius(bounds_radius);
        let aspect = sane_aspect(aspect);
        let fov_y_rad = DEFAULT_FOV_Y_RAD;
        // The sphere must fit the narrower of the two half-angles of the view cone.
        let tan_half_y = libm::tanf(fov_y_rad * 0.5);
        let tan_half_narrow = tan_half_y * aspect.min(1.0);
        let half_angle_rad = libm::atanf(tan_half_narrow);
        let distance = radius * FIT_MARGIN / libm::sinf(half_angle_rad);
        Camera::fitted(
            bounds_centre,
            radius,
            distance,
            DEFAULT_YAW_RAD,
            DEFAULT_PITCH_RAD,
            Projection::Perspective,
        )
    }

    /// The orthographic camera looking straight down -z at the z = 0 plane (+x right, +y up)
    /// that shows the disc (`bounds_centre`, `bounds_radius`) whole in a frame of the given
    /// `aspect`, with [`FIT_MARGIN`] to spare: the 2D view. Depends on the aspect only.
    pub fn fit_2d(bounds_centre: Vec3, bounds_radius: f32, aspect: f32) -> Camera {
        let radius = sane_radius(bounds_radius);
        let aspect = sane_aspect(aspect);
        let half_height = radius * FIT_MARGIN / aspect.min(1.0);
        let distance = half_height / libm::tanf(DEFAULT_FOV_Y_RAD * 0.5);
        Camera::fitted(
            bounds_centre,
            radius,
            distance,
            0.0,
            0.0,
            Projection::Orthographic,
        )
    }

    fn fitted(
        bounds_centre: Vec3,
        bounds_radius: f32,
        distance: f32,
        yaw_rad: f32,
        pitch_rad: f32,
        projection: Projection,
    ) -> Camera {
        Camera {
            target: bounds_centre,
            yaw_rad,
            pitch_rad,
            distance,
            fov_y_rad: DEFAULT_FOV_Y_RAD,
            projection,
            bounds_centre,
            bounds_radius,
            min_distance: distance / MAX_ZOOM_IN,
            max_distance: distance * MAX_ZOOM_OUT,
        }
    }

    /// Unit vector from the target towards the eye.
    pub fn backward(&self) -> Vec3 {
        let (sin_yaw, cos_yaw) = (libm::sinf(self.yaw_rad), libm::cosf(self.yaw_rad));
        let (sin_pitch, cos_pitch) = (libm::sinf(self.pitch_rad), libm::cosf(self.pitch_rad));
        Vec3::new(cos_pitch * sin_yaw, sin_pitch, cos_pitch * cos_yaw)
    }

    /// Unit vector the eye looks along.
    pub fn forward(&self) -> Vec3 {
        -self.backward()
    }

    /// Unit vector pointing to the frame's right (always horizontal).
    pub fn right(&self) -> Vec3 {
        Vec3::new(libm::cosf(self.yaw_rad), 0.0, -libm::sinf(self.yaw_rad))
    }

    /// Unit vector pointing to the frame's top.
    pub fn up(&self) -> Vec3 {
        self.backward().cross(self.right())
    }

    /// Where the eye is (world).
    pub fn eye(&self) -> Vec3 {
        self.target + self.backward() * self.distance
    }

    /// Half the visible height at the target's depth, in world units. For the orthographic
    /// projection this is the half-height of the whole view volume.
    pub fn half_height_world(&self) -> f32 {
        self.distance * libm::tanf(self.fov_y_rad * 0.5)
    }

    /// The near and far clip distances: they enclose the bounding sphere (slightly grown). The
    /// perspective near plane stays in front of the eye; the orthographic one may lie behind it.
    pub fn near_far(&self) -> (f32, f32) {
        let to_centre = (self.bounds_centre - self.eye()).length();
        let reach = sane_radius(self.bounds_radius) * CLIP_SLACK;
        let far = to_centre + reach;
        let near = to_centre - reach;
        match self.projection {
            Projection::Perspective => (near.max(far * MIN_NEAR_FRACTION), far),
            Projection::Orthographic => (near, far),
        }
    }

    /// The world -> view transform.
    pub fn view_from_world(&self) -> Mat4 {
        let (right, up, backward) = (self.right(), self.up(), self.backward());
        let eye = self.eye();
        Mat4::from_cols(
            Vec4::new(right.x, up.x, backward.x, 0.0),
            Vec4::new(right.y, up.y, backward.y, 0.0),
            Vec4::new(right.z, up.z, backward.z, 0.0),
            Vec4::new(-right.dot(eye), -up.dot(eye), -backward.dot(eye), 1.0),
        )
    }

    /// The view -> clip transform for a frame of the given width/height `aspect` (right-handed
    /// view space, clip z from 0 at the near plane to 1 at the far plane, y up).
    pub fn clip_from_view(&self, aspect: f32) -> Mat4 {
        let aspect = sane_aspect(aspect);
        let (near, far) = self.near_far();
        match self.projection {
            Projection::Perspective => {
                let focal = 1.0 / libm::tanf(self.fov_y_rad * 0.5);
                let range = near - far;
                Mat4::from_cols(
                    Vec4::new(focal / aspect, 0.0, 0.0, 0.0),
                    Vec4::new(0.0, focal, 0.0, 0.0),
                    Vec4::new(0.0, 0.0, far / range, -1.0),
                    Vec4::new(0.0, 0.0, near * far / range, 0.0),
                )
            }
            Projection::Orthographic => {
                let half_height = self.half_height_world();
                let range = far - near;
                Mat4::from_cols(
                    Vec4::new(1.0 / (half_height * aspect), 0.0, 0.0, 0.0),
                    Vec4::new(0.0, 1.0 / half_height, 0.0, 0.0),
                    Vec4::new(0.0, 0.0, -1.0 / range, 0.0),
                    Vec4::new(0.0, 0.0, -near / range, 1.0),
                )
            }
        }
    }

    /// The world -> clip transform: `clip_from_view(aspect) * view_from_world()`.
    pub fn clip_from_world(&self, aspect: f32) -> Mat4 {
        self.clip_from_view(aspect) * self.view_from_world()
    }

    /// The view-space position of a world point (the product with [`Camera::view_from_world`],
    /// in scalar arithmetic so that it does not depend on SIMD).
    pub fn view_from_world_point(&self, world: Vec3) -> Vec3 {
        let (right, up, backward) = (self.right(), self.up(), self.backward());
        let eye = self.eye();
        let row =
            |axis: Vec3| axis.x * world.x + axis.y * world.y + axis.z * world.z - axis.dot(eye);
        Vec3::new(row(right), row(up), row(backward))
    }

    /// Where a world point lands in the frame, or `None` when it lies outside the clip volume's
    /// depth range (behind the eye, nearer than the near plane or beyond the far plane) or the
    /// viewport is degenerate. Points beside the frame are returned (with coordinates outside it).
    pub fn world_to_screen(&self, world: Vec3, viewport: Viewport) -> Option<ScreenPoint> {
        if !viewport.is_valid() {
            return None;
        }
        let view = self.view_from_world_point(world);
        let depth = -view.z;
        let (near, far) = self.near_far();
        if !(depth >= near && depth <= far) {
            return None;
        }
        let aspect = viewport.aspect();
        let (ndc_x, ndc_y) = match self.projection {
            Projection::Perspective => {
                let focal = 1.0 / libm::tanf(self.fov_y_rad * 0.5);
                (view.x * (focal / aspect) / depth, view.y * focal / depth)
            }
            Projection::Orthographic => {
                let half_height = self.half_height_world();
                (view.x / (half_height * aspect), view.y / half_height)
            }
        };
        let point = ScreenPoint {
            x_px: (ndc_x + 1.0) * 0.5 * viewport.width_css,
            y_px: (1.0 - ndc_y) * 0.5 * viewport.height_css,
            depth,
        };
        (point.x_px.is_finite() && point.y_px.is_finite()).then_some(point)
    }

    /// CSS pixels per world unit at `depth` in front of the eye (the perspective focal length
    /// over the depth; constant for the orthographic projection).
    pub fn px_per_world(&self, depth: f32, viewport: Viewport) -> f32 {
        let half_height_px = viewport.height_css * 0.5;
        match self.projection {
            Projection::Perspective => {
                let focal_px = half_height_px / libm::tanf(self.fov_y_rad * 0.5);
                focal_px / depth
            }
            Projection::Orthographic => half_height_px / self.half_height_world(),
        }
    }

    /// The radius in CSS pixels of a sphere of `world_radius` whose centre lies at `depth`:
    /// focal length over depth (the disc the renderers draw, not the exact silhouette).
    pub fn radius_px(&self, world_radius: f32, depth: f32, viewport: Viewport) -> f32 {
        world_radius * self.px_per_world(depth, viewport)
    }

    /// The world ray through the CSS pixel position (`x_css`, `y_css`) of the frame.
    pub fn ray_in_world(&self, x_css: f32, y_css: f32, viewport: Viewport) -> Ray {
        let aspect = viewport.aspect();
        let ndc_x = 2.0 * x_css / viewport.width_css - 1.0;
        let ndc_y = 1.0 - 2.0 * y_css / viewport.height_css;
        let (right, up, forward) = (self.right(), self.up(), self.forward());
        match self.projection {
            Projection::Perspective => {
                let tan_half_y = libm::tanf(self.fov_y_rad * 0.5);
                let direction =
                    forward + right * (ndc_x * tan_half_y * aspect) + up * (ndc_y * tan_half_y);
                Ray {
                    origin: self.eye(),
                    direction: direction.normalize(),
                }
            }
            Projection::Orthographic => {
                let half_height = self.half_height_world();
                let (near, _) = self.near_far();
                let origin = self.eye()
                    + right * (ndc_x * half_height * aspect)
                    + up * (ndc_y * half_height)
                    + forward * near;
                Ray {
                    origin,
                    direction: forward,
                }
            }
        }
    }

    /// Turns the eye round the target: `d_yaw_rad` round the world +y axis, `d_pitch_rad`
    /// upwards. Pitch stays within +-[`PITCH_LIMIT_RAD`]; yaw is kept in `-pi..=pi`.
    /// Non-finite inputs are ignored.
    pub fn orbit(&mut self, d_yaw_rad: f32, d_pitch_rad: f32) {
        if d_yaw_rad.is_finite() {
            let yaw = self.yaw_rad + d_yaw_rad;
            let turns = (yaw / std::f32::consts::TAU).round();
            self.yaw_rad = yaw - turns * std::f32::consts::TAU;
        }
        if d_pitch_rad.is_finite() {
            self.pitch_rad = (self.pitch_rad + d_pitch_rad)
                .max(-PITCH_LIMIT_RAD)
                .min(PITCH_LIMIT_RAD);
        }
    }

    /// Zooms by `factor` (> 1 brings the eye closer: `distance / factor`), within
    /// [`Camera::min_distance`]..=[`Camera::max_distance`]. Non-finite or non-positive factors
    /// are ignored.
    pub fn zoom(&mut self, factor: f32) {
        if factor.is_finite() && factor > 0.0 {
            let distance = self.distance / factor;
            self.distance = distance.max(self.min_distance).min(self.max_distance);
        }
    }

    /// Zooms by `factor` as [`Camera::zoom`] does, about the CSS pixel (`x_px`, `y_px`) instead
    /// of the frame's centre: what lies there at the target's depth stays under it (a pinch's
    /// midpoint, a wheel's pointer), as far as the clamp lets the zoom go.
    pub fn zoom_at(&mut self, factor: f32, x_px: f32, y_px: f32, viewport: Viewport) {
        let before = self.distance;
        self.zoom(factor);
        if !x_px.is_finite() || !y_px.is_finite() || !viewport.is_valid() {
            return;
        }
        // Points at the target's depth moved away from the centre by the applied factor.
        let applied = before / self.distance;
        let (dx, dy) = (
            x_px - viewport.width_css * 0.5,
            y_px - viewport.height_css * 0.5,
        );
        self.pan((1.0 - applied) * dx, (1.0 - applied) * dy, viewport);
    }

    /// Drags the scene by (`dx_px`, `dy_px`) CSS pixels (y down): points at the target's depth
    /// follow the pointer exactly. Moves the target (and the eye with it) in the view plane.
    pub fn pan(&mut self, dx_px: f32, dy_px: f32, viewport: Viewport) {
        if !viewport.is_valid() || !dx_px.is_finite() || !dy_px.is_finite() {
            return;
        }
        let world_per_px = 1.0 / self.px_per_world(self.distance, viewport);
        self.target += self.right() * (-dx_px * world_per_px) + self.up() * (dy_px * world_per_px);
    }
}

fn sane_radius(radius: f32) -> f32 {
    if radius.is_finite() && radius > 0.0 {
        radius
    } else {
        1.0
    }
}

fn sane_aspect(aspect: f32) -> f32 {
    if aspect.is_finite() && aspect > 0.0 {
        aspect
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWPORT: Viewport = Viewport {
        width_css: 1200.0,
        height_css: 675.0,
        dpr: 1.0,
    };

    fn close(a: f32, b: f32, tolerance: f32) -> bool {
        (a - b).abs() <= tolerance
    }

    fn cameras() -> Vec<Camera> {
        let centre = Vec3::new(3.0, -2.0, 5.0);
        let mut turned = Camera::fit(centre, 40.0, VIEWPORT.aspect());
        turned.orbit(2.5, -0.9);
        turned.pan(40.0, -25.0, VIEWPORT);
        let mut flat_turned = Camera::fit_2d(centre, 40.0, VIEWPORT.aspect());
        flat_turned.orbit(0.4, 0.3);
        vec![
            Camera::fit(centre, 40.0, VIEWPORT.aspect()),
            Camera::fit_2d(centre, 40.0, VIEWPORT.aspect()),
            turned,
            flat_turned,
        ]
    }

    #[test]
    fn target_lands_in_the_frame_centre() {
        for camera in cameras() {
            let p = camera.world_to_screen(camera.target, VIEWPORT);
            let p = p.expect("target projects");
            assert!(close(p.x_px, 600.0, 1e-3), "{p:?}");
            assert!(close(p.y_px, 337.5, 1e-3), "{p:?}");
            assert!(
                close(p.depth, camera.distance, camera.distance * 1e-5),
                "{p:?}"
            );
        }
    }

    #[test]
    fn basis_is_orthonormal_and_right_handed() {
        for camera in cameras() {
            let (r, u, f) = (camera.right(), camera.up(), camera.forward());
            for v in [r, u, f] {
                assert!(close(v.length(), 1.0, 1e-6));
            }
            assert!(close(r.dot(u), 0.0, 1e-6) && close(r.dot(f), 0.0, 1e-6));
            assert!(close(u.dot(f), 0.0, 1e-6));
            // Right x up = backward in a right-handed frame.
            assert!(r.cross(u).distance(-f) < 1e-5);
        }
    }

    #[test]
    fn screen_directions() {
        let camera = Camera::fit_2d(Vec3::ZERO, 10.0, VIEWPORT.aspect());
        let centre = camera
            .world_to_screen(Vec3::ZERO, VIEWPORT)
            .expect("centre");
        let right = camera.world_to_screen(Vec3::X, VIEWPORT).expect("right");
        let up = camera.world_to_screen(Vec3::Y, VIEWPORT).expect("up");
        assert!(right.x_px > centre.x_px && close(right.y_px, centre.y_px, 1e-3));
        assert!(up.y_px < centre.y_px && close(up.x_px, centre.x_px, 1e-3));
    }

    #[test]
    fn matrices_agree_with_world_to_screen() {
        let points = [
            Vec3::new(3.0, -2.0, 5.0),
            Vec3::new(30.0, 10.0, -12.0),
            Vec3::new(-20.0, 25.0, 30.0),
            Vec3::new(0.0, 0.0, 0.0),
        ];
        for camera in cameras() {
            let clip_from_world = camera.clip_from_world(VIEWPORT.aspect());
            let view_from_world = camera.view_from_world();
            for world in points {
                let Some(p) = camera.world_to_screen(world, VIEWPORT) else {
                    continue;
                };
                let clip = clip_from_world * world.extend(1.0);
                let ndc = clip.truncate() / clip.w;
                let x_px = (ndc.x + 1.0) * 0.5 * VIEWPORT.width_css;
                let y_px = (1.0 - ndc.y) * 0.5 * VIEWPORT.height_css;
                assert!(
                    close(x_px, p.x_px, 1e-2) && close(y_px, p.y_px, 1e-2),
                    "{p:?}"
                );
                let view = view_from_world * world.extend(1.0);
                assert!(close(-view.z, p.depth, 1e-3), "{p:?} {view}");
                let scalar = camera.view_from_world_point(world);
                assert!(scalar.distance(view.truncate()) < 1e-3);
            }
        }
    }

    #[test]
    fn clip_z_spans_zero_to_one_between_near_and_far() {
        for camera in cameras() {
            let (near, far) = camera.near_far();
            assert!(near < far);
            let clip_from_world = camera.clip_from_world(VIEWPORT.aspect());
            let mut last = -1.0;
            for step in 0..=20 {
                let depth = near + (far - near) * step as f32 / 20.0;
                let world = camera.eye() + camera.forward() * depth + camera.right() * 0.5;
                let clip = clip_from_world * world.extend(1.0);
                let z = clip.z / clip.w;
                assert!((-1e-5..=1.0 + 1e-5).contains(&z), "depth {depth}: z {z}");
                assert!(z > last, "z grows with depth");
                last = z;
                if step == 0 {
                    assert!(close(z, 0.0, 1e-4), "near plane at 0: {z}");
                }
                if step == 20 {
                    assert!(close(z, 1.0, 1e-4), "far plane at 1: {z}");
                }
            }
        }
    }

    #[test]
    fn clip_planes_enclose_the_bounds() {
        for camera in cameras() {
            let (near, far) = camera.near_far();
            for axis in [Vec3::X, Vec3::Y, Vec3::Z, -Vec3::X, -Vec3::Y, -Vec3::Z] {
                let world = camera.bounds_centre + axis * camera.bounds_radius;
                let depth = -camera.view_from_world_point(world).z;
                assert!(depth > near && depth < far);
            }
        }
    }

    #[test]
    fn fit_depends_on_aspect_only() {
        let centre = Vec3::new(1.0, 2.0, 3.0);
        let world = Vec3::new(20.0, -9.0, 4.0);
        for fit in [Camera::fit, Camera::fit_2d] {
            let small = Viewport::new(320.0, 180.0, 1.0);
            let large = Viewport::new(1920.0, 1080.0, 2.0);
            let a = fit(centre, 30.0, small.aspect());
            let b = fit(centre, 30.0, large.aspect());
            assert_eq!(a, b);
            let pa = a.world_to_screen(world, small).expect("projects");
            let pb = b.world_to_screen(world, large).expect("projects");
            assert!(close(
                pa.x_px / small.width_css,
                pb.x_px / large.width_css,
                1e-5
            ));
            assert!(close(
                pa.y_px / small.height_css,
                pb.y_px / large.height_css,
                1e-5
            ));
            let ra = a.radius_px(1.0, pa.depth, small) / small.height_css;
            let rb = b.radius_px(1.0, pb.depth, large) / large.height_css;
            assert!(close(ra, rb, 1e-6));
        }
    }

    #[test]
    fn fit_shows_the_whole_sphere() {
        for aspect in [16.0 / 9.0, 1.0, 9.0 / 16.0, 3.0, 0.25] {
            let viewport = Viewport::new(1000.0 * aspect, 1000.0, 1.0);
            for fit in [Camera::fit, Camera::fit_2d] {
                let camera = fit(Vec3::new(5.0, 5.0, 5.0), 50.0, aspect);
                // Points on the sphere in many directions (a Fibonacci sphere).
                for i in 0..500 {
                    let z = 1.0 - 2.0 * (i as f32 + 0.5) / 500.0;
                    let ring = (1.0 - z * z).sqrt();
                    let angle = i as f32 * 2.399_963;
                    let dir = Vec3::new(ring * libm::cosf(angle), ring * libm::sinf(angle), z);
                    let world = camera.bounds_centre + dir * 50.0;
                    let p = camera
                        .world_to_screen(world, viewport)
                        .expect("in depth range");
                    let (w, h) = (viewport.width_css, viewport.height_css);
                    assert!(
                        p.x_px > 0.0 && p.x_px < w && p.y_px > 0.0 && p.y_px < h,
                        "{p:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn ray_passes_through_its_pixel() {
        for camera in cameras() {
            for (x, y) in [(0.0, 0.0), (600.0, 337.5), (1100.0, 50.0), (13.5, 600.25)] {
                let ray = camera.ray_in_world(x, y, VIEWPORT);
                assert!(close(ray.direction.length(), 1.0, 1e-5));
                // The point of the ray at the target's depth.
                let origin_depth = -camera.view_from_world_point(ray.origin).z;
                let t = (camera.distance - origin_depth) / ray.direction.dot(camera.forward());
                let world = ray.at(t);
                let p = camera.world_to_screen(world, VIEWPORT).expect("projects");
                assert!(
                    close(p.x_px, x, 1e-2) && close(p.y_px, y, 1e-2),
                    "{p:?} {x} {y}"
                );
            }
        }
    }

    #[test]
    fn orbit_clamps_pitch_and_wraps_yaw() {
        let mut camera = Camera::fit(Vec3::ZERO, 10.0, 1.0);
        camera.orbit(0.0, 10.0);
        assert_eq!(camera.pitch_rad, PITCH_LIMIT_RAD);
        camera.orbit(0.0, -20.0);
        assert_eq!(camera.pitch_rad, -PITCH_LIMIT_RAD);
        camera.orbit(100.0, f32::NAN);
        assert!(camera.yaw_rad.abs() <= std::f32::consts::PI + 1e-6);
        assert_eq!(camera.pitch_rad, -PITCH_LIMIT_RAD);
        let eye_distance = camera.eye().distance(camera.target);
        assert!(close(eye_distance, camera.distance, 1e-3));
    }

    #[test]
    fn zoom_is_clamped() {
        let mut camera = Camera::fit(Vec3::ZERO, 10.0, 1.0);
        let fitted = camera.distance;
        camera.zoom(2.0);
        assert!(close(camera.distance, fitted / 2.0, 1e-4));
        camera.zoom(1e9);
        assert_eq!(camera.distance, camera.min_distance);
        camera.zoom(1e-9);
        assert_eq!(camera.distance, camera.max_distance);
        let before = camera;
        camera.zoom(0.0);
        camera.zoom(f32::INFINITY);
        camera.zoom(-2.0);
        assert_eq!(camera, before);
    }

    #[test]
    fn zoom_at_keeps_the_point_under_the_pointer() {
        for mut camera in cameras() {
            let anchor = camera.target + camera.right() * 3.0 - camera.up() * 2.0;
            let before = camera.world_to_screen(anchor, VIEWPORT).expect("projects");
            camera.zoom_at(2.5, before.x_px, before.y_px, VIEWPORT);
            let after = camera.world_to_screen(anchor, VIEWPORT).expect("projects");
            assert!(close(after.x_px, before.x_px, 1e-2), "{before:?} {after:?}");
            assert!(close(after.y_px, before.y_px, 1e-2), "{before:?} {after:?}");
            // Clamped, the point still stays.
            camera.zoom_at(1e9, before.x_px, before.y_px, VIEWPORT);
            let clamped = camera.world_to_screen(anchor, VIEWPORT).expect("projects");
            assert!(
                close(clamped.x_px, before.x_px, 1e-1),
                "{before:?} {clamped:?}"
            );
        }
    }

    #[test]
    fn pan_follows_the_pointer() {
        for mut camera in cameras() {
            let anchor = camera.target + camera.right() * 3.0 - camera.up() * 2.0;
            let before = camera.world_to_screen(anchor, VIEWPORT).expect("projects");
            camera.pan(37.0, -12.0, VIEWPORT);
            let after = camera.world_to_screen(anchor, VIEWPORT).expect("projects");
            assert!(
                close(after.x_px - before.x_px, 37.0, 1e-2),
                "{before:?} {after:?}"
            );
            assert!(
                close(after.y_px - before.y_px, -12.0, 1e-2),
                "{before:?} {after:?}"
            );
        }
    }

    #[test]
    fn behind_the_eye_does_not_project() {
        let camera = Camera::fit(Vec3::ZERO, 10.0, 1.0);
        let behind = camera.eye() + camera.backward() * 5.0;
        assert_eq!(camera.world_to_screen(behind, VIEWPORT), None);
        let degenerate = Viewport::new(0.0, 100.0, 1.0);
        assert_eq!(camera.world_to_screen(Vec3::ZERO, degenerate), None);
    }

    #[test]
    fn perspective_radius_is_focal_over_depth() {
        let camera = Camera::fit(Vec3::ZERO, 10.0, VIEWPORT.aspect());
        let focal_px = 337.5 / libm::tanf(camera.fov_y_rad * 0.5);
        assert!(close(
            camera.radius_px(2.0, 40.0, VIEWPORT),
            2.0 * focal_px / 40.0,
            1e-3
        ));
        // A small offset at the target's depth moves the projection by radius_px.
        let p = camera
            .world_to_screen(camera.target, VIEWPORT)
            .expect("projects");
        let q = camera
            .world_to_screen(camera.target + camera.right() * 0.5, VIEWPORT)
            .expect("projects");
        assert!(close(
            q.x_px - p.x_px,
            camera.radius_px(0.5, p.depth, VIEWPORT),
            1e-2
        ));
    }

    #[test]
    fn device_sizes_round() {
        let viewport = Viewport::new(1200.0, 675.0, 1.5);
        assert_eq!(
            (viewport.width_device(), viewport.height_device()),
            (1800, 1013)
        );
        assert_eq!(Viewport::new(-1.0, f32::NAN, 1.0).width_device(), 0);
    }

    #[test]
    fn fit_within_lowers_the_dpr_down_to_the_floor() {
        let fits = Viewport::new(4000.0, 300.0, 2.0);
        assert_eq!(fits.fit_within(8192, 1.0), Some(fits));
        // 5000 CSS px at dpr 2 is 10,000 device px: drawn at dpr 1.638 instead.
        let wide = Viewport::new(5000.0, 300.0, 2.0)
            .fit_within(8192, 1.0)
            .expect("fits at a lower dpr");
        assert!((8191..=8192).contains(&wide.width_device()), "{wide:?}");
        assert!(wide.dpr < 2.0 && wide.dpr > 1.6, "{}", wide.dpr);
        assert_eq!((wide.width_css, wide.height_css), (5000.0, 300.0));
        // Tall frames are limited by their height.
        let tall = Viewport::new(300.0, 9000.0, 1.0)
            .fit_within(16384, 0.0)
            .expect("fits as it is");
        assert_eq!(tall, Viewport::new(300.0, 9000.0, 1.0));
        // Under the floor: no fit.
        assert_eq!(
            Viewport::new(8300.0, 100.0, 1.0).fit_within(8192, 1.0),
            None
        );
        assert_eq!(
            Viewport::new(8300.0, 100.0, 1.0)
                .fit_within(8192, 0.5)
                .map(|v| v.width_device()),
            Some(8192)
        );
        // Every side length up to far past the limit lands on it, never over.
        for side in (8193..40_000).step_by(7) {
            let v = Viewport::new(side as f32, 10.0, 1.0)
                .fit_within(8192, 0.0)
                .expect("fits at a lower dpr");
            assert!(
                v.width_device() <= 8192 && v.width_device() >= 8191,
                "{side}: {v:?}"
            );
        }
        assert_eq!(
            Viewport::new(f32::NAN, 1.0, 1.0).fit_within(8192, 0.0),
            None
        );
    }
}
