import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stretchContrast } from '../../pwa/camera/motion/contrast.js';
import { downscaleGray } from '../../pwa/camera/motion/downscale.js';
import { grayFromRgba } from '../../pwa/camera/motion/gray-frame.js';
import { MotionDetector } from '../../pwa/camera/motion/motion-detector.js';

test('downscaling averages each box of pixels and keeps the aspect ratio', () => {
  const data = new Uint8Array(400 * 300);
  for (let i = 0; i < data.length; i++) data[i] = (i % 400) % 4 < 2 ? 0 : 200;
  const small = downscaleGray({ width: 400, height: 300, data }, 100);
  assert.equal(small.height, 100);
  assert.equal(small.width, 133);
  // Stripes 2 px wide average out to about their mean.
  for (const value of small.data) assert.ok(value > 60 && value < 140, `value ${value}`);
  const tiny = { width: 40, height: 30, data: new Uint8Array(1200) };
  assert.equal(downscaleGray(tiny, 100), tiny);
});

test('the contrast stretch maps the 4th–96th percentile onto 0–255 but never gains more than 3×', () => {
  const ramp = Uint8Array.from({ length: 1000 }, (_, i) => Math.floor(i / 4));
  const range = stretchContrast(ramp);
  assert.deepEqual(range, { low: 9, high: 239 });
  assert.equal(ramp[0], 0);
  assert.equal(ramp[999], 255);
  const dark = Uint8Array.from({ length: 1000 }, (_, i) => 10 + (i % 20));
  stretchContrast(dark);
  assert.ok(Math.max(...dark) - Math.min(...dark) <= 20 * 3, 'noise in a dark, flat picture is not blown up');
});

test('RGBA becomes BT.601 luma', () => {
  const rgba = Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
  assert.deepEqual(Array.from(grayFromRgba(rgba, 4, 1).data), [76, 149, 28, 255]);
  assert.throws(() => grayFromRgba(rgba, 3, 1), RangeError);
});

test('the detector refuses malformed frames and zones', () => {
  const detector = new MotionDetector({ sensitivity: 'medium', zones: [] });
  assert.throws(() => detector.detect({ width: 10, height: 10, data: new Uint8Array(99) }), /needs 100 bytes/);
  assert.throws(() => detector.detect({ width: 0, height: 10, data: new Uint8Array(0) }), RangeError);
  assert.throws(() => new MotionDetector({ sensitivity: 'medium', zones: [{ kind: 'ignore', points: [] }] }), RangeError);
});

test('a bright square moving over a still picture is motion, boxed where it is', () => {
  const detector = new MotionDetector({ sensitivity: 'medium', zones: [] });
  const frameWithSquare = (left: number | null) => {
    const data = new Uint8Array(160 * 100);
    for (let i = 0; i < data.length; i++) data[i] = 60 + ((i * 7919) % 61);
    if (left !== null) for (let y = 40; y < 60; y++) for (let x = left; x < left + 20; x++) data[y * 160 + x] = 250;
    return { width: 160, height: 100, data };
  };
  const readings = [frameWithSquare(null), frameWithSquare(null), frameWithSquare(60), frameWithSquare(63), frameWithSquare(66)].map(
    (frame) => detector.detect(frame),
  );
  // The first frame sets the background, the second ends calibration; the square's first frame alone is not yet motion.
  assert.deepEqual(readings.slice(0, 3).map((r) => r.kind), ['calibrating', 'calibrating', 'still']);
  const last = readings[4]!;
  assert.equal(last.kind, 'motion');
  if (last.kind !== 'motion') return;
  assert.ok(last.box.x > 0.33 && last.box.x < 0.42 && last.box.y > 0.35 && last.box.y < 0.45, JSON.stringify(last.box));
  assert.ok(last.score > 0.01 && last.score < 0.1, `score ${last.score}`);
});

test('new zones take effect at once: an ignore zone over moving motion silences it after recalibrating', () => {
  const detector = new MotionDetector({ sensitivity: 'high', zones: [] });
  const frame = (step: number) => {
    const data = new Uint8Array(160 * 100).fill(90);
    for (let y = 40; y < 60; y++) for (let x = 20 + 3 * step; x < 40 + 3 * step; x++) data[y * 160 + x] = 250;
    return { width: 160, height: 100, data };
  };
  const kinds = (from: number, to: number) => {
    const out: string[] = [];
    for (let step = from; step < to; step++) out.push(detector.detect(frame(step)).kind);
    return out;
  };
  assert.ok(kinds(0, 8).includes('motion'));
  detector.configure({ sensitivity: 'high', zones: [{ kind: 'ignore', points: [{ x: 0, y: 0.3 }, { x: 1, y: 0.3 }, { x: 1, y: 0.7 }, { x: 0, y: 0.7 }] }] });
  assert.deepEqual(kinds(8, 16), ['calibrating', 'calibrating', 'still', 'still', 'still', 'still', 'still', 'still']);
});
