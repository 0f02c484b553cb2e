//! The [`Renderer`]: long-lived pipelines for one device, target format and sample count, fed
//! once per frame.
//!
//! [`Renderer::prepare`] turns a scene, camera, viewport, theme and highlight into GPU buffers
//! (the frame uniforms, the edge and post instances) and uploads them; [`Renderer::render`] and
//! [`Renderer::render_picking`] only record draws into a pass the caller opened. Nothing here
//! creates textures, waits for the GPU or touches a window or canvas: the headless renderer and
//! the browser each own their targets.
//!
//! The renderer sits on top of its pipelines ([`super::nodes`], [`super::edges`]) and never the
//! other way round: what they share with it (the frame uniforms, the pick formats, the growing
//! instance buffers) lives below them, in `uniforms.rs`, `picking.rs` and `buffers.rs`.

use super::edges::EdgeRenderer;
use super::nodes::{Highlight, NodeRenderer};
use super::uniforms::{FrameUniforms, srgb_unit};
use crate::camera::{Camera, Viewport};
use crate::scene::Scene;
use crate::style::{Theme, linear_from_srgb};

/// The sample count of the visible pass (MSAA, resolved into the target).
pub const SAMPLE_COUNT: u32 = 4;

/// Draws scenes: the visible pass (edges, then posts) and the pick pass.
///
/// Create one per device, target format and sample count; call [`Renderer::prepare`] when the
/// scene, camera, frame size, theme or highlight change, then record with
/// [`Renderer::render`] (visible pass: clear to [`Renderer::clear_colour`] first) and
/// [`Renderer::render_picking`] (pick pass: [`PICK_FORMAT`](super::PICK_FORMAT) cleared to 0 and
/// [`PICK_DEPTH_FORMAT`](super::PICK_DEPTH_FORMAT) cleared to 1, sample count 1).
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
        let uniforms = FrameUniforms::new(
            camera,
            viewport,
            scene.colours(theme),
            scene.edges.len(),
            encode_srgb,
        );
        queue.write_buffer(&self.uniforms, 0, bytemuck::bytes_of(&uniforms));
        self.edges.prepare(device, queue, scene, &uniforms);
        self.nodes.prepare(device, queue, scene, camera, highlight);
        let background = scene.colours(theme).background;
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

    /// Opens the pick pass on `ids` ([`PICK_FORMAT`](super::PICK_FORMAT)) and `depth`
    /// ([`PICK_DEPTH_FORMAT`](super::PICK_DEPTH_FORMAT)), clears them to 0 (nothing) and 1
    /// (far), and records the draws. With `region` (x, y, width, height in device px, within
    /// the targets) only those pixels are rasterised: a pick of one pixel then costs the vertex
    /// work alone.
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
