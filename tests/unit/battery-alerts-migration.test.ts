import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../protocol/index.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { databaseAtVersion, insertOldAccount } from './support.js';

/**
 * A data folder made before battery alerts (the schema of every migration
 * before theirs, the last one), with a camera and a user's saved
 * preferences without the battery topic, opened by today's store: the
 * preferences are kept and get the battery topic on; battery episodes start
 * once, end, and go with their camera.
 */
const VERSION_BEFORE_BATTERY_ALERTS = 12;

const OLD_TOPICS = { motion: false, person: true, offline: true, 'recording-problem': false };

async function dataFolderBeforeBatteryAlerts(): Promise<string> {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_BATTERY_ALERTS);
  const now = Date.now();
  await insertOldAccount(db, now);
  db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run('dd01', 'aa01', 'Hallway', hashToken('device-credential'), now, now);
  const preferences = { topics: OLD_TOPICS, mutedDeviceIds: ['dd01'], quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' } };
  db.prepare('INSERT INTO notification_preferences (user_id, content, updated_at_ms) VALUES (?, ?, ?)').run('bb01', JSON.stringify(preferences), now);
  db.close();
  return file;
}

test('a data folder from before battery alerts keeps its preferences, with the battery topic on; episodes start once and go with the camera', async () => {
  const store = openSqliteStore(await dataFolderBeforeBatteryAlerts());
  try {
    assert.deepEqual(await store.notificationPreferences.find('bb01'), {
      topics: { ...OLD_TOPICS, battery: true },
      mutedDeviceIds: ['dd01'],
      quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' },
    });
    assert.deepEqual([...(await store.notificationPreferences.listByHousehold('aa01')).values()][0]?.topics.battery, true);
    // Saved after the upgrade, a battery topic turned off stays off.
    await store.notificationPreferences.put('bb01', { ...DEFAULT_NOTIFICATION_PREFERENCES, topics: { ...DEFAULT_NOTIFICATION_PREFERENCES.topics, battery: false } }, 1);
    assert.equal((await store.notificationPreferences.find('bb01'))?.topics.battery, false);

    assert.equal(await store.batteryAlerts.start('dd01', 1_000), true);
    assert.equal(await store.batteryAlerts.start('dd01', 2_000), false, 'one episode at a time');
    await store.batteryAlerts.end('dd01');
    assert.equal(await store.batteryAlerts.start('dd01', 3_000), true, 'a new episode after the end');
    assert.equal(await store.batteryAlerts.start('unknown', 3_000), false, 'no episode for a camera that is not there');
    assert.equal(await store.devices.delete('dd01'), true);
    assert.equal(await store.batteryAlerts.start('dd01', 4_000), false);
  } finally {
    await store.close();
  }
});
