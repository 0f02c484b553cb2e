//! The frame uniforms (group 0, binding 0 of both shaders; `shaders/BINDINGS.md`): what every
//! pipeline reads about the frame (camera, frame size, theme colours, edge widths and fade).
//!
//! The projection is packed from the same quantities, computed the same way, as
//! [`Camera::world_to_screen`] and [`Camera::px_per_world`], so the GPU puts each post where the
//! CPU picker expects it. Edge widths and the crowding fade are [`crate::style`]'s, as every
//! other renderer draws them.

use bytemuck::{Pod, Zeroable};

use crate::camera::{Camera, Projection, Viewport};
use crate::picking::MIN_HIT_RADIUS_PX;
use crate::style::{LINK_EDGE_WIDTH_PX, Rgba8, TAG_EDGE_WIDTH_PX, ThemeColours, edge_alpha_scale};

/// The frame uniforms. All `vec4`s, so the layout is the same under WGSL's uniform rules and
/// std140 (WebGL2).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub(crate) struct FrameUniforms {
    pub(crate) view_from_world: [[f32; 4]; 4],
    pub(crate) projection: [f32; 4],
    pub(crate) viewport: [f32; 4],
    pub(crate) framebuffer: [f32; 4],
    pub(crate) link_colour: [f32; 4],
    pub(crate) tag_colour: [f32; 4],
    pub(crate) hover_colour: [f32; 4],
    pub(crate) selection_colour: [f32; 4],
    pub(crate) focus_colour: [f32; 4],
    pub(crate) background: [f32; 4],
    pub(crate) edges: [f32; 4],
    pub(crate) output: [f32; 4],
}

/// An 8-bit sRGB colour as sRGB-encoded floats in 0..=1 (alpha likewise).
pub(crate) fn srgb_unit(colour: Rgba8) -> [f32; 4] {
    colour.map(|c| f32::from(c) / 255.0)
}

impl FrameUniforms {
    pub(crate) fn new(
        camera: &Camera,
        viewport: Viewport,
        colours: &ThemeColours,
        edge_count: usize,
        encode_srgb: bool,
    ) -> FrameUniforms {
        let aspect = viewport.aspect();
        let half_height_css = viewport.height_css * 0.5;
        // The same quantities, computed the same way, as `Camera::world_to_screen` and
        // `Camera::px_per_world`.
        let projection = match camera.projection {
            Projection::Perspective => {
                let tan_half_y = libm::tanf(camera.fov_y_rad * 0.5);
                let focal = 1.0 / tan_half_y;
                [focal / aspect, focal, 1.0, half_height_css / tan_half_y]
            }
            Projection::Orthographic => {
                let half_height = camera.half_height_world();
                [
                    1.0 / (half_height * aspect),
                    1.0 / half_height,
                    0.0,
                    half_height_css / half_height,
                ]
            }
        };
        let (near, far) = camera.near_far();
        FrameUniforms {
            view_from_world: camera.view_from_world().to_cols_array_2d(),
            projection,
            viewport: [
                viewport.width_css,
                viewport.height_css,
                viewport.dpr,
                MIN_HIT_RADIUS_PX,
            ],
            framebuffer: [
                viewport.width_device() as f32,
                viewport.height_device() as f32,
                near,
                far,
            ],
            link_colour: srgb_unit(colours.link_edge),
            tag_colour: srgb_unit(colours.tag_edge),
            hover_colour: srgb_unit(colours.hover_outline),
            selection_colour: srgb_unit(colours.selection_outline),
            focus_colour: srgb_unit(colours.focus_outline),
            background: srgb_unit(colours.background),
            edges: [
                LINK_EDGE_WIDTH_PX,
                TAG_EDGE_WIDTH_PX,
                edge_alpha_scale(edge_count, camera, viewport),
                0.0,
            ],
            output: [if encode_srgb { 1.0 } else { 0.0 }, 0.0, 0.0, 0.0],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Theme;
    use glam::Vec3;

    #[test]
    fn uniforms_are_whole_vec4s() {
        assert_eq!(size_of::<FrameUniforms>(), 64 + 11 * 16);
        assert_eq!(size_of::<FrameUniforms>() % 16, 0);
    }

    #[test]
    fn uniforms_reproduce_the_cpu_projection() {
        let viewport = Viewport::new(1200.0, 675.0, 1.5);
        for camera in [
            Camera::fit(Vec3::new(3.0, 1.0, -2.0), 50.0, viewport.aspect()),
            Camera::fit_2d(Vec3::new(3.0, 1.0, 0.0), 50.0, viewport.aspect()),
        ] {
            let u = FrameUniforms::new(&camera, viewport, Theme::Dark.colours(), 10, true);
            let view_from_world = glam::Mat4::from_cols_array_2d(&u.view_from_world);
            for world in [Vec3::new(10.0, -5.0, 7.0), Vec3::new(-30.0, 20.0, 0.0)] {
                let expected = camera.world_to_screen(world, viewport).expect("projects");
                let view = (view_from_world * world.extend(1.0)).truncate();
                let depth = -view.z;
                let over = if u.projection[2] > 0.5 { depth } else { 1.0 };
                let ndc_x = view.x * u.projection[0] / over;
                let ndc_y = view.y * u.projection[1] / over;
                let x = (ndc_x + 1.0) * 0.5 * u.viewport[0];
                let y = (1.0 - ndc_y) * 0.5 * u.viewport[1];
                assert!((x - expected.x_px).abs() < 1e-3, "{x} {expected:?}");
                assert!((y - expected.y_px).abs() < 1e-3, "{y} {expected:?}");
                let r = 2.0 * (u.projection[3] / over);
                let expected_r = camera.radius_px(2.0, expected.depth, viewport);
                assert!(
                    (r - expected_r).abs() < 1e-4 * expected_r,
                    "{r} {expected_r}"
                );
            }
            assert_eq!(u.framebuffer[..2], [1800.0, 1013.0]);
        }
    }

    #[test]
    fn edge_widths_are_the_shared_ones() {
        let viewport = Viewport::new(1200.0, 675.0, 1.0);
        let camera = Camera::fit(Vec3::ZERO, 50.0, viewport.aspect());
        let u = FrameUniforms::new(&camera, viewport, Theme::Light.colours(), 10, true);
        assert_eq!(u.edges[..2], [LINK_EDGE_WIDTH_PX, TAG_EDGE_WIDTH_PX]);
    }
}
