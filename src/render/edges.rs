//! Edges: one instance per graph edge (`shaders/edges.wgsl`), an anti-aliased screen-space line
//! drawn under the posts in the visible pass. Edges are never picked and write no ids.
//!
//! Their alpha is the theme's, scaled down as the frame gets crowded
//! ([`edge_alpha_scale`](crate::style::edge_alpha_scale), in the frame uniforms), so a
//! 10,000-post site reads as structure rather than a solid mat; their widths are
//! [`crate::style`]'s, as every renderer draws them.

use bytemuck::{Pod, Zeroable};

use super::buffers::GrowBuffer;
use super::uniforms::FrameUniforms;
use crate::graph::EdgeKind;
use crate::scene::Scene;

/// One edge as the shader reads it (instance step; BINDINGS.md).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub(crate) struct EdgeInstance {
    a: [f32; 3],
    b: [f32; 3],
    /// 0 link, 1 tag.
    kind: u32,
}

const ATTRIBUTES: [wgpu::VertexAttribute; 3] = wgpu::vertex_attr_array![
    0 => Float32x3,
    1 => Float32x3,
    2 => Uint32,
];

/// The most an edge of the kind (`tag` or link) can move an 8-bit channel over the background:
/// the shader's per-edge alpha (`edges.wgsl`) at its largest (no depth fade) times the colour's
/// contrast with the background, in 8-bit steps. Below half a step, no edge of the kind shows.
fn max_step_change(uniforms: &FrameUniforms, tag: bool) -> f32 {
    let (colour, width_css) = if tag {
        (uniforms.tag_colour, uniforms.edges[1])
    } else {
        (uniforms.link_colour, uniforms.edges[0])
    };
    let scale = uniforms.edges[2];
    let width = width_css * uniforms.viewport[2];
    let alpha = colour[3] * if tag { scale * scale } else { scale } * width.min(1.0);
    let contrast = (0..3)
        .map(|c| (colour[c] - uniforms.background[c]).abs())
        .fold(0.0f32, f32::max);
    alpha * contrast * 255.0
}

/// The edge pipeline and instances.
#[derive(Debug)]
pub(crate) struct EdgeRenderer {
    pipeline: wgpu::RenderPipeline,
    instances: GrowBuffer,
    count: u32,
    staged: Vec<EdgeInstance>,
}

impl EdgeRenderer {
    pub(crate) fn new(
        device: &wgpu::Device,
        layout: &wgpu::PipelineLayout,
        format: wgpu::TextureFormat,
        sample_count: u32,
    ) -> EdgeRenderer {
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("edges.wgsl"),
            source: wgpu::ShaderSource::Wgsl(
                include_str!(concat!(env!("OUT_DIR"), "/edges.wgsl")).into(),
            ),
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("logmesh edges"),
            layout: Some(layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: size_of::<EdgeInstance>() as u64,
                    step_mode: wgpu::VertexStepMode::Instance,
                    attributes: &ATTRIBUTES,
                })],
            },
            primitive: wgpu::PrimitiveState {
                topology: wgpu::PrimitiveTopology::TriangleStrip,
                ..Default::default()
            },
            depth_stencil: None,
            multisample: wgpu::MultisampleState {
                count: sample_count,
                ..Default::default()
            },
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs_main"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format,
                    blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview_mask: None,
            cache: None,
        });
        EdgeRenderer {
            pipeline,
            instances: GrowBuffer::new(
                device,
                "logmesh edge instances",
                wgpu::BufferUsages::VERTEX,
            ),
            count: 0,
            staged: Vec::new(),
        }
    }

    pub(crate) fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        scene: &Scene,
        uniforms: &FrameUniforms,
    ) {
        // A kind whose nearest edge is already invisible is not uploaded at all.
        let drawn = [
            max_step_change(uniforms, false) >= 0.5,
            max_step_change(uniforms, true) >= 0.5,
        ];
        self.staged.clear();
        self.staged.extend(scene.edges.iter().filter_map(|edge| {
            let tag = edge.kind == EdgeKind::Tag;
            if !drawn[usize::from(tag)] {
                return None;
            }
            let a = scene.nodes.get(edge.a as usize)?;
            let b = scene.nodes.get(edge.b as usize)?;
            Some(EdgeInstance {
                a: a.position,
                b: b.position,
                // Bit 1: faded (both ends dimmed by the view's filter).
                kind: u32::from(tag) | u32::from(a.dimmed && b.dimmed) << 1,
            })
        }));
        self.instances
            .write(device, queue, bytemuck::cast_slice(&self.staged));
        self.count = self.staged.len() as u32;
    }

    pub(crate) fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        if self.count == 0 {
            return;
        }
        pass.set_pipeline(&self.pipeline);
        pass.set_vertex_buffer(0, self.instances.buffer().slice(..));
        pass.draw(0..4, 0..self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::{Camera, Viewport};

    #[test]
    fn instance_layout_matches_the_struct() {
        assert_eq!(size_of::<EdgeInstance>(), 28);
        assert_eq!(ATTRIBUTES[2].offset, 24);
    }

    #[test]
    fn crowded_frames_shed_tag_edges_first() {
        let frame = Viewport::new(1200.0, 675.0, 1.0);
        let camera = Camera::fit(glam::Vec3::ZERO, 100.0, frame.aspect());
        for theme in crate::style::Theme::ALL {
            let uniforms = |edges| FrameUniforms::new(&camera, frame, theme.colours(), edges, true);
            let sparse = uniforms(100);
            assert!(max_step_change(&sparse, false) > max_step_change(&sparse, true));
            assert!(max_step_change(&sparse, true) >= 0.5, "{theme}");
            let crowded = uniforms(65_000);
            assert!(max_step_change(&crowded, true) < 0.5, "{theme}");
            assert!(max_step_change(&crowded, false) >= 0.5, "{theme}");
        }
    }
}
