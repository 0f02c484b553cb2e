// tests/browser/lib/images.mjs on synthetic images (no browser).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodePng,
  encodePng,
  isBlank,
  meanAbsDiff,
  pixelAt,
  resizeBilinear,
  resizeNearest,
} from './lib/images.mjs';

function solid(width, height, [r, g, b, a = 255]) {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([r, g, b, a], i);
  return { width, height, data };
}

test('PNG round trip and pixelAt', () => {
  const img = solid(3, 2, [10, 20, 30]);
  img.data.set([255, 0, 0, 255], (1 * 3 + 2) * 4);
  const back = decodePng(encodePng(img));
  assert.equal(back.width, 3);
  assert.equal(back.height, 2);
  assert.deepEqual(pixelAt(back, 2, 1), [255, 0, 0, 255]);
  assert.deepEqual(pixelAt(back, 0, 0), [10, 20, 30, 255]);
  assert.throws(() => pixelAt(back, 3, 0), RangeError);
});

test('meanAbsDiff is a fraction over RGB, ignoring alpha', () => {
  const black = solid(4, 4, [0, 0, 0, 0]);
  assert.equal(meanAbsDiff(black, solid(4, 4, [0, 0, 0, 255])), 0);
  assert.equal(meanAbsDiff(black, solid(4, 4, [255, 255, 255])), 1);
  assert.equal(meanAbsDiff(black, solid(4, 4, [255, 0, 0])), 1 / 3);
  assert.throws(() => meanAbsDiff(black, solid(2, 2, [0, 0, 0])), /size mismatch/);
});

test('resizing keeps flat colours and halves of a split image', () => {
  // Left half red, right half blue, 1200x675 (the static frame's size) -> 800x450.
  const img = solid(1200, 675, [255, 0, 0]);
  for (let y = 0; y < 675; y++) for (let x = 600; x < 1200; x++) img.data.set([0, 0, 255, 255], (y * 1200 + x) * 4);
  for (const resize of [resizeNearest, resizeBilinear]) {
    const small = resize(img, 800, 450);
    assert.equal(small.width, 800);
    assert.equal(small.height, 450);
    assert.deepEqual(pixelAt(small, 10, 10), [255, 0, 0, 255], resize.name);
    assert.deepEqual(pixelAt(small, 790, 440), [0, 0, 255, 255], resize.name);
    assert.ok(meanAbsDiff(resizeNearest(small, 1200, 675), img) < 0.01, resize.name);
  }
  // Bilinear blends across the edge; nearest does not.
  const edge = resizeBilinear(solid(2, 1, [0, 0, 0]), 4, 1);
  assert.deepEqual(pixelAt(edge, 0, 0), [0, 0, 0, 255]);
  const ramp = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 255, 200, 200, 200, 255]) };
  assert.deepEqual(pixelAt(resizeBilinear(ramp, 4, 1), 1, 0), [50, 50, 50, 255]);
  assert.deepEqual(pixelAt(resizeNearest(ramp, 4, 1), 1, 0), [0, 0, 0, 255]);
});

test('isBlank tolerates noise, not content', () => {
  const img = solid(100, 100, [18, 18, 24]);
  assert.equal(isBlank(img), true);
  assert.equal(isBlank(img, [20, 20, 20], 8), true);
  assert.equal(isBlank(img, [255, 255, 255], 8), false);
  img.data.set([200, 200, 200, 255], 0); // one stray pixel in 10,000: still blank at the default 0.999
  assert.equal(isBlank(img, [18, 18, 24]), true);
  for (let i = 0; i < 50; i++) img.data.set([200, 200, 200, 255], (50 * 100 + i) * 4); // a line: content
  assert.equal(isBlank(img, [18, 18, 24]), false);
});
