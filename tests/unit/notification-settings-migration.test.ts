import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../protocol/index.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { databaseAtVersion, insertOldAccount } from './support.js';

/**
 * A data folder made before notification settings (schema version 6: the
 * migrations released before them), with an account, a camera, a push
 * subscription and a notification, opened by today's store: everything is
 * kept; preferences and snoozes work at once, and go with their user and camera.
 */
const VERSION_BEFORE_SETTINGS = 6;

async function dataFolderBeforeSettings(): Promise<string> {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_SETTINGS);
  const now = Date.now();
  await insertOldAccount(db, now);
  db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run('dd01', 'aa01', 'Hallway', hashToken('device-credential'), now, now);
  db.prepare(
    'INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, name, created_at_ms, last_used_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run('ss01', 'bb01', 'https://push.example/a', 'key', 'secret', 'Phone', now, null);
  db.prepare('INSERT INTO notifications (id, household_id, content, created_at_ms) VALUES (?, ?, ?, ?)').run(
    'nn01',
    'aa01',
    JSON.stringify({ id: 'nn01', kind: 'camera-online', deviceId: 'dd01', deviceName: 'Hallway', title: 't', body: 'b', createdAtMs: now, offlineForMs: 1 }),
    now,
  );
  db.close();
  return file;
}

test('a data folder from before notification settings keeps its data; preferences and snoozes work and go with their owner', async () => {
  const store = openSqliteStore(await dataFolderBeforeSettings());
  try {
    assert.deepEqual((await store.pushSubscriptions.listByHousehold('aa01', 'dd01')).map((s) => s.id), ['ss01']);
    assert.equal((await store.notifications.listForUser('aa01', 'bb01', 10)).unreadCount, 1);
    assert.equal(await store.notificationPreferences.find('bb01'), undefined);

    const quiet = { ...DEFAULT_NOTIFICATION_PREFERENCES, quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' } };
    await store.notificationPreferences.put('bb01', quiet, 1);
    assert.deepEqual(await store.notificationPreferences.find('bb01'), quiet);
    assert.deepEqual([...(await store.notificationPreferences.listByHousehold('aa01'))], [['bb01', quiet]]);

    await store.cameraSnoozes.put('aa01', { deviceId: 'dd01', snoozedAtMs: 1_000, untilMs: 2_000 });
    assert.deepEqual(await store.cameraSnoozes.listActive('aa01', 1_500), [{ deviceId: 'dd01', snoozedAtMs: 1_000, untilMs: 2_000 }]);
    assert.deepEqual(await store.cameraSnoozes.listActive('aa01', 2_000), [], 'a snooze ends at its untilMs');
    // Another household cannot snooze this camera.
    await store.cameraSnoozes.put('zz99', { deviceId: 'dd01', snoozedAtMs: 3_000, untilMs: null });
    assert.deepEqual(await store.cameraSnoozes.listActive('zz99', 3_000), []);
    await store.cameraSnoozes.put('aa01', { deviceId: 'dd01', snoozedAtMs: 3_000, untilMs: null });
    assert.deepEqual(await store.cameraSnoozes.listActive('aa01', Number.MAX_SAFE_INTEGER), [{ deviceId: 'dd01', snoozedAtMs: 3_000, untilMs: null }]);

    // Removing the camera removes its snooze.
    assert.equal(await store.devices.delete('dd01'), true);
    assert.deepEqual(await store.cameraSnoozes.listActive('aa01', 3_000), []);
  } finally {
    await store.close();
  }
});
