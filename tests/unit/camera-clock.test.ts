import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOCK_TOLERANCE_MS, toServerTime } from '../../signal-server/recordings/camera-clock.js';

const NOW = 1_800_000_000_000;
const YEAR = 365 * 86_400_000;

test('a camera that does not send its clock is taken at its word', () => {
  assert.equal(toServerTime(NOW - 42_000, undefined, NOW), NOW - 42_000);
});

test('a clock within the tolerance (network delay, NTP noise) is left alone', () => {
  assert.equal(toServerTime(NOW - 60_000, NOW - CLOCK_TOLERANCE_MS, NOW), NOW - 60_000);
  assert.equal(toServerTime(NOW - 60_000, NOW + CLOCK_TOLERANCE_MS, NOW), NOW - 60_000);
});

test('a clock a year behind or ahead is corrected by its offset, footage recorded earlier as well', () => {
  // Recorded 10 min before sending, on a clock a year slow.
  const sentAt = NOW - YEAR;
  assert.equal(toServerTime(sentAt - 600_000, sentAt, NOW), NOW - 600_000);
  // A clock 2 hours fast.
  assert.equal(toServerTime(NOW + 7_200_000 - 5_000, NOW + 7_200_000, NOW), NOW - 5_000);
});

test('a clock that was never set (near 1970) gives real times, never negative ones', () => {
  assert.equal(toServerTime(30_000, 60_000, NOW), NOW - 30_000);
  assert.equal(toServerTime(0, NOW * 2, NOW), 0);
});
