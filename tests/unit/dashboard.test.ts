import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsByHour, recordingBlocker } from '../../signal-server/dashboard/dashboard.js';
import { browserLabel } from '../../signal-server/account/browser-label.js';

const HOUR_MS = 3_600_000;
const NOW = 1_764_579_600_000;

test('the event strip counts each event in the hour it began, oldest hour first, and drops those outside the last day', () => {
  const at = (msAgo: number) => ({ startedAtMs: NOW - msAgo });
  const strip = eventsByHour([at(0), at(1), at(HOUR_MS - 1), at(HOUR_MS + 1), at(23 * HOUR_MS + 1), at(24 * HOUR_MS + 1), at(-1)], NOW);
  assert.equal(strip.length, 24);
  assert.deepEqual([strip[0], strip[22], strip[23]], [1, 1, 3]);
  assert.equal(strip.reduce((sum, n) => sum + n, 0), 5);
});

test('a camera asked to record that does not is blocked by being offline, else by what it reported', () => {
  const control = { deviceId: 'd', enabled: true, recording: false, problem: 'storage-low' as const, reportedAtMs: NOW };
  assert.equal(recordingBlocker(control, false), 'offline');
  assert.equal(recordingBlocker(control, true), 'storage-low');
  assert.equal(recordingBlocker({ ...control, recording: true, problem: null }, true), null);
  assert.equal(recordingBlocker({ ...control, enabled: false }, false), null);
});

test('a User-Agent reads as browser, major version and system; none or a bare client as null', () => {
  const android = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
  const iphone =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  assert.equal(browserLabel(android), 'Chrome 131 on Android');
  assert.equal(browserLabel(iphone), 'Safari 17 on iOS');
  assert.equal(browserLabel(null), null);
  assert.equal(browserLabel('curl/8.5.0'), null);
});
