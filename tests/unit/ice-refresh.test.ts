import { test } from 'node:test';
import assert from 'node:assert/strict';
import { iceRefreshDelayMs } from '../../pwa/shared/ice-config.js';

const T0 = 1_700_000_000_000;

test('ICE servers are fetched again at 80 % of their credentials lifetime', () => {
  assert.equal(iceRefreshDelayMs(T0, T0 + 3_600_000), 2_880_000);
  assert.equal(iceRefreshDelayMs(T0, T0 + 86_400_000), 69_120_000);
  // Asked again later (e.g. after a slow fetch): the wait counts from the fetch, not from now.
  assert.equal(iceRefreshDelayMs(T0, T0 + 600_000, T0 + 100_000), 380_000);
});

test('nothing expires: no refresh; a short or past expiry waits at least 5 s', () => {
  assert.equal(iceRefreshDelayMs(T0, null), null);
  assert.equal(iceRefreshDelayMs(T0, T0 + 1_000), 5_000);
  assert.equal(iceRefreshDelayMs(T0, T0 - 60_000), 5_000);
  assert.equal(iceRefreshDelayMs(T0, T0 + 3_600_000, T0 + 3_000_000), 5_000);
});
