//! Posts: one instance per post (`shaders/nodes.wgsl`), drawn as a lit sphere impostor in the
//! visible pass and as a flat hit disc carrying its pick id in the pick pass.
//!
//! Instances are sorted far to near (ties: larger index first) on every prepare, which gives
//! both passes their stacking rule without a depth buffer in the visible pass: blended discs are
//! painted back to front, and the pick pass's `LessEqual` depth test lets the later (nearer, or
//! at equal depth the smaller-index) post win, exactly as the CPU picker decides.

use bytemuck::{Pod, Zeroable};

use glam::Vec3;

use super::buffers::GrowBuffer;
use super::picking::{PICK_DEPTH_FORMAT, PICK_FORMAT};
use crate::camera::Camera;
use crate::scene::Scene;

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

/// Instance flag: the post is under the pointer.
pub const FLAG_HOVERED: u32 = 1;
/// Instance flag: the post is selected.
pub const FLAG_SELECTED: u32 = 2;
/// Instance flag: the post has keyboard focus.
pub const FLAG_FOCUSED: u32 = 4;
/// Instance flag: the view's filter leaves the post out ([`crate::scene::SceneNode::dimmed`]).
pub const FLAG_DIMMED: u32 = 8;

/// One post as the shaders read it (instance step; BINDINGS.md).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub(crate) struct NodeInstance {
    position: [f32; 3],
    radius: f32,
    /// Palette colour, sRGB bytes (read as `Unorm8x4`).
    colour: [u8; 4],
    pick_id: u32,
    flags: u32,
}

const ATTRIBUTES: [wgpu::VertexAttribute; 5] = wgpu::vertex_attr_array![
    0 => Float32x3,
    1 => Float32,
    2 => Unorm8x4,
    3 => Uint32,
    4 => Uint32,
];

fn instance_layout() -> wgpu::VertexBufferLayout<'static> {
    wgpu::VertexBufferLayout {
        array_stride: size_of::<NodeInstance>() as u64,
        step_mode: wgpu::VertexStepMode::Instance,
        attributes: &ATTRIBUTES,
    }
}

/// The post pipelines and instances.
#[derive(Debug)]
pub(crate) struct NodeRenderer {
    visible: wgpu::RenderPipeline,
    pick: wgpu::RenderPipeline,
    instances: GrowBuffer,
    count: u32,
    /// Scratch space kept between frames: (depth, index) and the instances.
    order: Vec<(f32, u32)>,
    staged: Vec<NodeInstance>,
}

impl NodeRenderer {
    pub(crate) fn new(
        device: &wgpu::Device,
        layout: &wgpu::PipelineLayout,
        format: wgpu::TextureFormat,
        sample_count: u32,
    ) -> NodeRenderer {
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("nodes.wgsl"),
            source: wgpu::ShaderSource::Wgsl(
                include_str!(concat!(env!("OUT_DIR"), "/nodes.wgsl")).into(),
            ),
        });
        let strip = wgpu::PrimitiveState {
            topology: wgpu::PrimitiveTopology::TriangleStrip,
            ..Default::default()
        };
        let visible = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("logmesh nodes"),
            layout: Some(layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[Some(instance_layout())],
            },
            primitive: strip,
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
        let pick = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("logmesh nodes pick"),
            layout: Some(layout),
            vertex: wgpu::VertexState {
                module: &module,
                entry_point: Some("vs_pick"),
                compilation_options: Default::default(),
                buffers: &[Some(instance_layout())],
            },
            primitive: strip,
            depth_stencil: Some(wgpu::DepthStencilState {
                format: PICK_DEPTH_FORMAT,
                depth_write_enabled: Some(true),
                depth_compare: Some(wgpu::CompareFunction::LessEqual),
                stencil: wgpu::StencilState::default(),
                bias: wgpu::DepthBiasState::default(),
            }),
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: &module,
                entry_point: Some("fs_pick"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format: PICK_FORMAT,
                    blend: None,
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview_mask: None,
            cache: None,
        });
        NodeRenderer {
            visible,
            pick,
            instances: GrowBuffer::new(
                device,
                "logmesh node instances",
                wgpu::BufferUsages::VERTEX,
            ),
            count: 0,
            order: Vec::new(),
            staged: Vec::new(),
        }
    }

    pub(crate) fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        scene: &Scene,
        camera: &Camera,
        highlight: &Highlight,
    ) {
        self.order.clear();
        self.order.extend(scene.nodes.iter().map(|node| {
            let depth = -camera
                .view_from_world_point(Vec3::from_array(node.position))
                .z;
            (depth, node.index)
        }));
        // Far to near; at equal depth the larger index first, so the smaller one ends on top.
        crate::sort::by_key(&mut self.order, |&(depth, index)| {
            u64::from(!crate::sort::f32_key(depth)) << 32 | u64::from(!index)
        });
        let flag = |wanted: Option<u32>, index: u32, bit: u32| {
            if wanted == Some(index) { bit } else { 0 }
        };
        self.staged.clear();
        self.staged
            .extend(self.order.iter().filter_map(|&(_, index)| {
                let node = scene.nodes.get(index as usize)?;
                Some(NodeInstance {
                    position: node.position,
                    radius: node.radius,
                    colour: node.colour,
                    pick_id: node.pick_id,
                    flags: flag(highlight.hovered, index, FLAG_HOVERED)
                        | flag(highlight.selected, index, FLAG_SELECTED)
                        | flag(highlight.focused, index, FLAG_FOCUSED)
                        | if node.dimmed { FLAG_DIMMED } else { 0 },
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
        pass.set_pipeline(&self.visible);
        pass.set_vertex_buffer(0, self.instances.buffer().slice(..));
        pass.draw(0..4, 0..self.count);
    }

    pub(crate) fn render_picking(&self, pass: &mut wgpu::RenderPass<'_>) {
        if self.count == 0 {
            return;
        }
        pass.set_pipeline(&self.pick);
        pass.set_vertex_buffer(0, self.instances.buffer().slice(..));
        pass.draw(0..4, 0..self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_layout_matches_the_struct() {
        assert_eq!(size_of::<NodeInstance>(), 28);
        let last = ATTRIBUTES[ATTRIBUTES.len() - 1];
        assert_eq!(last.offset + 4, size_of::<NodeInstance>() as u64);
    }
}
