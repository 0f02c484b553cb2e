//! Small GPU buffer helpers shared by the pipelines.
//!
//! [`GrowBuffer`] holds per-frame instance data whose size follows the scene: it is replaced by
//! a larger one (the next power of two) when the data outgrows it, and never shrinks, so a
//! renderer fed the same scene frame after frame allocates nothing.

/// A GPU buffer that grows (to the next power of two) when the data outgrows it.
#[derive(Debug)]
pub(crate) struct GrowBuffer {
    label: &'static str,
    usage: wgpu::BufferUsages,
    buffer: wgpu::Buffer,
}

/// The size of a new buffer, and the least any buffer grows to, in bytes.
const MIN_SIZE_BYTES: u64 = 1024;

impl GrowBuffer {
    /// An empty buffer of `usage` (plus `COPY_DST`, for uploads).
    pub(crate) fn new(
        device: &wgpu::Device,
        label: &'static str,
        usage: wgpu::BufferUsages,
    ) -> Self {
        let usage = usage | wgpu::BufferUsages::COPY_DST;
        let buffer = Self::create(device, label, usage, MIN_SIZE_BYTES);
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
            let size = needed.next_power_of_two().max(MIN_SIZE_BYTES);
            let old = std::mem::replace(
                &mut self.buffer,
                Self::create(device, self.label, self.usage, size),
            );
            // Freed now (after the work already submitted with it), not when the page's
            // garbage collector gets to it (WebGPU).
            old.destroy();
        }
        if !bytes.is_empty() {
            queue.write_buffer(&self.buffer, 0, bytes);
        }
    }

    /// The buffer as it is now (a new one after a write that grew it).
    pub(crate) fn buffer(&self) -> &wgpu::Buffer {
        &self.buffer
    }
}
