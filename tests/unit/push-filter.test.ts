import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../protocol/index.js';
import { batteryNotification, eventNotification, offlineNotification } from '../../signal-server/notifications/notification-content.js';
import { inQuietHours, minuteOfDay, pushSkip } from '../../signal-server/notifications/push-filter.js';

const camera = { id: 'dd01', name: 'Hall' };
const at = (iso: string) => Date.parse(iso);

test('the minute of the day is local to the time zone, also across daylight saving', () => {
  assert.equal(minuteOfDay(at('2026-01-15T12:00:00Z'), 'UTC'), 720);
  assert.equal(minuteOfDay(at('2026-01-15T12:00:00Z'), 'Europe/Berlin'), 780);
  assert.equal(minuteOfDay(at('2026-07-15T12:00:00Z'), 'Europe/Berlin'), 840);
  assert.equal(minuteOfDay(at('2026-01-15T12:00:00Z'), 'Asia/Kolkata'), 17 * 60 + 30);
});

test('quiet hours: start included, end excluded, and a span past midnight', () => {
  const night = { start: '22:00', end: '07:00', timeZone: 'UTC' };
  assert.equal(inQuietHours(night, at('2026-01-15T21:59:00Z')), false);
  assert.equal(inQuietHours(night, at('2026-01-15T22:00:00Z')), true);
  assert.equal(inQuietHours(night, at('2026-01-16T03:00:00Z')), true);
  assert.equal(inQuietHours(night, at('2026-01-16T07:00:00Z')), false);
  const lunch = { start: '12:00', end: '13:30', timeZone: 'Europe/Berlin' };
  assert.equal(inQuietHours(lunch, at('2026-01-15T11:15:00Z')), true);
  assert.equal(inQuietHours(lunch, at('2026-01-15T12:30:00Z')), false);
});

test('a push is skipped for a topic turned off, a muted camera, or quiet hours; "back online" goes with "offline"', () => {
  const nowMs = at('2026-01-15T23:00:00Z');
  const motion = eventNotification(camera, { id: 'ev', kind: 'motion', startedAtMs: nowMs }, 1, nowMs);
  const person = eventNotification(camera, { id: 'ev', kind: 'person', startedAtMs: nowMs }, 1, nowMs);
  const offline = offlineNotification(camera, nowMs - 200_000, nowMs);
  const prefs = DEFAULT_NOTIFICATION_PREFERENCES;
  assert.equal(pushSkip(prefs, motion, nowMs), null);
  const personOnly = { ...prefs, topics: { ...prefs.topics, motion: false } };
  assert.equal(pushSkip(personOnly, motion, nowMs), 'topic-off');
  assert.equal(pushSkip(personOnly, person, nowMs), null);
  assert.equal(pushSkip({ ...prefs, topics: { ...prefs.topics, offline: false } }, offline, nowMs), 'topic-off');
  assert.equal(pushSkip({ ...prefs, mutedDeviceIds: ['dd01'] }, person, nowMs), 'camera-muted');
  assert.equal(pushSkip({ ...prefs, mutedDeviceIds: ['other'] }, person, nowMs), null);
  assert.equal(pushSkip({ ...prefs, quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' } }, person, nowMs), 'quiet-hours');
  assert.equal(pushSkip({ ...prefs, quietHours: { start: '22:00', end: '07:00', timeZone: 'America/New_York' } }, person, nowMs), null);
});

test('a battery notification has the battery topic: skipped when it is off and in quiet hours', () => {
  const nowMs = at('2026-01-15T23:00:00Z');
  const battery = batteryNotification(camera, { kind: 'low', level: 0.1 }, { level: 0.1, notChargingForMs: 0 }, nowMs);
  const prefs = DEFAULT_NOTIFICATION_PREFERENCES;
  assert.equal(pushSkip(prefs, battery, nowMs), null);
  assert.equal(pushSkip({ ...prefs, topics: { ...prefs.topics, battery: false } }, battery, nowMs), 'topic-off');
  assert.equal(pushSkip({ ...prefs, topics: { ...prefs.topics, 'recording-problem': false } }, battery, nowMs), null);
  assert.equal(pushSkip({ ...prefs, quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' } }, battery, nowMs), 'quiet-hours');
});

test('an event notification names camera and kind, and a folded burst how many', () => {
  const nowMs = at('2026-01-15T10:00:00Z');
  const one = eventNotification(camera, { id: 'ev1', kind: 'person', startedAtMs: nowMs }, 1, nowMs);
  assert.equal(one.title, 'Person on Hall');
  assert.match(one.body, /^Seen at \d\d:\d\d:\d\d\.$/);
  const burst = eventNotification(camera, { id: 'ev3', kind: 'motion', startedAtMs: nowMs }, 3, nowMs);
  assert.equal(burst.title, '3 events on Hall');
  assert.match(burst.body, /^The latest: motion at \d\d:\d\d:\d\d\.$/);
  assert.deepEqual(burst.kind === 'camera-event' && [burst.eventId, burst.eventCount], ['ev3', 3]);
});
