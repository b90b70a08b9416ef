import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moveCorner, movePolygon, pointIn, svgPoints } from '../../pwa/viewer/motion-settings/zone-geometry.js';

const square = [
  { x: 0.2, y: 0.2 },
  { x: 0.4, y: 0.2 },
  { x: 0.4, y: 0.5 },
  { x: 0.2, y: 0.5 },
];

test('a pointer on the picture is normalised to its box and clamped to it', () => {
  const box = { left: 100, top: 50, width: 400, height: 300 };
  assert.deepEqual(pointIn(box, 300, 125), { x: 0.5, y: 0.25 });
  assert.deepEqual(pointIn(box, 50, 400), { x: 0, y: 1 });
  assert.deepEqual(pointIn(box, 100 + 400 / 3, 50), { x: 0.3333, y: 0 });
});

test('a moved zone keeps its shape and stays inside the picture', () => {
  assert.deepEqual(movePolygon(square, 0.1, 0.1), [
    { x: 0.3, y: 0.3 },
    { x: 0.5, y: 0.3 },
    { x: 0.5, y: 0.6 },
    { x: 0.3, y: 0.6 },
  ]);
  // Pushed past the right and top edges: it stops at them.
  assert.deepEqual(movePolygon(square, 0.9, -0.9), [
    { x: 0.8, y: 0 },
    { x: 1, y: 0 },
    { x: 1, y: 0.3 },
    { x: 0.8, y: 0.3 },
  ]);
});

test('a moved corner changes only that corner, inside the picture', () => {
  assert.deepEqual(moveCorner(square, 2, { x: 1.4, y: 0.7 }), [square[0], square[1], { x: 1, y: 0.7 }, square[3]]);
  assert.equal(svgPoints(square), '0.2,0.2 0.4,0.2 0.4,0.5 0.2,0.5');
});
