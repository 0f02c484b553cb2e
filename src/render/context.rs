//! Adapter and device creation, shared by the native headless renderer and the browser.
//!
//! Asks for any adapter (hardware first, a software one such as lavapipe when that is all there
//! is) and a device with WebGL2-level limits, raised only to the adapter's texture sizes: what
//! runs here runs in every browser backend. Never blocks: native callers wrap the future in
//! `pollster::block_on` (see `headless.rs`), the browser awaits it.

use super::RenderError;

/// An adapter, its device and queue, and what the adapter said about itself.
#[derive(Debug)]
pub struct GpuContext {
    /// The wgpu instance the adapter came from.
    pub instance: wgpu::Instance,
    /// The adapter.
    pub adapter: wgpu::Adapter,
    /// The device every renderer resource lives on.
    pub device: wgpu::Device,
    /// The device's queue.
    pub queue: wgpu::Queue,
    /// Name, backend, driver and device type of the adapter, for logs and `stats()`.
    pub adapter_info: wgpu::AdapterInfo,
}

impl GpuContext {
    /// Requests an adapter from `instance` (compatible with `surface` when given; WebGL2 needs
    /// one) and a device on it. A missing adapter is [`RenderError::NoAdapter`].
    pub async fn new(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<GpuContext, RenderError> {
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: surface,
                ..Default::default()
            })
            .await
            .map_err(|e| RenderError::NoAdapter(e.to_string()))?;
        let adapter_info = adapter.get_info();
        let required_limits =
            wgpu::Limits::downlevel_webgl2_defaults().using_resolution(adapter.limits());
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("logmesh"),
                required_features: wgpu::Features::empty(),
                required_limits,
                ..Default::default()
            })
            .await?;
        Ok(GpuContext {
            instance,
            adapter,
            device,
            queue,
            adapter_info,
        })
    }

    /// One line about the adapter: `llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan, Cpu)`.
    pub fn adapter_summary(&self) -> String {
        let info = &self.adapter_info;
        format!("{} ({:?}, {:?})", info.name, info.backend, info.device_type)
    }
}
