//! Native headless rendering: a scene to RGBA pixels or a PNG file, and GPU picks, with no
//! window. The only part of `render` that blocks (on `pollster` and `Device::poll`) or touches
//! the file system; the browser drives [`Renderer`] itself.
//!
//! Frames use the browser's pipelines unchanged: an `Rgba8Unorm` target (the shaders write sRGB
//! values), MSAA 4 resolved, read back with the 256-byte row padding stripped. A PNG is
//! `round(W * dpr)` x `round(H * dpr)` device pixels.

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::RenderError;
use super::context::GpuContext;
use super::image::{RgbaImage, padded_row_bytes};
use super::nodes::Highlight;
use super::picking::{MAX_SINGLE_PIXEL_READS, PickTargets, device_pixel, index_in_pixels};
use super::renderer::{Renderer, SAMPLE_COUNT};
use crate::camera::{Camera, Viewport};
use crate::scene::Scene;
use crate::style::Theme;

/// The PNG target's format: stores exactly what the shaders write (sRGB values).
pub const FRAME_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// A GPU device with a renderer for PNG frames and picks. Create once, use for many frames.
#[derive(Debug)]
pub struct Headless {
    context: GpuContext,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    renderer: Renderer,
    frame: Option<FrameTargets>,
    pick: Option<PickTargets>,
}

/// The visible pass's targets for one size: multisampled colour and its resolve.
#[derive(Debug)]
struct FrameTargets {
    width: u32,
    height: u32,
    multisampled: wgpu::TextureView,
    resolved: wgpu::Texture,
    resolved_view: wgpu::TextureView,
}

impl FrameTargets {
    fn new(device: &wgpu::Device, width: u32, height: u32) -> FrameTargets {
        let texture = |label, sample_count, usage| {
            device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size: wgpu::Extent3d {
                    width,
                    height,
                    depth_or_array_layers: 1,
                },
                mip_level_count: 1,
                sample_count,
                dimension: wgpu::TextureDimension::D2,
                format: FRAME_FORMAT,
                usage,
                view_formats: &[],
            })
        };
        let multisampled = texture(
            "logmesh frame (multisampled)",
            SAMPLE_COUNT,
            wgpu::TextureUsages::RENDER_ATTACHMENT,
        );
        let resolved = texture(
            "logmesh frame",
            1,
            wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        );
        FrameTargets {
            width,
            height,
            multisampled: multisampled.create_view(&Default::default()),
            resolved_view: resolved.create_view(&Default::default()),
            resolved,
        }
    }
}

impl Headless {
    /// Finds an adapter (any: lavapipe will do), creates a device and the renderer.
    /// [`RenderError::NoAdapter`] when the machine has none.
    pub fn new() -> Result<Headless, RenderError> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let context = pollster::block_on(GpuContext::new(instance, None))?;
        let renderer = Renderer::new(&context.device, FRAME_FORMAT, SAMPLE_COUNT);
        Ok(Headless {
            context,
            state: Mutex::new(State {
                renderer,
                frame: None,
                pick: None,
            }),
        })
    }

    /// The adapter, its device and queue.
    pub fn context(&self) -> &GpuContext {
        &self.context
    }

    /// What the adapter says about itself (name, backend, device type).
    pub fn adapter_info(&self) -> &wgpu::AdapterInfo {
        &self.context.adapter_info
    }

    /// The frame of `scene` seen through `camera`, `viewport.width_device()` x
    /// `viewport.height_device()` pixels, in `theme`, with nothing highlighted.
    pub fn render_rgba(
        &self,
        scene: &Scene,
        camera: &Camera,
        viewport: Viewport,
        theme: Theme,
    ) -> Result<RgbaImage, RenderError> {
        self.render_rgba_highlighted(scene, camera, viewport, theme, &Highlight::default())
    }

    /// [`Headless::render_rgba`] with outline rings on the posts of `highlight`.
    pub fn render_rgba_highlighted(
        &self,
        scene: &Scene,
        camera: &Camera,
        viewport: Viewport,
        theme: Theme,
        highlight: &Highlight,
    ) -> Result<RgbaImage, RenderError> {
        let (width, height) = self.check_viewport(viewport)?;
        let device = &self.context.device;
        let queue = &self.context.queue;
        let mut state = self.lock();
        let State {
            renderer, frame, ..
        } = &mut *state;
        let targets = match frame {
            Some(t) if (t.width, t.height) == (width, height) => t,
            _ => frame.insert(FrameTargets::new(device, width, height)),
        };
        let row_bytes = padded_row_bytes(width, 4);
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("logmesh frame readback"),
            size: u64::from(row_bytes) * u64::from(height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        self.checked(|| {
            renderer.prepare(device, queue, scene, camera, viewport, theme, highlight);
            let mut encoder = device.create_command_encoder(&Default::default());
            renderer.encode_visible_pass(
                &mut encoder,
                &targets.multisampled,
                Some(&targets.resolved_view),
            );
            encoder.copy_texture_to_buffer(
                targets.resolved.as_image_copy(),
                wgpu::TexelCopyBufferInfo {
                    buffer: &readback,
                    layout: wgpu::TexelCopyBufferLayout {
                        offset: 0,
                        bytes_per_row: Some(row_bytes),
                        rows_per_image: Some(height),
                    },
                },
                wgpu::Extent3d {
                    width,
                    height,
                    depth_or_array_layers: 1,
                },
            );
            queue.submit([encoder.finish()]);
        })?;
        let padded = self.read(&readback)?;
        Ok(RgbaImage::from_padded_rows(
            width, height, row_bytes, &padded,
        ))
    }

    /// The post (index in id order) under each CSS point of `points_css` in the frame of
    /// `scene` seen through `camera` in `viewport`: one pick pass, then one readback (single
    /// pixels for a few points, the whole id buffer for many). `None` for background and for
    /// points outside the frame.
    pub fn pick_ids(
        &self,
        scene: &Scene,
        camera: &Camera,
        viewport: Viewport,
        points_css: &[(f32, f32)],
    ) -> Result<Vec<Option<u32>>, RenderError> {
        let (width, height) = self.check_viewport(viewport)?;
        let pixels: Vec<Option<(u32, u32)>> = points_css
            .iter()
            .map(|&(x, y)| device_pixel(x, y, viewport))
            .collect();
        let inside: Vec<(u32, u32)> = pixels.iter().flatten().copied().collect();
        if inside.is_empty() {
            return Ok(vec![None; points_css.len()]);
        }
        let device = &self.context.device;
        let queue = &self.context.queue;
        let mut state = self.lock();
        let State { renderer, pick, .. } = &mut *state;
        let targets = match pick {
            Some(t) if t.size() == (width, height) => t,
            _ => pick.insert(PickTargets::new(device, width, height)),
        };
        let whole = inside.len() > MAX_SINGLE_PIXEL_READS;
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("logmesh pick readback"),
            size: if whole {
                targets.whole_readback_size()
            } else {
                PickTargets::pixels_readback_size(inside.len())
            },
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        self.checked(|| {
            renderer.prepare(
                device,
                queue,
                scene,
                camera,
                viewport,
                Theme::Dark,
                &Highlight::default(),
            );
            let mut encoder = device.create_command_encoder(&Default::default());
            // A few pixels: rasterise only the rectangle round them.
            let region = (!whole).then(|| bounding_rect(&inside));
            renderer.encode_pick_pass(
                &mut encoder,
                targets.ids_view(),
                targets.depth_view(),
                region,
            );
            if whole {
                targets.copy_whole(&mut encoder, &readback);
            } else {
                targets.copy_pixels(&mut encoder, &inside, &readback);
            }
            queue.submit([encoder.finish()]);
        })?;
        let mapped = self.read(&readback)?;
        let mut next_inside = 0;
        Ok(pixels
            .iter()
            .map(|pixel| {
                let (x, y) = (*pixel)?;
                let index = if whole {
                    targets.index_in_whole(&mapped, x, y)
                } else {
                    index_in_pixels(&mapped, next_inside)
                };
                next_inside += 1;
                index
            })
            .collect())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the state half-updated in a way that matters: every
        // call prepares everything it draws.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn check_viewport(&self, viewport: Viewport) -> Result<(u32, u32), RenderError> {
        let (width, height) = (viewport.width_device(), viewport.height_device());
        let max_device = self.context.device.limits().max_texture_dimension_2d;
        if !viewport.is_valid()
            || width == 0
            || height == 0
            || width > max_device
            || height > max_device
        {
            return Err(RenderError::InvalidViewport {
                width_css: viewport.width_css,
                height_css: viewport.height_css,
                dpr: viewport.dpr,
                width_device: width,
                height_device: height,
                max_device,
            });
        }
        Ok((width, height))
    }

    /// Runs `record` (which records and submits GPU work) inside error scopes, turning wgpu's
    /// validation and out-of-memory errors into [`RenderError::Gpu`] instead of panics.
    fn checked(&self, record: impl FnOnce()) -> Result<(), RenderError> {
        let device = &self.context.device;
        let out_of_memory = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
        record();
        let validation = pollster::block_on(validation.pop());
        let out_of_memory = pollster::block_on(out_of_memory.pop());
        match validation.or(out_of_memory) {
            Some(error) => Err(RenderError::Gpu(error.to_string())),
            None => Ok(()),
        }
    }

    /// Maps `buffer` (after the submitted work that fills it), waits, and copies it out.
    fn read(&self, buffer: &wgpu::Buffer) -> Result<Vec<u8>, RenderError> {
        let (sender, receiver) = mpsc::channel();
        buffer.map_async(wgpu::MapMode::Read, .., move |result| {
            // The receiver outlives the wait below; a failed send cannot happen.
            let _ = sender.send(result);
        });
        self.context
            .device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| RenderError::Readback(e.to_string()))?;
        receiver
            .recv()
            .map_err(|e| RenderError::Readback(e.to_string()))?
            .map_err(|e| RenderError::Readback(e.to_string()))?;
        let bytes = buffer
            .get_mapped_range(..)
            .map_err(|e| RenderError::Readback(e.to_string()))?
            .to_vec();
        buffer.unmap();
        Ok(bytes)
    }
}

/// The smallest rectangle (x, y, width, height) holding every pixel of `pixels` (not empty).
fn bounding_rect(pixels: &[(u32, u32)]) -> [u32; 4] {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for &(x, y) in pixels {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    [x0, y0, x1 - x0 + 1, y1 - y0 + 1]
}

/// Writes `image` to `path` as a PNG (8-bit RGBA, sRGB).
pub fn write_png(path: impl AsRef<Path>, image: &RgbaImage) -> Result<(), RenderError> {
    let path = path.as_ref();
    let bytes = image.encode_png()?;
    std::fs::write(path, bytes).map_err(|source| RenderError::Io {
        path: path.to_path_buf(),
        source,
    })
}
