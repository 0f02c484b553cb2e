//! The GPU pick pass: an id buffer ([`PICK_FORMAT`], cleared to 0 = nothing) and a depth
//! buffer, sample count 1, drawn with the visible pass's uniforms and instances; then a copy of
//! the pixels asked about into a buffer the CPU maps.
//!
//! The pixel read for CSS point (X, Y) is the device pixel containing (X * dpr, Y * dpr)
//! ([`device_pixel`], the same arithmetic as [`crate::picking::pixel_centre_css`]). A few
//! points are read one pixel each (256-byte slots of one buffer, as copies require); many points
//! (a verify run) are read from one copy of the whole texture. Mapping is left to the caller:
//! native code blocks on it (`headless.rs`), the browser yields to its event loop.

use super::image::{ROW_ALIGNMENT_BYTES, padded_row_bytes};
use crate::camera::Viewport;
use crate::picking;

/// The pick pass's colour format: one id per pixel, 0 for nothing.
pub const PICK_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::R32Uint;

/// The pick pass's depth format.
pub const PICK_DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;

/// Up to this many points are read one pixel each; more are read from a whole-texture copy.
pub const MAX_SINGLE_PIXEL_READS: usize = 64;

/// The device pixel (column, row) containing (`x_css * dpr`, `y_css * dpr`), or `None` when
/// it lies outside the `round(W * dpr)` x `round(H * dpr)` framebuffer.
pub fn device_pixel(x_css: f32, y_css: f32, viewport: Viewport) -> Option<(u32, u32)> {
    if !viewport.is_valid() {
        return None;
    }
    let pixel = |css: f32, size_device: u32| {
        let device = (css * viewport.dpr).floor();
        (device >= 0.0 && device < size_device as f32).then_some(device as u32)
    };
    Some((
        pixel(x_css, viewport.width_device())?,
        pixel(y_css, viewport.height_device())?,
    ))
}

/// The pick pass's render targets for one framebuffer size.
#[derive(Debug)]
pub struct PickTargets {
    width: u32,
    height: u32,
    ids: wgpu::Texture,
    ids_view: wgpu::TextureView,
    depth: wgpu::Texture,
    depth_view: wgpu::TextureView,
}

/// The textures are destroyed with the targets (after the work already submitted with them):
/// on WebGPU a dropped texture otherwise holds its memory until the page's garbage collector
/// runs, and an element resized on every frame would pile up hundreds of MB of them.
impl Drop for PickTargets {
    fn drop(&mut self) {
        self.ids.destroy();
        self.depth.destroy();
    }
}

impl PickTargets {
    /// Targets of `width` x `height` device pixels.
    pub fn new(device: &wgpu::Device, width: u32, height: u32) -> PickTargets {
        let size = wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        };
        let texture = |label, format, usage| {
            device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size,
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format,
                usage,
                view_formats: &[],
            })
        };
        let ids = texture(
            "logmesh pick ids",
            PICK_FORMAT,
            wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        );
        let depth = texture(
            "logmesh pick depth",
            PICK_DEPTH_FORMAT,
            wgpu::TextureUsages::RENDER_ATTACHMENT,
        );
        PickTargets {
            width,
            height,
            ids_view: ids.create_view(&Default::default()),
            depth_view: depth.create_view(&Default::default()),
            ids,
            depth,
        }
    }

    /// Width and height in device pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The id texture's view (the pick pass's colour attachment).
    pub fn ids_view(&self) -> &wgpu::TextureView {
        &self.ids_view
    }

    /// The depth texture's view (the pick pass's depth attachment).
    pub fn depth_view(&self) -> &wgpu::TextureView {
        &self.depth_view
    }

    /// Records copies of `pixels` (each in the texture) into `readback`, pixel `i` at byte
    /// `i * 256`. `readback` needs `COPY_DST` and [`PickTargets::pixels_readback_size`] bytes.
    pub fn copy_pixels(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        pixels: &[(u32, u32)],
        readback: &wgpu::Buffer,
    ) {
        for (i, &(x, y)) in pixels.iter().enumerate() {
            encoder.copy_texture_to_buffer(
                wgpu::TexelCopyTextureInfo {
                    texture: &self.ids,
                    mip_level: 0,
                    origin: wgpu::Origin3d { x, y, z: 0 },
                    aspect: wgpu::TextureAspect::All,
                },
                wgpu::TexelCopyBufferInfo {
                    buffer: readback,
                    layout: wgpu::TexelCopyBufferLayout {
                        offset: i as u64 * u64::from(ROW_ALIGNMENT_BYTES),
                        bytes_per_row: None,
                        rows_per_image: None,
                    },
                },
                wgpu::Extent3d {
                    width: 1,
                    height: 1,
                    depth_or_array_layers: 1,
                },
            );
        }
    }

    /// The readback size [`PickTargets::copy_pixels`] needs for `count` pixels.
    pub fn pixels_readback_size(count: usize) -> u64 {
        count.max(1) as u64 * u64::from(ROW_ALIGNMENT_BYTES)
    }

    /// Records a copy of the whole id texture into `readback` (rows padded to 256 bytes).
    /// `readback` needs `COPY_DST` and [`PickTargets::whole_readback_size`] bytes.
    pub fn copy_whole(&self, encoder: &mut wgpu::CommandEncoder, readback: &wgpu::Buffer) {
        encoder.copy_texture_to_buffer(
            self.ids.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: readback,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded_row_bytes(self.width, 4)),
                    rows_per_image: Some(self.height),
                },
            },
            wgpu::Extent3d {
                width: self.width,
                height: self.height,
                depth_or_array_layers: 1,
            },
        );
    }

    /// The readback size [`PickTargets::copy_whole`] needs.
    pub fn whole_readback_size(&self) -> u64 {
        u64::from(padded_row_bytes(self.width, 4)) * u64::from(self.height)
    }

    /// The post index in the mapped bytes of a [`PickTargets::copy_whole`] at pixel (x, y).
    pub fn index_in_whole(&self, mapped: &[u8], x: u32, y: u32) -> Option<u32> {
        let at = y as usize * padded_row_bytes(self.width, 4) as usize + x as usize * 4;
        index_at(mapped, at)
    }
}

/// The post index in the mapped bytes of a [`PickTargets::copy_pixels`], pixel `i`.
pub fn index_in_pixels(mapped: &[u8], i: usize) -> Option<u32> {
    index_at(mapped, i * ROW_ALIGNMENT_BYTES as usize)
}

fn index_at(mapped: &[u8], at: usize) -> Option<u32> {
    let bytes = mapped.get(at..at + 4)?;
    picking::decode(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picking::{encode, pixel_centre_css};

    #[test]
    fn device_pixel_agrees_with_the_cpu_pixel_centre() {
        for viewport in [
            Viewport::new(400.0, 300.0, 1.0),
            Viewport::new(400.0, 300.0, 2.0),
            Viewport::new(333.3, 211.1, 1.5),
        ] {
            for &(x, y) in &[
                (0.0, 0.0),
                (10.2, 10.6),
                (399.99, 299.99),
                (400.0, 10.0),
                (-0.01, 5.0),
                (f32::NAN, 1.0),
                (333.2, 211.0),
            ] {
                let pixel = device_pixel(x, y, viewport);
                let centre = pixel_centre_css(x, y, viewport);
                assert_eq!(pixel.is_some(), centre.is_some(), "{x} {y} {viewport:?}");
                if let (Some((px, py)), Some((cx, cy))) = (pixel, centre) {
                    assert_eq!((px as f32 + 0.5) / viewport.dpr, cx);
                    assert_eq!((py as f32 + 0.5) / viewport.dpr, cy);
                }
            }
        }
    }

    #[test]
    fn ids_decode_from_readback_slots() {
        let mut mapped = vec![0u8; 3 * 256];
        mapped[256..260].copy_from_slice(&encode(41).to_le_bytes());
        assert_eq!(index_in_pixels(&mapped, 0), None);
        assert_eq!(index_in_pixels(&mapped, 1), Some(41));
        assert_eq!(index_in_pixels(&mapped, 5), None);
    }
}
