//! A frame as plain RGBA8 pixels: what the GPU reads back, what resvg rasterises an SVG frame to
//! (feature `raster`), and what the encoders take. No dependency, so every build has it.

/// A frame: `width` x `height` device pixels, rows top to bottom, 4 bytes per pixel (R, G, B,
/// A), the colour channels sRGB-encoded, no row padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub pixels: Vec<u8>,
}

impl RgbaImage {
    /// The image in `padded` (rows of `row_bytes` each, as a texture copy leaves them), with
    /// the padding of each row dropped.
    ///
    /// # Panics
    /// When `padded` is shorter than `height` rows or `row_bytes` shorter than a row.
    pub fn from_padded_rows(width: u32, height: u32, row_bytes: u32, padded: &[u8]) -> RgbaImage {
        let (width_bytes, row_bytes) = (width as usize * 4, row_bytes as usize);
        assert!(row_bytes >= width_bytes, "rows hold the pixels");
        let mut pixels = Vec::with_capacity(width_bytes * height as usize);
        for row in padded.chunks(row_bytes).take(height as usize) {
            pixels.extend_from_slice(&row[..width_bytes]);
        }
        assert_eq!(pixels.len(), width_bytes * height as usize, "every row");
        RgbaImage {
            width,
            height,
            pixels,
        }
    }

    /// The pixel at (`x`, `y`) from the top left, or `None` outside the image.
    pub fn pixel(&self, x: u32, y: u32) -> Option<[u8; 4]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let at = (y as usize * self.width as usize + x as usize) * 4;
        let p = self.pixels.get(at..at + 4)?;
        Some([p[0], p[1], p[2], p[3]])
    }
}

/// The quality the Node CLI encodes its WebP frames at ([`RgbaImage::encode_webp_pure`]): the
/// lowest that keeps the 2D phone frame within docs/DESIGN.md's 2.5% of its source
/// (`tests/frames_pure.rs`).
#[cfg(feature = "webp-pure")]
pub const PURE_WEBP_QUALITY: u8 = 85;

#[cfg(feature = "webp-pure")]
impl RgbaImage {
    /// The image as a lossy WebP file from a pure-Rust VP8 encoder (no libwebp), at `quality`
    /// (0 to 100). Larger than libwebp's at the same error (about 3x for the 2D phone frame),
    /// and what builds where C does not (the Node CLI).
    pub fn encode_webp_pure(&self, quality: u8) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        let mut encoder = image_webp::WebPEncoder::new(&mut bytes);
        let mut params = image_webp::EncoderParams::default();
        params.use_lossy = true;
        params.lossy_quality = quality.min(100);
        encoder.set_params(params);
        encoder
            .encode(
                &self.pixels,
                self.width,
                self.height,
                image_webp::ColorType::Rgba8,
            )
            .map_err(|e| e.to_string())?;
        Ok(bytes)
    }

    /// A WebP file decoded by the same crate, or `None` when it is not one (for tests).
    pub fn decode_webp_pure(bytes: &[u8]) -> Option<RgbaImage> {
        let mut decoder = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).ok()?;
        let (width, height) = decoder.dimensions();
        let mut data = vec![0; decoder.output_buffer_size()?];
        decoder.read_image(&mut data).ok()?;
        let pixels = if decoder.has_alpha() {
            data
        } else {
            data.chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect()
        };
        Some(RgbaImage {
            width,
            height,
            pixels,
        })
    }
}
