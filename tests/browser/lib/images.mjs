// Small image helpers for comparing screenshots. An image is { width, height, data } with `data` holding
// RGBA bytes, row by row (what pngjs decodes to).
import pngjs from 'pngjs';

const { PNG } = pngjs;

/** Decodes a PNG (Buffer or Uint8Array) to RGBA. */
export function decodePng(buffer) {
  const png = PNG.sync.read(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  return { width: png.width, height: png.height, data: png.data };
}

/** Encodes an RGBA image as PNG (to save an -actual or -diff image when a comparison fails). */
export function encodePng(img) {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return PNG.sync.write(png);
}

/** [r, g, b, a] at (x, y). */
export function pixelAt(img, x, y) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) {
    throw new RangeError(`pixel (${x}, ${y}) outside ${img.width}x${img.height}`);
  }
  const i = (y * img.width + x) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]];
}

/** Mean absolute difference over the R, G and B channels of two same-size images, as a fraction 0..1. */
export function meanAbsDiff(a, b) {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`size mismatch: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    sum += Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
  }
  return sum / ((a.data.length / 4) * 3 * 255);
}

/** Resizes by picking the source pixel under each target pixel's centre. */
export function resizeNearest(img, width, height) {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(img.height - 1, Math.floor(((y + 0.5) * img.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(img.width - 1, Math.floor(((x + 0.5) * img.width) / width));
      const s = (sy * img.width + sx) * 4;
      out.set(img.data.subarray(s, s + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data: out };
}

/**
 * Resizes with bilinear interpolation between the four source pixels around each target pixel's centre
 * (pixel centres aligned, edges clamped). Good for modest scale factors; for strong shrinking it skips
 * pixels, so compare with a tolerance.
 */
export function resizeBilinear(img, width, height) {
  const out = new Uint8Array(width * height * 4);
  const { width: sw, height: sh, data } = img;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(sh - 1, ((y + 0.5) * sh) / height - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(sw - 1, ((x + 0.5) * sw) / width - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = fx - x0;
      const p00 = (y0 * sw + x0) * 4;
      const p01 = (y0 * sw + x1) * 4;
      const p10 = (y1 * sw + x0) * 4;
      const p11 = (y1 * sw + x1) * 4;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) {
        const top = data[p00 + c] * (1 - wx) + data[p01 + c] * wx;
        const bottom = data[p10 + c] * (1 - wx) + data[p11 + c] * wx;
        out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * True when the image is (nearly) one flat colour: a blank frame. `background` is [r, g, b] (alpha
 * ignored), or null to use the top-left pixel. A pixel matches when each of R, G, B is within `tolerance`
 * (0..255); the image is blank when at least `fraction` of its pixels match.
 */
export function isBlank(img, background = null, tolerance = 8, fraction = 0.999) {
  const bg = background ?? pixelAt(img, 0, 0);
  const n = img.width * img.height;
  const allowed = Math.floor(n * (1 - fraction));
  let off = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (
      Math.abs(img.data[i] - bg[0]) > tolerance ||
      Math.abs(img.data[i + 1] - bg[1]) > tolerance ||
      Math.abs(img.data[i + 2] - bg[2]) > tolerance
    ) {
      if (++off > allowed) return false;
    }
  }
  return true;
}
