//! The 3D view's surface: the shared [`Renderer`] on a WebGPU or WebGL2 canvas, and GPU picking of
//! the frame on screen.
//!
//! Picking reads the id buffer drawn with the uniforms and instances of the last presented frame
//! (a render always prepares, a pick never does), so a pixel names the post the visitor sees
//! there, from the first frame on. Readback never blocks: [`View::pick_begin`] submits the pass
//! and the copy, the element then calls [`View::pick_poll`] from its event loop until the map
//! completes (WebGL2 needs the poll to make progress; WebGPU resolves on its own).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use wasm_bindgen::prelude::*;

use super::frame::LiveFrame;
use super::site::SiteHandle;
use super::view::{Surface, View};
use super::{Pick, web_error};
use crate::camera::{Camera, Viewport};
use crate::render::{
    GpuContext, Highlight, PickTargets, RenderError, Renderer, SAMPLE_COUNT, device_pixel,
    pick_index_in_pixels,
};
use crate::scene::Scene;

#[cfg(feature = "webgl")]
const BACKEND_NAME: &str = "webgl2";
#[cfg(not(feature = "webgl"))]
const BACKEND_NAME: &str = "webgpu";

#[cfg(feature = "webgl")]
const BACKENDS: wgpu::Backends = wgpu::Backends::GL;
#[cfg(not(feature = "webgl"))]
const BACKENDS: wgpu::Backends = wgpu::Backends::BROWSER_WEBGPU;

/// Frames submitted to a WebGPU device and not yet done, at most: a frame asked for while as
/// many are in flight waits for the next animation frame. Without this, a page that asks for
/// frames faster than the GPU draws them (a slow GPU, an element resized on every frame) queues
/// seconds of work, and a pick, read after it, answers seconds late.
const MAX_FRAMES_IN_FLIGHT: u32 = 2;

/// Radians of orbit per CSS px of drag, times the frame's height: a drag across the whole
/// height turns the view by half a turn.
const ORBIT_PER_HEIGHT_RAD: f32 = std::f32::consts::PI;

/// The first, synchronous half of starting a 3D view: the scene and a surface on the canvas.
#[wasm_bindgen]
pub struct ViewSetup {
    instance: wgpu::Instance,
    surface: wgpu::Surface<'static>,
    canvas: web_sys::HtmlCanvasElement,
    scene: Scene,
}

#[wasm_bindgen]
impl SiteHandle {
    /// Prepares a view of this site on `canvas` (`render` error when the layout is not ready or
    /// the canvas cannot give this module's context). Finish with [`start_view`].
    pub fn view_setup(&self, canvas: web_sys::HtmlCanvasElement) -> Result<ViewSetup, JsValue> {
        let scene = self
            .scene_3d()
            .ok_or_else(|| web_error("render", "the layout is not ready"))?;
        let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle();
        descriptor.backends = BACKENDS;
        let instance = wgpu::Instance::new(descriptor);
        let surface = instance
            .create_surface(wgpu::SurfaceTarget::Canvas(canvas.clone()))
            .map_err(|e| web_error("render", format!("{BACKEND_NAME}: {e}")))?;
        Ok(ViewSetup {
            instance,
            surface,
            canvas,
            scene,
        })
    }
}

/// What a pick readback is doing.
#[derive(Debug)]
enum PickState {
    Idle,
    Pending,
    Mapped,
    /// The point was outside the frame: nothing to read.
    Outside,
    Failed(String),
}

/// The id buffer of one frame on the CPU: post index + 1 per device pixel (0 for none).
struct IdCache {
    camera: Camera,
    viewport: Viewport,
    width: u32,
    ids: Vec<u32>,
}

/// The GPU surface of a 3D view (see the module docs).
pub(crate) struct GpuSurface {
    context: GpuContext,
    surface: wgpu::Surface<'static>,
    canvas: web_sys::HtmlCanvasElement,
    config: wgpu::SurfaceConfiguration,
    renderer: Renderer,
    /// The multisampled target and its view, remade on resize (the old one destroyed at once:
    /// on WebGPU a dropped texture holds its memory until the garbage collector runs).
    msaa: Option<(wgpu::Texture, wgpu::TextureView)>,
    pick_targets: Option<PickTargets>,
    readback: wgpu::Buffer,
    pick_state: Arc<Mutex<PickState>>,
    /// The whole id buffer of a frame, read back once the camera rests (see [`View::ids_begin`]).
    ids_readback: Option<(wgpu::Buffer, Camera, Viewport)>,
    ids_state: Arc<Mutex<PickState>>,
    ids: Option<IdCache>,
    lost: Arc<Mutex<Option<String>>>,
    /// Frames submitted and not yet done on the GPU (WebGPU; WebGL2 draws synchronously).
    in_flight: Arc<AtomicU32>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn render_error(e: RenderError) -> JsValue {
    web_error("render", format!("{BACKEND_NAME}: {e}"))
}

impl GpuSurface {
    /// Lets readbacks make progress: WebGL2 maps only when polled. On WebGPU poll returns at
    /// once, and the browser may sit on a finished map for seconds unless the device has work:
    /// an empty submit flushes it.
    fn poll(&self) {
        let _ = self.context.device.poll(wgpu::PollType::Poll);
        if cfg!(not(feature = "webgl")) {
            self.context.queue.submit([]);
        }
    }
}

/// What `GPUDevice.lost` resolves to.
#[wasm_bindgen]
extern "C" {
    type LostInfo;
    #[wasm_bindgen(method, getter)]
    fn reason(this: &LostInfo) -> String;
    #[wasm_bindgen(method, getter)]
    fn message(this: &LostInfo) -> String;
}

/// Sets `lost` to why `device` was lost, once it is.
///
/// On WebGPU this awaits `GPUDevice.lost` in a task of its own, which ends when the device is
/// lost or destroyed (every view's device is destroyed on `View::release`). wgpu's own
/// `set_device_lost_callback` and `on_uncaptured_error` hand the page closures that are never
/// freed (wgpu 30 `forget()`s them): two a device, about 100 bytes of JS heap each mount. Errors
/// outside a scope are then the browser's to log, as for any page. On WebGL2 (wgpu's GL backend
/// runs in the module: no closures reach the page) wgpu's callbacks are used, and its default
/// error handler, which panics, is replaced by a log.
fn watch_loss(device: &wgpu::Device, lost: &Arc<Mutex<Option<String>>>) {
    let lost = Arc::clone(lost);
    if let Some(gpu) = device.as_webgpu() {
        let promise = gpu.lost();
        wasm_bindgen_futures::spawn_local(async move {
            let why = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(info) => {
                    let info: LostInfo = info.unchecked_into();
                    format!("device lost ({}): {}", info.reason(), info.message())
                }
                Err(_) => "device lost".to_owned(),
            };
            *lock(&lost) = Some(why);
        });
        return;
    }
    device.set_device_lost_callback(move |reason, message| {
        let reason = match reason {
            wgpu::DeviceLostReason::Destroyed => "destroyed",
            _ => "unknown",
        };
        *lock(&lost) = Some(format!("device lost ({reason}): {message}"));
    });
    device.on_uncaptured_error(Arc::new(|error| {
        web_sys::console::error_1(&format!("logmesh: {BACKEND_NAME}: {error}").into());
    }));
}

/// The second, asynchronous half of starting a 3D view: adapter, device, surface configuration
/// and renderer, sized
/// `width` x `height` CSS px at `dpr`, in the dark or light theme. `render` error when no
/// adapter or device can be had.
#[wasm_bindgen]
pub async fn start_view(
    setup: ViewSetup,
    width: f32,
    height: f32,
    dpr: f32,
    dark: bool,
) -> Result<View, JsValue> {
    let ViewSetup {
        instance,
        surface,
        canvas,
        scene,
    } = setup;
    let context = GpuContext::new(instance, Some(&surface))
        .await
        .map_err(render_error)?;
    let lost = Arc::new(Mutex::new(None));
    watch_loss(&context.device, &lost);
    let caps = surface.get_capabilities(&context.adapter);
    // Prefer a non-sRGB format: the shaders then write sRGB values and blend as the PNG frame,
    // Canvas2D and SVG do (both backends look the same).
    let format = caps
        .formats
        .iter()
        .copied()
        .find(|f| !f.is_srgb())
        .or_else(|| caps.formats.first().copied())
        .ok_or_else(|| web_error("render", format!("{BACKEND_NAME}: no surface format")))?;
    let viewport = Viewport::new(width, height, dpr);
    let config = wgpu::SurfaceConfiguration {
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
        format,
        width: viewport.width_device().max(1),
        height: viewport.height_device().max(1),
        present_mode: wgpu::PresentMode::Fifo,
        desired_maximum_frame_latency: 2,
        alpha_mode: caps
            .alpha_modes
            .first()
            .copied()
            .unwrap_or(wgpu::CompositeAlphaMode::Auto),
        view_formats: vec![],
        color_space: wgpu::SurfaceColorSpace::Auto,
    };
    let renderer = Renderer::new(&context.device, format, SAMPLE_COUNT);
    let readback = context.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("logmesh pick readback"),
        size: PickTargets::pixels_readback_size(1),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let surface = GpuSurface {
        context,
        surface,
        canvas,
        config,
        renderer,
        msaa: None,
        pick_targets: None,
        readback,
        pick_state: Arc::new(Mutex::new(PickState::Idle)),
        ids_readback: None,
        ids_state: Arc::new(Mutex::new(PickState::Idle)),
        ids: None,
        lost,
        in_flight: Arc::new(AtomicU32::new(0)),
    };
    View::new(surface, LiveFrame::new(scene, viewport, dark))
}

impl Surface for GpuSurface {
    fn lost(&self) -> Option<String> {
        lock(&self.lost).clone()
    }

    /// At most the device's texture size a side: at a lower dpr down to 1 (or the page's dpr
    /// when that is less), and `too-large` past that (the element shows the 2D view instead).
    fn fit(&self, viewport: Viewport) -> Result<Viewport, JsValue> {
        let max = self.context.device.limits().max_texture_dimension_2d;
        let floor = viewport.dpr.min(1.0);
        viewport.fit_within(max, floor).ok_or_else(|| {
            web_error(
                "too-large",
                format!(
                    "{BACKEND_NAME}: a {} x {} CSS px frame is larger than the GPU draws at dpr {} \
                     ({max} px a side)",
                    crate::error::decimal(viewport.width_css),
                    crate::error::decimal(viewport.height_css),
                    crate::error::decimal(floor),
                ),
            )
        })
    }

    /// The canvas and its targets get round(W * dpr) x round(H * dpr) pixels, as a PNG frame
    /// would (`viewport` is fitted).
    fn resize(&mut self, viewport: Viewport) -> Result<(), JsValue> {
        let (w, h) = (viewport.width_device(), viewport.height_device());
        self.canvas.set_width(w);
        self.canvas.set_height(h);
        self.config.width = w;
        self.config.height = h;
        self.surface.configure(&self.context.device, &self.config);
        let device = &self.context.device;
        if let Some((old, _)) = self.msaa.take() {
            old.destroy();
        }
        self.msaa = (SAMPLE_COUNT > 1).then(|| {
            let texture = device.create_texture(&wgpu::TextureDescriptor {
                label: Some("logmesh frame (multisampled)"),
                size: wgpu::Extent3d {
                    width: w,
                    height: h,
                    depth_or_array_layers: 1,
                },
                mip_level_count: 1,
                sample_count: SAMPLE_COUNT,
                dimension: wgpu::TextureDimension::D2,
                format: self.config.format,
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
                view_formats: &[],
            });
            let view = texture.create_view(&Default::default());
            (texture, view)
        });
        Ok(())
    }

    fn render(&mut self, live: &mut LiveFrame) -> Result<bool, JsValue> {
        if let Some(why) = self.lost() {
            return Err(web_error("context-lost", why));
        }
        if cfg!(not(feature = "webgl"))
            && self.in_flight.load(Ordering::Relaxed) >= MAX_FRAMES_IN_FLIGHT
        {
            return Ok(false);
        }
        let device = &self.context.device;
        let queue = &self.context.queue;
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(frame)
            | wgpu::CurrentSurfaceTexture::Suboptimal(frame) => frame,
            wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => {
                return Ok(false);
            }
            wgpu::CurrentSurfaceTexture::Outdated => {
                self.surface.configure(device, &self.config);
                return Ok(false);
            }
            wgpu::CurrentSurfaceTexture::Lost => {
                return Err(web_error("context-lost", "the surface was lost"));
            }
            // Named rather than `{:?}`: the derived Debug of a surface texture pulls wgpu's
            // formatting tables into the module.
            wgpu::CurrentSurfaceTexture::Validation => {
                return Err(web_error(
                    "render",
                    format!("{BACKEND_NAME}: no frame to draw into (validation error)"),
                ));
            }
        };
        // The id buffer is sized with the frame presented (not on resize): a pick between a
        // resize and the next frame reads the frame on screen, drawn with its own uniforms.
        let size = (self.config.width, self.config.height);
        if self.pick_targets.as_ref().is_none_or(|t| t.size() != size) {
            self.pick_targets = Some(PickTargets::new(device, size.0, size.1));
        }
        self.renderer.prepare(
            device,
            queue,
            &live.scene,
            &live.camera,
            live.viewport,
            live.theme,
            // Hover, selection and focus rings are drawn by the element's overlay, so that they
            // never cost a GPU frame (which would hold back the next pointer event).
            &Highlight::default(),
        );
        let target = frame.texture.create_view(&Default::default());
        let mut encoder = device.create_command_encoder(&Default::default());
        match &self.msaa {
            Some((_, msaa)) => self
                .renderer
                .encode_visible_pass(&mut encoder, msaa, Some(&target)),
            None => self
                .renderer
                .encode_visible_pass(&mut encoder, &target, None),
        }
        queue.submit([encoder.finish()]);
        if cfg!(not(feature = "webgl")) {
            self.in_flight.fetch_add(1, Ordering::Relaxed);
            let in_flight = Arc::clone(&self.in_flight);
            queue.on_submitted_work_done(move || {
                in_flight.fetch_sub(1, Ordering::Relaxed);
            });
        }
        queue.present(frame);
        live.show(None);
        Ok(true)
    }

    fn orbit(live: &mut LiveFrame, dx: f32, dy: f32) {
        let per_px = ORBIT_PER_HEIGHT_RAD / live.viewport.height_css.max(1.0);
        live.orbit(-dx * per_px, dy * per_px);
    }

    fn pick_begin(&mut self, live: &LiveFrame, x: f32, y: f32) -> bool {
        let mut state = lock(&self.pick_state);
        if matches!(*state, PickState::Pending | PickState::Mapped) {
            return false;
        }
        let (Some((_, viewport)), Some(targets)) = (live.shown(), self.pick_targets.as_ref())
        else {
            *state = PickState::Outside;
            return true;
        };
        let Some((px, py)) = device_pixel(x, y, viewport) else {
            *state = PickState::Outside;
            return true;
        };
        let device = &self.context.device;
        let mut encoder = device.create_command_encoder(&Default::default());
        self.renderer.encode_pick_pass(
            &mut encoder,
            targets.ids_view(),
            targets.depth_view(),
            Some([px, py, 1, 1]),
        );
        targets.copy_pixels(&mut encoder, &[(px, py)], &self.readback);
        self.context.queue.submit([encoder.finish()]);
        *state = PickState::Pending;
        drop(state);
        let done = Arc::clone(&self.pick_state);
        self.readback
            .map_async(wgpu::MapMode::Read, .., move |result| {
                *lock(&done) = match result {
                    Ok(()) => PickState::Mapped,
                    Err(e) => PickState::Failed(e.to_string()),
                };
            });
        true
    }

    fn pick_poll(&mut self) -> i32 {
        self.poll();
        let mut state = lock(&self.pick_state);
        let answer = match &*state {
            PickState::Idle => Pick::Idle as i32,
            PickState::Pending => return Pick::Pending as i32,
            PickState::Outside => Pick::None as i32,
            PickState::Failed(why) => {
                web_sys::console::warn_1(&format!("logmesh: pick readback failed: {why}").into());
                Pick::Failed as i32
            }
            PickState::Mapped => {
                let index = self
                    .readback
                    .get_mapped_range(..)
                    .ok()
                    .and_then(|bytes| pick_index_in_pixels(&bytes, 0));
                self.readback.unmap();
                Pick::answer(index)
            }
        };
        *state = PickState::Idle;
        answer
    }

    /// Nothing to do while a read is in flight, or when the cache already holds this frame.
    fn ids_begin(&mut self, live: &LiveFrame) -> bool {
        let Some((camera, viewport)) = live.shown() else {
            return false;
        };
        if self.ids_readback.is_some()
            || self
                .ids
                .as_ref()
                .is_some_and(|c| c.camera == camera && c.viewport == viewport)
        {
            return false;
        }
        let Some(targets) = self.pick_targets.as_ref() else {
            return false;
        };
        let device = &self.context.device;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("logmesh id buffer readback"),
            size: targets.whole_readback_size(),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&Default::default());
        self.renderer.encode_pick_pass(
            &mut encoder,
            targets.ids_view(),
            targets.depth_view(),
            None,
        );
        targets.copy_whole(&mut encoder, &buffer);
        self.context.queue.submit([encoder.finish()]);
        *lock(&self.ids_state) = PickState::Pending;
        let done = Arc::clone(&self.ids_state);
        buffer.map_async(wgpu::MapMode::Read, .., move |result| {
            *lock(&done) = match result {
                Ok(()) => PickState::Mapped,
                Err(e) => PickState::Failed(e.to_string()),
            };
        });
        self.ids_readback = Some((buffer, camera, viewport));
        true
    }

    fn ids_poll(&mut self) -> bool {
        self.poll();
        let mut state = lock(&self.ids_state);
        match &*state {
            PickState::Pending => return true,
            PickState::Mapped => {
                if let (Some((buffer, camera, viewport)), Some(targets)) =
                    (self.ids_readback.as_ref(), self.pick_targets.as_ref())
                    && targets.size() == (viewport.width_device(), viewport.height_device())
                    && let Ok(bytes) = buffer.get_mapped_range(..)
                {
                    let (width, height) = targets.size();
                    let row = crate::render::padded_row_bytes(width, 4) as usize;
                    let mut ids = Vec::with_capacity((width * height) as usize);
                    for y in 0..height as usize {
                        let line = &bytes[y * row..y * row + width as usize * 4];
                        ids.extend(
                            line.chunks_exact(4)
                                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                        );
                    }
                    self.ids = Some(IdCache {
                        camera: *camera,
                        viewport: *viewport,
                        width,
                        ids,
                    });
                }
                if let Some((buffer, ..)) = self.ids_readback.as_ref() {
                    buffer.unmap();
                }
            }
            PickState::Failed(_) | PickState::Idle | PickState::Outside => {}
        }
        *state = PickState::Idle;
        // A readback buffer serves one read: freed now, not when the garbage collector runs.
        if let Some((buffer, ..)) = self.ids_readback.take() {
            buffer.destroy();
        }
        false
    }

    /// From the cached id buffer, when it holds the frame on screen.
    fn pick_cached(&mut self, live: &mut LiveFrame, x: f32, y: f32) -> i32 {
        let (Some((camera, viewport)), Some(cache)) = (live.shown(), self.ids.as_ref()) else {
            return Pick::Pending as i32;
        };
        if cache.camera != camera || cache.viewport != viewport {
            return Pick::Pending as i32;
        }
        let Some((px, py)) = device_pixel(x, y, viewport) else {
            return Pick::None as i32;
        };
        Pick::answer(crate::picking::decode(
            cache.ids[(py * cache.width + px) as usize],
        ))
    }

    fn release(&self) {
        self.context.device.destroy();
    }
}
