//! The [`Renderer`]: long-lived pipelines for one device, target format and sample count, fed
//! once per frame.
//!
//! [`Renderer::prepare`] turns a scene, camera, viewport, theme and highlight into GPU buffers
//! (the frame uniforms, the edge and post instances) and uploads them; [`Renderer::render`] and
//! [`Renderer::render_picking`] only record draws into a pass the caller opened. Nothing here
//! creates textures, waits for the GPU or touches a window or canvas: the headless renderer and
//! the browser each own their targets.

use bytemuck::{Pod, Zeroable};

use super::edges::{self, EdgeRenderer};
use super::nodes::NodeRenderer;
use crate::camera::{Camera, Projection, Viewport};
use crate::picking::MIN_HIT_RADIUS_PX;
use crate::scene::{Mode, Scene};
use crate::style::{Rgba8, Theme, linear_from_srgb};

/// The sample count of the visible pass (MSAA, resolved into the target).
pub const SAMPLE_COUNT: u32 = 4;

/// The pick pass's colour format: one id per pixel, 0 for nothing.
pub const PICK_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::R32Uint;

/// The pick pass's depth format.
pub const PICK_DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;

/// Which posts wear an outline ring. Indices are post indices (id order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Highlight {
    /// The post under the pointer.
    pub hovered: Option<u32>,
    /// The selected post.
    pub selected: Option<u32>,
    /// The post with keyboard focus.
    pub focused: Option<u32>,
}

/// The frame uniforms (group 0, binding 0 of both shaders; BINDINGS.md). All `vec4`s, so the
/// layout is the same under WGSL's uniform rules and std140 (WebGL2).
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

/// Link edge width, CSS px.
const LINK_WIDTH_CSS: f32 = 1.0;

/// Tag edge width, CSS px (thinner than links).
const TAG_WIDTH_CSS: f32 = 0.7;

fn srgb_unit(colour: Rgba8) -> [f32; 4] {
    colour.map(|c| f32::from(c) / 255.0)
}

impl FrameUniforms {
    pub(crate) fn new(
        camera: &Camera,
        viewport: Viewport,
        theme: Theme,
        edge_count: usize,
        encode_srgb: bool,
    ) -> FrameUniforms {
        let colours = theme.colours();
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
                LINK_WIDTH_CSS,
                TAG_WIDTH_CSS,
                edges::alpha_scale(edge_count, camera, viewport),
                0.0,
            ],
            output: [if encode_srgb { 1.0 } else { 0.0 }, 0.0, 0.0, 0.0],
        }
    }
}

/// A GPU buffer that grows (to the next power of two) when the data outgrows it.
#[derive(Debug)]
pub(crate) struct GrowBuffer {
    label: &'static str,
    usage: wgpu::BufferUsages,
    buffer: wgpu::Buffer,
}

impl GrowBuffer {
    pub(crate) fn new(
        device: &wgpu::Device,
        label: &'static str,
        usage: wgpu::BufferUsages,
    ) -> Self {
        let usage = usage | wgpu::BufferUsages::COPY_DST;
        let buffer = Self::create(device, label, usage, 1024);
        GrowBuffer {
            label,
            usage,
            buffer,
        }
    }

    fn create(
        device: &wgpu::Device,
        label: &'static str,
        usage: wgpu::BufferUsages,
        size: u64,
    ) -> wgpu::Buffer {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size,
            usage,
            mapped_at_creation: false,
        })
    }

    /// Uploads `bytes` to the start of the buffer, replacing it with a larger one first when
    /// needed.
    pub(crate) fn write(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, bytes: &[u8]) {
        let needed = (bytes.len() as u64).next_multiple_of(wgpu::COPY_BUFFER_ALIGNMENT);
        if needed > self.buffer.size() {
            let size = needed.next_power_of_two().max(1024);
            self.buffer = Self::create(device, self.label, self.usage, size);
        }
        if !bytes.is_empty() {
            queue.write_buffer(&self.buffer, 0, bytes);
        }
    }

    pub(crate) fn buffer(&self) -> &wgpu::Buffer {
        &self.buffer
    }
}

/// Draws scenes: the visible pass (edges, then posts) and the pick pass.
///
/// Create one per device, target format and sample count; call [`Renderer::prepare`] when the
/// scene, camera, frame size, theme or highlight change, then record with
/// [`Renderer::render`] (visible pass: clear to [`Renderer::clear_colour`] first) and
/// [`Renderer::render_picking`] (pick pass: [`PICK_FORMAT`] cleared to 0 and
/// [`PICK_DEPTH_FORMAT`] cleared to 1, sample count 1).
#[derive(Debug)]
pub struct Renderer {
    format: wgpu::TextureFormat,
    sample_count: u32,
    uniforms: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    nodes: NodeRenderer,
    edges: EdgeRenderer,
    clear_colour: wgpu::Color,
    prepared: Option<Viewport>,
}

impl Renderer {
    /// Builds the pipelines for a visible target of `format` with `sample_count` samples (1 or
    /// [`SAMPLE_COUNT`]). With a non-sRGB `format` (`Rgba8Unorm`, `Bgra8Unorm`: the PNG target and
    /// the WebGPU canvas) the shaders write sRGB-encoded values and blend in sRGB, as Canvas2D
    /// and SVG do; with an `*Srgb` format they write linear light and the hardware encodes.
    /// Either way the stored bytes at each post's centre are its palette colour.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat, sample_count: u32) -> Renderer {
        let uniforms = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("logmesh frame uniforms"),
            size: size_of::<FrameUniforms>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("logmesh frame"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: wgpu::BufferSize::new(size_of::<FrameUniforms>() as u64),
                },
                count: None,
            }],
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("logmesh frame"),
            layout: &bind_group_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: uniforms.as_entire_binding(),
            }],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("logmesh"),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
        Renderer {
            format,
            sample_count,
            uniforms,
            bind_group,
            nodes: NodeRenderer::new(device, &layout, format, sample_count),
            edges: EdgeRenderer::new(device, &layout, format, sample_count),
            clear_colour: wgpu::Color::BLACK,
            prepared: None,
        }
    }

    /// The visible target's format.
    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// The visible pass's sample count.
    pub fn sample_count(&self) -> u32 {
        self.sample_count
    }

    /// Uploads everything a frame of `scene` needs: uniforms from `camera`, `viewport` (its
    /// device size must be the target's) and `theme`; edge instances; post instances sorted far
    /// to near, with `highlight`'s outline flags.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        scene: &Scene,
        camera: &Camera,
        viewport: Viewport,
        theme: Theme,
        highlight: &Highlight,
    ) {
        let encode_srgb = !self.format.is_srgb();
        let mut uniforms =
            FrameUniforms::new(camera, viewport, theme, scene.edges.len(), encode_srgb);
        // The 2D view is flat: discs of plain palette colour, as the Canvas2D view draws them.
        uniforms.output[1] = if scene.mode == Mode::TwoD { 1.0 } else { 0.0 };
        queue.write_buffer(&self.uniforms, 0, bytemuck::bytes_of(&uniforms));
        self.edges.prepare(device, queue, scene, &uniforms);
        self.nodes.prepare(device, queue, scene, camera, highlight);
        let background = theme.colours().background;
        let [r, g, b, a] = if encode_srgb {
            srgb_unit(background)
        } else {
            linear_from_srgb(background)
        };
        self.clear_colour = wgpu::Color {
            r: f64::from(r),
            g: f64::from(g),
            b: f64::from(b),
            a: f64::from(a),
        };
        self.prepared = Some(viewport);
    }

    /// The theme's background in the target's encoding: the visible pass's clear value.
    pub fn clear_colour(&self) -> wgpu::Color {
        self.clear_colour
    }

    /// The viewport of the last [`Renderer::prepare`].
    pub fn prepared_viewport(&self) -> Option<Viewport> {
        self.prepared
    }

    /// Records the visible pass's draws: edges, then posts over them.
    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        pass.set_bind_group(0, &self.bind_group, &[]);
        self.edges.render(pass);
        self.nodes.render(pass);
    }

    /// Records the pick pass's draws: every post's hit disc, id and flat depth.
    pub fn render_picking(&self, pass: &mut wgpu::RenderPass<'_>) {
        pass.set_bind_group(0, &self.bind_group, &[]);
        self.nodes.render_picking(pass);
    }

    /// Opens the visible pass on `view` (multisampled when the sample count is above 1, then
    /// resolved into `resolve_target`), clears it to the background and records the draws.
    pub fn encode_visible_pass(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        resolve_target: Option<&wgpu::TextureView>,
    ) {
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("logmesh visible"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(self.clear_colour),
                    // The multisampled target is only read through its resolve.
                    store: if resolve_target.is_some() {
                        wgpu::StoreOp::Discard
                    } else {
                        wgpu::StoreOp::Store
                    },
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        self.render(&mut pass);
    }

    /// Opens the pick pass on `ids` ([`PICK_FORMAT`]) and `depth` ([`PICK_DEPTH_FORMAT`]),
    /// clears them to 0 (nothing) and 1 (far), and records the draws. With `region` (x, y,
    /// width, height in device px, within the targets) only those pixels are rasterised: a pick
    /// of one pixel then costs the vertex work alone.
    pub fn encode_pick_pass(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        ids: &wgpu::TextureView,
        depth: &wgpu::TextureView,
        region: Option<[u32; 4]>,
    ) {
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("logmesh pick"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: ids,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                view: depth,
                depth_ops: Some(wgpu::Operations {
                    load: wgpu::LoadOp::Clear(1.0),
                    store: wgpu::StoreOp::Discard,
                }),
                stencil_ops: None,
            }),
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        if let Some([x, y, width, height]) = region {
            pass.set_scissor_rect(x, y, width, height);
        }
        self.render_picking(&mut pass);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            let u = FrameUniforms::new(&camera, viewport, Theme::Dark, 10, true);
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
}
