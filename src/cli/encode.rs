//! The frame encoders: natively the `png` crate and libwebp (lossy, tuned for a mobile network:
//! `WebpSettings`); in the Node CLI, where C libraries do not build, the `png` crate and a
//! pure-Rust lossy WebP encoder (`RgbaImage::encode_webp_pure`: larger files for the same error).

use logmesh::raster::RgbaImage;

/// The image as a PNG file (8-bit RGBA, marked sRGB).
pub fn png(image: &RgbaImage) -> Result<Vec<u8>, String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        image.encode_png().map_err(|e| e.to_string())
    }
    #[cfg(target_arch = "wasm32")]
    {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, image.width, image.height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&image.pixels)
            .map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
        Ok(bytes)
    }
}

/// The image as a WebP file.
pub fn webp(image: &RgbaImage) -> Result<Vec<u8>, String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        image
            .encode_webp(&logmesh::render::WebpSettings::default())
            .map_err(|e| e.to_string())
    }
    #[cfg(target_arch = "wasm32")]
    {
        image.encode_webp_pure(logmesh::raster::PURE_WEBP_QUALITY)
    }
}
