import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordingsToRemove } from '../../signal-server/recordings/retention-rule.js';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;
const limits = { maxAgeMs: 24 * HOUR, maxBytesPerCamera: 1000 };

const rec = (id: string, deviceId: string, startedHoursAgo: number, sizeBytes: number, lengthMs = 600_000) => ({
  id,
  deviceId,
  startedAtMs: NOW - startedHoursAgo * HOUR,
  endedAtMs: NOW - startedHoursAgo * HOUR + lengthMs,
  sizeBytes,
});

const removed = (recordings: ReturnType<typeof rec>[]) =>
  recordingsToRemove(recordings, limits, NOW).map((r) => `${r.recording.id}:${r.reason}`);

test('nothing goes while every camera is inside both limits', () => {
  assert.deepEqual(removed([rec('a', 'c1', 23, 500), rec('b', 'c1', 1, 500), rec('c', 'c2', 2, 1000)]), []);
});

test('footage that ended longer ago than the age limit goes, whatever its size', () => {
  assert.deepEqual(removed([rec('old', 'c1', 30, 1), rec('edge', 'c1', 24, 1, 1), rec('new', 'c1', 1, 1)]), [
    'old:age',
  ]);
  assert.deepEqual(
    removed([rec('ends-inside', 'c1', 24.1, 1, 0.2 * HOUR)]),
    [],
    'age counts from the end of the footage',
  );
});

test('over the byte cap, the oldest go first until the camera fits', () => {
  const recordings = [
    rec('r1', 'c1', 5, 400),
    rec('r2', 'c1', 4, 400),
    rec('r3', 'c1', 3, 600),
    rec('r4', 'c1', 2, 100),
  ];
  assert.deepEqual(removed(recordings), ['r1:size', 'r2:size']);
});

test('the byte cap is per camera', () => {
  assert.deepEqual(removed([rec('a', 'c1', 3, 600), rec('b', 'c2', 2, 600), rec('c', 'c1', 1, 600)]), ['a:size']);
});

test('the newest recording stays even when it alone is over the cap; every older one goes', () => {
  assert.deepEqual(removed([rec('older', 'c1', 3, 10), rec('huge', 'c1', 1, 5000)]), ['older:size']);
  assert.deepEqual(removed([rec('only', 'c1', 1, 5000)]), []);
});

test('removals come oldest first across cameras and reasons', () => {
  const recordings = [rec('c1-new', 'c1', 1, 900), rec('c2-aged', 'c2', 48, 1), rec('c1-mid', 'c1', 10, 900)];
  assert.deepEqual(removed(recordings), ['c2-aged:age', 'c1-mid:size']);
});

test('a pinned recording never goes for size, though its bytes count; older ones still go', () => {
  const items = [rec('old', 'c1', 5, 400), { ...rec('pinned', 'c1', 4, 800), pinned: true }, rec('newer', 'c1', 1, 300)];
  assert.deepEqual(
    recordingsToRemove(items, limits, NOW).map((r) => `${r.recording.id}:${r.reason}`),
    ['old:size'],
  );
  assert.deepEqual(
    recordingsToRemove([{ ...rec('aged', 'c1', 30, 1), pinned: true }], limits, NOW).map((r) => r.reason),
    ['age'],
  );
});
