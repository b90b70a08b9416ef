import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationPreferences } from '../../protocol/index.js';
import { ImageConflictError, type AuditRecord, type StoredMotionEvent, type Store } from '../../signal-server/store/store.js';
import { newId } from '../../signal-server/util/ids.js';
import { addUser, forEachStore } from './support.js';

// The repositories the other store tests leave out, on both stores.

/** A camera of a new household, paired through the store. */
async function camera(store: Store) {
  const user = await addUser(store);
  const tokenHash = newId();
  await store.pairings.insert({
    id: newId(),
    householdId: user.householdId,
    tokenHash,
    name: 'Hall',
    createdAtMs: 0,
    expiresAtMs: Date.now() + 60_000,
    claimedAtMs: null,
    deviceId: null,
  });
  const claimed = await store.pairings.claim(tokenHash, Date.now(), { id: newId(), name: null, tokenHash: newId(), createdAtMs: 1, lastSeenAtMs: null });
  assert.equal(claimed.kind, 'claimed');
  return { user, deviceId: claimed.kind === 'claimed' ? claimed.device.id : '' };
}

forEachStore((open) => {
  test('an API token lives while its session does; it is no sign-in and its household finds it', async () => {
    const store = await open();
    const owner = await addUser(store);
    const token = { id: newId(), userId: owner.id, name: 'script', tokenHash: newId(), scopes: ['read' as const, 'control' as const], createdAtMs: 5, expiresAtMs: null, lastUsedAtMs: null };
    await store.apiTokens.insert(token);
    await store.apiTokens.touchLastUsed(token.id, 9);
    assert.deepEqual(await store.apiTokens.findActive(token.tokenHash), { token: { ...token, lastUsedAtMs: 9 }, user: owner });
    assert.deepEqual(await store.apiTokens.listByHousehold(owner.householdId), [{ ...token, lastUsedAtMs: 9, email: owner.email }]);
    assert.equal(await store.apiTokens.findInHousehold(token.id, 'another household'), undefined);
    assert.deepEqual(await store.sessions.listSignInsOfUser(owner.id), []);
    await store.sessions.end(token.id, 10);
    assert.equal(await store.apiTokens.findActive(token.tokenHash), undefined);
    assert.deepEqual(await store.apiTokens.listByHousehold(owner.householdId), []);
  });

  test('the audit log pages newest first by time then id, filters, and forgets old rows', async () => {
    const store = await open();
    const owner = await addUser(store);
    const row = (id: string, atMs: number, deviceId: string | null = null): AuditRecord => ({
      id,
      householdId: owner.householdId,
      atMs,
      kind: deviceId ? 'live-view-started' : 'sign-in',
      actor: { kind: 'user', userId: owner.id, email: owner.email, tokenId: null },
      deviceId,
      details: { durationMs: atMs },
      address: '127.0.0.1',
      userAgent: null,
    });
    for (const record of [row('a1', 100), row('a2', 200, 'dd01'), row('B3', 200), row('b4', 300, 'dd01')]) await store.audit.insert(record);
    const ids = async (query: object) => (await store.audit.list({ householdId: owner.householdId, limit: 10, ...query })).map((r) => r.id);
    // Ids compare byte by byte, as in SQLite: lowercase after uppercase.
    assert.deepEqual(await ids({}), ['b4', 'a2', 'B3', 'a1']);
    assert.deepEqual(await ids({ limit: 2 }), ['b4', 'a2']);
    assert.deepEqual(await ids({ after: { atMs: 200, id: 'a2' } }), ['B3', 'a1']);
    assert.deepEqual(await ids({ deviceId: 'dd01' }), ['b4', 'a2']);
    assert.deepEqual(await ids({ kind: 'sign-in', fromMs: 150 }), ['B3']);
    assert.deepEqual(await ids({ personId: 'someone else' }), []);
    assert.deepEqual((await store.audit.list({ householdId: owner.householdId, limit: 1 }))[0], row('b4', 300, 'dd01'));
    assert.equal(await store.audit.deleteOlderThan(200), 1);
    assert.deepEqual(await ids({ toMs: 250 }), ['a2', 'B3']);
  });

  test("a camera's controls and settings: defaults, partial changes, the Record switch with its settings, gone with the camera", async () => {
    const store = await open();
    const { deviceId } = await camera(store);
    const defaults = await store.cameraControls.get(deviceId);
    assert.deepEqual(defaults, { deviceId, quality: 'standard', videoSourceId: null, torch: false, zoom: null, paused: null });
    await store.cameraControls.update(deviceId, { torch: true, zoom: 2.5 });
    const paused = await store.cameraControls.update(deviceId, { paused: { by: 'bb01', atMs: 7 } });
    assert.deepEqual(paused, { ...defaults, torch: true, zoom: 2.5, paused: { by: 'bb01', atMs: 7 } });
    assert.deepEqual(await store.cameraControls.get(deviceId), paused);

    assert.equal((await store.cameraSettings.get(deviceId)).updatedAtMs, null);
    const settings = {
      deviceId,
      motion: { enabled: false, sensitivity: 'high' as const, zones: [], personDetection: false, quietPeriodMs: 20_000 },
      recording: { onEvents: true, preRollMs: 3_000, postRollMs: 8_000 },
      updatedAtMs: 1_700_000_000_000,
    };
    const put = await store.cameraSettings.put(settings, true);
    assert.deepEqual(put.settings, settings);
    assert.equal(put.control.enabled, true);
    assert.deepEqual(await store.cameraSettings.get(deviceId), settings);
    await store.devices.delete(deviceId);
    assert.equal((await store.cameraSettings.get(deviceId)).updatedAtMs, null);
    assert.deepEqual(await store.cameraControls.get(deviceId), defaults);
  });

  test('camera events: an update keeps when it was seen, images add up, lists page and filter', async () => {
    const store = await open();
    const { user, deviceId } = await camera(store);
    const event = (id: string, startedAtMs: number, device = deviceId): StoredMotionEvent => ({
      id,
      householdId: user.householdId,
      deviceId: device,
      kind: 'motion',
      startedAtMs,
      endedAtMs: null,
      score: 0.25,
      box: { x: 0.1, y: 0.2, width: 0.3, height: 0.4 },
      recordingId: null,
      footageOffsetMs: null,
      seenAtMs: null,
      createdAtMs: startedAtMs,
    });
    const first = await store.motionEvents.put(event('e1', 1_000));
    assert.equal(first.before, undefined);
    assert.deepEqual(first.after, { ...event('e1', 1_000), images: [], imageBytes: 0 });
    assert.equal((await store.motionEvents.markSeen('e1', 50))?.seenAtMs, 50);
    assert.equal((await store.motionEvents.markSeen('e1', 60))?.seenAtMs, 50, 'seen once');
    const ended = await store.motionEvents.put({ ...event('e1', 1_000), endedAtMs: 4_000, kind: 'person', score: 0.5, createdAtMs: 9 });
    assert.deepEqual([ended.before?.endedAtMs, ended.after.endedAtMs, ended.after.kind, ended.after.seenAtMs, ended.after.createdAtMs], [null, 4_000, 'person', 50, 1_000]);
    for (const image of ['thumbnail', 'snapshot'] as const) {
      await store.motionEvents.addImage({ eventId: 'e1', image, contentType: 'image/jpeg', sizeBytes: 1_000, sha256: 'a'.repeat(64) });
    }
    // The same image again adds nothing; other bytes or another media type are refused.
    const thumbnail = { eventId: 'e1', image: 'thumbnail' as const, contentType: 'image/jpeg' as const, sizeBytes: 1_000, sha256: 'a'.repeat(64) };
    await store.motionEvents.addImage(thumbnail);
    await assert.rejects(store.motionEvents.addImage({ ...thumbnail, sha256: 'b'.repeat(64) }), ImageConflictError);
    await assert.rejects(store.motionEvents.addImage({ ...thumbnail, contentType: 'image/webp' }), ImageConflictError);
    const withImages = await store.motionEvents.findById('e1');
    assert.deepEqual([withImages?.images, withImages?.imageBytes], [['snapshot', 'thumbnail'], 2_000]);
    assert.equal((await store.motionEvents.findImage('e1', 'snapshot'))?.sizeBytes, 1_000);

    await store.motionEvents.put(event('e2', 2_000));
    await store.motionEvents.put(event('e3', 2_000, 'dd99'));
    const ids = async (query: object) =>
      (await store.motionEvents.list({ householdId: user.householdId, limit: 10, ...query })).map((e) => e.id);
    assert.deepEqual(await ids({}), ['e3', 'e2', 'e1']);
    assert.deepEqual(await ids({ after: { startedAtMs: 2_000, id: 'e3' }, limit: 1 }), ['e2']);
    assert.deepEqual(await ids({ deviceIds: [deviceId] }), ['e2', 'e1']);
    assert.deepEqual(await ids({ deviceIds: [] }), []);
    assert.deepEqual(await ids({ kind: 'person' }), ['e1']);
    assert.deepEqual(await ids({ fromMs: 1_500, deviceId: 'dd99' }), ['e3']);
    assert.deepEqual((await store.motionEvents.listAll()).map((e) => e.id).slice(0, 1), ['e1']);
    assert.equal(await store.motionEvents.delete('e1'), true);
    assert.equal(await store.motionEvents.findImage('e1', 'snapshot'), undefined);
  });

  test('notification preferences, snoozes and battery alerts of a household', async () => {
    const store = await open();
    const { user, deviceId } = await camera(store);
    const preferences: NotificationPreferences = {
      topics: { motion: false, person: true, offline: true, 'recording-problem': false, battery: true },
      mutedDeviceIds: [deviceId],
      quietHours: null,
    };
    assert.equal(await store.notificationPreferences.find(user.id), undefined);
    await store.notificationPreferences.put(user.id, preferences, 1);
    await store.notificationPreferences.put(user.id, { ...preferences, mutedDeviceIds: [] }, 2);
    assert.deepEqual(await store.notificationPreferences.listByHousehold(user.householdId), new Map([[user.id, { ...preferences, mutedDeviceIds: [] }]]));

    await store.cameraSnoozes.put(user.householdId, { deviceId, snoozedAtMs: 10, untilMs: 100 });
    await store.cameraSnoozes.put('another household', { deviceId, snoozedAtMs: 20, untilMs: null });
    assert.deepEqual(await store.cameraSnoozes.listActive(user.householdId, 50), [{ deviceId, snoozedAtMs: 10, untilMs: 100 }]);
    assert.deepEqual(await store.cameraSnoozes.listActive(user.householdId, 100), [], 'over at its end');
    await store.cameraSnoozes.put(user.householdId, { deviceId, snoozedAtMs: 30, untilMs: null });
    assert.deepEqual(await store.cameraSnoozes.listActive(user.householdId, 1_000), [{ deviceId, snoozedAtMs: 30, untilMs: null }]);
    await store.cameraSnoozes.delete(user.householdId, deviceId);
    assert.deepEqual(await store.cameraSnoozes.listActive(user.householdId, 1_000), []);

    assert.equal(await store.batteryAlerts.start(deviceId, 5), true);
    assert.equal(await store.batteryAlerts.start(deviceId, 6), false, 'one alert per episode');
    await store.batteryAlerts.end(deviceId);
    assert.equal(await store.batteryAlerts.start(deviceId, 7), true);
    assert.equal(await store.batteryAlerts.start('no such camera', 7), false);
  });
});
