//! Frames as lossy WebP, tuned for what logmesh draws: a flat background, small shaded discs and
//! thin faint lines (docs/DESIGN.md, "Coordinates and frames": the compressed frames).
//!
//! Native only (feature `webp`, which `cli` turns on): the encoder is Google's libwebp, built from
//! C through `libwebp-sys`; the browser never encodes a frame, and no wasm module may depend on
//! it. The PNG stays the canonical frame; a WebP frame is a copy small enough for a phone on a
//! mobile network, checked against its PNG in `tests/frames.rs` (mean absolute difference
//! <= 2%, post centres within +-8 per channel of their palette colours).
//!
//! # Decisions ([`WebpSettings::default`])
//! - **A size target, not a quality.** The budget is 60 kB a frame (a phone on a mobile network)
//!   for a 1,000-post site at any size and density written; no fixed quality meets it: quality
//!   80 gives 44 kB for the 3D frame but 97 kB for the 2D one (its edges cross the whole frame)
//!   and 257 kB for the 2D frame at dpr 2. So libwebp searches the quality itself, in up to ten
//!   passes, for 58,000 bytes (2 kB below the budget: the search lands within a few per cent).
//!   `examples/webp_tune.rs` prints the figures.
//! - **Method 6** (libwebp's slowest search): a few per cent smaller at the same quality. With
//!   the size search it costs 0.5 to 1 s a frame at dpr 1 and 2 to 4 s at dpr 2, paid once at
//!   build time: `prerender` of the 1k fixture takes about 4 s instead of 1 s.
//! - **Spatial noise shaping 100** (libwebp's default is 50): it moves bits from the flat
//!   background to the busy discs. Once the 2D discs were shaded like the 3D ones (a gradient to
//!   the rim), it took the 2D frame at dpr 2 from 1.8% to 1.5% mean difference and from 844 to
//!   709 of 1,000 centres over 8, at the same size (`examples/webp_tune.rs`).
//! - **Everything else at libwebp's defaults** (filter strength 60, 4 segments, plain RGB to
//!   YUV). At this size none of them moved the decoded frame's difference from the PNG by more
//!   than noise; sharp RGB to YUV (`use_sharp_yuv`), tried for
//!   the chroma of small discs, did not help them (their error is the quantisation of an
//!   8 px chroma block, not the conversion) and doubled the encoding time.
//! - **What it costs** (tests/frames.rs): the decoded frame is within 2% mean absolute
//!   difference of the PNG at dpr 1 and within 2.5% at dpr 2 (the 2D frame, 2.2-2.4%; the 2D
//!   frame at prerender's default phone frame, 390 x 390 CSS px at dpr 3, 2.3-2.5% in 54-56 kB,
//!   at dpr 2 2.1%); the
//!   centre of a small disc (every post of these frames has r < 8 CSS px) moves by 6 to 10 per
//!   channel on average and by up to 38, so docs/DESIGN.md's +-8 centre tolerance holds for the
//!   PNG and the live view, not for the WebP copy; the widening is stated there.

use super::{RenderError, RgbaImage};

/// The knobs of libwebp's lossy encoder that matter for these frames (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WebpSettings {
    /// 0 (smallest) to 100 (best).
    pub quality: f32,
    /// 0 (fastest) to 6 (smallest for the quality).
    pub method: i32,
    /// Spatial noise shaping, 0 to 100: how much quality moves from flat areas to busy ones.
    pub sns_strength: i32,
    /// Loop filter strength, 0 (off) to 100.
    pub filter_strength: i32,
    /// Number of segments, 1 to 4.
    pub segments: i32,
    /// Sharp (slower, more accurate) RGB to YUV conversion.
    pub sharp_yuv: bool,
    /// A size to aim at, in bytes: libwebp then searches the quality itself over several passes
    /// (`quality` is its starting point) and the file comes out near this size.
    pub target_bytes: Option<u32>,
}

impl Default for WebpSettings {
    /// The settings `logmesh prerender` uses (the module docs say why).
    fn default() -> Self {
        WebpSettings {
            quality: 80.0,
            method: 6,
            sns_strength: 100,
            filter_strength: 60,
            segments: 4,
            sharp_yuv: false,
            target_bytes: Some(58_000),
        }
    }
}

impl RgbaImage {
    /// The image as a lossy WebP file with `settings` (an opaque image gets no alpha channel).
    pub fn encode_webp(&self, settings: &WebpSettings) -> Result<Vec<u8>, RenderError> {
        let expected = self.width as usize * self.height as usize * 4;
        if self.width == 0 || self.height == 0 || self.pixels.len() != expected {
            return Err(RenderError::Webp(format!(
                "{} x {} image with {} bytes",
                self.width,
                self.height,
                self.pixels.len()
            )));
        }
        let mut config = webp::WebPConfig::new()
            .map_err(|()| RenderError::Webp("libwebp rejected its own configuration".into()))?;
        config.lossless = 0;
        config.quality = settings.quality;
        config.method = settings.method;
        config.sns_strength = settings.sns_strength;
        config.filter_strength = settings.filter_strength;
        config.segments = settings.segments;
        config.use_sharp_yuv = i32::from(settings.sharp_yuv);
        if let Some(target) = settings.target_bytes {
            config.target_size = i32::try_from(target).unwrap_or(i32::MAX);
            config.pass = 10;
        }
        let encoder = webp::Encoder::from_rgba(&self.pixels, self.width, self.height);
        let memory = encoder
            .encode_advanced(&config)
            .map_err(|e| RenderError::Webp(format!("{e:?}")))?;
        Ok(memory.to_vec())
    }

    /// A WebP file decoded (by libwebp), or `None` when it is not one. For tests and checks.
    pub fn decode_webp(bytes: &[u8]) -> Option<RgbaImage> {
        let image = webp::Decoder::new(bytes).decode()?;
        let (width, height) = (image.width(), image.height());
        let pixels = match image.layout() {
            webp::PixelLayout::Rgba => image.to_vec(),
            webp::PixelLayout::Rgb => image
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
        };
        Some(RgbaImage {
            width,
            height,
            pixels,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_an_opaque_image() {
        let (width, height) = (64u32, 48u32);
        let mut pixels = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let inside = (x as i32 - 32).pow(2) + (y as i32 - 24).pow(2) < 100;
                pixels.extend_from_slice(if inside {
                    &[230, 120, 40, 255]
                } else {
                    &[15, 17, 23, 255]
                });
            }
        }
        let image = RgbaImage {
            width,
            height,
            pixels,
        };
        let bytes = image
            .encode_webp(&WebpSettings::default())
            .expect("encodes");
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
        let decoded = RgbaImage::decode_webp(&bytes).expect("decodes");
        assert_eq!((decoded.width, decoded.height), (width, height));
        let centre = decoded.pixel(32, 24).expect("inside");
        for c in 0..3 {
            assert!(centre[c].abs_diff([230, 120, 40][c]) <= 8, "{centre:?}");
        }
        assert_eq!(centre[3], 255);
        assert!(RgbaImage::decode_webp(b"not a webp").is_none());
    }

    #[test]
    fn rejects_a_degenerate_image() {
        let empty = RgbaImage {
            width: 0,
            height: 0,
            pixels: Vec::new(),
        };
        assert!(empty.encode_webp(&WebpSettings::default()).is_err());
    }
}
