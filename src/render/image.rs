//! Frames read back from the GPU as plain RGBA8 images ([`crate::raster`]), and their PNG encoding.
//!
//! Pure: no GPU and no file system, so the browser build can use it too.

#[cfg(not(target_arch = "wasm32"))]
use super::RenderError;

/// wgpu's alignment of the rows of a texture copied into a buffer (`COPY_BYTES_PER_ROW_ALIGNMENT`).
pub const ROW_ALIGNMENT_BYTES: u32 = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;

/// The byte length of a row of `width` pixels of `bytes_per_pixel` each in a texture-to-buffer
/// copy: rounded up to a multiple of [`ROW_ALIGNMENT_BYTES`] (256).
pub fn padded_row_bytes(width: u32, bytes_per_pixel: u32) -> u32 {
    (width * bytes_per_pixel).div_ceil(ROW_ALIGNMENT_BYTES) * ROW_ALIGNMENT_BYTES
}

pub use crate::raster::RgbaImage;

impl RgbaImage {
    /// The image as a PNG file (8-bit RGBA, marked sRGB). Native only.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn encode_png(&self) -> Result<Vec<u8>, RenderError> {
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, self.width, self.height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&self.pixels)?;
            writer.finish()?;
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_padded_to_256_bytes() {
        assert_eq!(padded_row_bytes(1, 4), 256);
        assert_eq!(padded_row_bytes(64, 4), 256);
        assert_eq!(padded_row_bytes(65, 4), 512);
        assert_eq!(padded_row_bytes(1200, 4), 4864);
    }

    #[test]
    fn padding_is_stripped() {
        let (width, height) = (3u32, 2u32);
        let row_bytes = padded_row_bytes(width, 4);
        let mut padded = vec![0xEEu8; (row_bytes * height) as usize];
        for y in 0..height {
            for x in 0..width {
                let at = (y * row_bytes + x * 4) as usize;
                padded[at..at + 4].copy_from_slice(&[x as u8, y as u8, 7, 255]);
            }
        }
        let image = RgbaImage::from_padded_rows(width, height, row_bytes, &padded);
        assert_eq!(image.pixels.len(), 3 * 2 * 4);
        assert_eq!(image.pixel(2, 1), Some([2, 1, 7, 255]));
        assert_eq!(image.pixel(3, 0), None);
        assert!(!image.pixels.contains(&0xEE));
        let png = image.encode_png().expect("encodes");
        assert_eq!(&png[1..4], b"PNG");
    }
}
