import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationContentSchema } from '../../protocol/index.js';
import {
  formatDuration,
  offlineNotification,
  onlineNotification,
  recordingProblemNotification,
} from '../../signal-server/notifications/notification-content.js';
import { pushMessageOf } from '../../signal-server/notifications/push-policy.js';
import { startedFailing } from '../../signal-server/notifications/recording-problems.js';
import type { RecordingControlRecord } from '../../signal-server/store/store.js';

const camera = { id: '0123456789abcdef', name: 'Porch' };

test('durations read as people say them', () => {
  assert.equal(formatDuration(45_000), '45 s');
  assert.equal(formatDuration(125_000), '2 min');
  assert.equal(formatDuration(3 * 3_600_000), '3 h');
  assert.equal(formatDuration(3 * 3_600_000 + 5 * 60_000), '3 h 5 min');
});

test('each kind makes a notification the protocol accepts, and a push message within RFC 8030 limits', () => {
  const made = [
    offlineNotification(camera, 0, 150_000),
    onlineNotification(camera, 600_000, 700_000),
    recordingProblemNotification(camera, 'cannot-record', 1),
  ];
  assert.deepEqual(made.map((n) => n.title), ['Porch is offline', 'Porch is back online', 'Porch cannot record']);
  assert.equal(made[0]!.body, 'No connection for 2 min.');
  for (const notification of made) {
    assert.equal(notificationContentSchema.safeParse(notification).success, true);
    const message = pushMessageOf(notification);
    assert.match(message.topic, /^[A-Za-z0-9_-]{1,32}$/);
    assert.ok(Buffer.byteLength(message.payload) < 3_000);
  }
});

test('a report is news only when a camera asked to record stops for a new reason', () => {
  const state = (enabled: boolean, recording: boolean, problem: RecordingControlRecord['problem']): RecordingControlRecord => ({
    deviceId: camera.id,
    enabled,
    recording,
    problem,
    reportedAtMs: 1,
  });
  assert.equal(startedFailing(state(true, true, null), state(true, false, 'storage-low')), true);
  assert.equal(startedFailing(state(true, false, 'storage-low'), state(true, false, 'storage-low')), false);
  assert.equal(startedFailing(state(true, false, 'storage-low'), state(true, false, 'recorder-failed')), true);
  assert.equal(startedFailing(state(false, false, 'storage-low'), state(true, false, 'storage-low')), true);
  assert.equal(startedFailing(state(false, false, null), state(false, false, 'cannot-record')), false);
  assert.equal(startedFailing(state(true, false, 'storage-low'), state(true, true, null)), false);
  // A pause is someone's choice: nobody is notified.
  assert.equal(startedFailing(state(true, true, null), state(true, false, 'paused')), false);
});
