//! The renderer's one error type. Each failure is reported once, here, with what was being done.

#[cfg(not(target_arch = "wasm32"))]
use std::path::PathBuf;

/// What can go wrong while rendering or picking on a GPU.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No GPU adapter (hardware or software) is available to this process.
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// The adapter refused to create a device with the limits the renderer needs.
    #[error("could not create a GPU device: {0}")]
    RequestDevice(#[from] wgpu::RequestDeviceError),
    /// The frame is degenerate or larger than the device allows.
    #[error(
        "frame of {} x {} CSS px at dpr {} is not renderable \
         ({width_device} x {height_device} device px; the device allows at most {max_device} px a side)",
        crate::error::decimal(*.width_css),
        crate::error::decimal(*.height_css),
        crate::error::decimal(*.dpr)
    )]
    InvalidViewport {
        /// Width, CSS px.
        width_css: f32,
        /// Height, CSS px.
        height_css: f32,
        /// Device pixels per CSS pixel.
        dpr: f32,
        /// Width in device px, as rounded.
        width_device: u32,
        /// Height in device px, as rounded.
        height_device: u32,
        /// The device's largest texture side.
        max_device: u32,
    },
    /// wgpu reported a validation or out-of-memory error while recording or submitting work.
    #[error("GPU error: {0}")]
    Gpu(String),
    /// Mapping a readback buffer, or waiting for the GPU, failed.
    #[error("reading back from the GPU failed: {0}")]
    Readback(String),
    /// Encoding a PNG failed (native only).
    #[cfg(not(target_arch = "wasm32"))]
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
    /// Encoding a WebP frame failed (native only, feature `webp`).
    #[cfg(all(feature = "webp", not(target_arch = "wasm32")))]
    #[error("WebP encoding failed: {0}")]
    Webp(String),
    /// Writing a file failed (native only).
    #[cfg(not(target_arch = "wasm32"))]
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}
