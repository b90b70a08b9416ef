import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rasteriseZones, type Zone } from '../../pwa/camera/motion/zones.js';

const square = (kind: Zone['kind'], x0: number, y0: number, x1: number, y1: number): Zone => ({
  kind,
  points: [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }],
});

/** The mask as rows of '#' (analysed) and '.' (not). */
function picture(mask: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < mask.length; i += width) rows.push(Array.from(mask.subarray(i, i + width), (v) => (v ? '#' : '.')).join(''));
  return rows;
}

test('with no zones every pixel is analysed', () => {
  assert.ok(rasteriseZones([], 8, 4).every((v) => v === 1));
});

test('an ignore zone takes out the pixels whose centres it covers', () => {
  assert.deepEqual(picture(rasteriseZones([square('ignore', 0.25, 0.25, 0.75, 0.75)], 8, 4), 8), [
    '########',
    '##....##',
    '##....##',
    '########',
  ]);
});

test('"only here" zones keep just their inside, less any ignore zone within', () => {
  const zones = [square('only', 0, 0, 0.5, 1), square('ignore', 0, 0.5, 0.25, 1)];
  assert.deepEqual(picture(rasteriseZones(zones, 8, 4), 8), ['####....', '####....', '..##....', '..##....']);
});

test('a triangle is filled by the even–odd rule', () => {
  const triangle: Zone = { kind: 'only', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }] };
  assert.deepEqual(picture(rasteriseZones([triangle], 4, 4), 4), ['#...', '##..', '###.', '####']);
});

test('malformed zones are refused with a RangeError naming the zone', () => {
  assert.throws(() => rasteriseZones([{ kind: 'ignore', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }], 4, 4), /zone 0: .*3 points/);
  assert.throws(() => rasteriseZones([square('ignore', 0, 0, 0.5, 0.5), square('only', 0, 0, 1.5, 1)], 4, 4), /zone 1: .*outside 0\.\.1/);
  assert.throws(() => rasteriseZones([{ kind: 'hide' as Zone['kind'], points: square('only', 0, 0, 1, 1).points }], 4, 4), /zone 0: kind/);
});
