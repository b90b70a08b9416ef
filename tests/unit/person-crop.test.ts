import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropSquare } from '../../pwa/camera/motion/person-crop.js';

test('the square around a moving blob is twice its longer side, centred on it', () => {
  // A blob 40×80 px at (300, 200) in 640×480: a square of 160 centred on (320, 240).
  assert.deepEqual(cropSquare({ x: 300 / 640, y: 200 / 480, width: 40 / 640, height: 80 / 480 }, 640, 480), { x: 240, y: 160, side: 160 });
});

test('a small blob still gets a quarter of the picture height, and a square never leaves the picture', () => {
  assert.deepEqual(cropSquare({ x: 0.5, y: 0.5, width: 0.01, height: 0.01 }, 640, 480), { x: 263, y: 182, side: 120 });
  // At the bottom right corner: moved inside.
  assert.deepEqual(cropSquare({ x: 0.95, y: 0.95, width: 0.05, height: 0.05 }, 640, 480), { x: 520, y: 360, side: 120 });
  // A blob over most of the picture: the square is the picture's shorter side.
  assert.deepEqual(cropSquare({ x: 0, y: 0, width: 1, height: 0.9 }, 640, 480), { x: 80, y: 0, side: 480 });
});

test('a picture with no size is refused', () => {
  assert.throws(() => cropSquare({ x: 0, y: 0, width: 1, height: 1 }, 0, 480), RangeError);
});
