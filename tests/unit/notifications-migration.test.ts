import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { offlineNotification } from '../../signal-server/notifications/notification-content.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { databaseAtVersion } from './support.js';

/**
 * A data folder made before notifications (schema version 5: the migrations
 * released before them), with two households, their users and a camera,
 * opened by today's store: everything is kept, and subscriptions and
 * notifications work at once, each household seeing only its own.
 */
const VERSION_BEFORE_NOTIFICATIONS = 5;

function dataFolderBeforeNotifications(): string {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_NOTIFICATIONS);
  const now = Date.now();
  for (const [household, user, email] of [
    ['aa01', 'bb01', 'home@example.com'],
    ['aa02', 'bb02', 'other@example.com'],
  ] as const) {
    db.prepare('INSERT INTO households (id, created_at_ms) VALUES (?, ?)').run(household, now);
    db.prepare('INSERT INTO users (id, household_id, email, password_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)').run(
      user,
      household,
      email,
      'hash',
      now,
    );
  }
  db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run('dd01', 'aa01', 'Hallway', hashToken('device-credential'), now, now);
  db.close();
  return file;
}

test('a data folder from before notifications: its data is kept; subscriptions and notifications work per household', async () => {
  const store = openSqliteStore(dataFolderBeforeNotifications());
  try {
    assert.equal((await store.users.findByEmail('home@example.com'))?.id, 'bb01');
    assert.equal((await store.devices.findById('dd01'))?.name, 'Hallway');

    const subscription = {
      id: 'ss01',
      userId: 'bb01',
      endpoint: 'https://push.example/a',
      p256dh: 'key',
      auth: 'secret',
      name: 'Phone',
      createdAtMs: 1,
      lastUsedAtMs: null,
    };
    await store.pushSubscriptions.upsert(subscription);
    // The same endpoint again updates that subscription (keys, name), keeping its id.
    const again = await store.pushSubscriptions.upsert({ ...subscription, id: 'ss02', p256dh: 'new key', name: 'Phone 2', createdAtMs: 2 });
    assert.deepEqual(again, { ...subscription, p256dh: 'new key', name: 'Phone 2' });
    assert.deepEqual((await store.pushSubscriptions.listByHousehold('aa01', 'dd01')).map((s) => s.id), ['ss01']);
    assert.deepEqual(await store.pushSubscriptions.listByHousehold('aa02', 'dd01'), []);

    const notification = offlineNotification({ id: 'dd01', name: 'Hallway' }, 1_000, 200_000);
    await store.notifications.insert('aa01', notification);
    assert.deepEqual(await store.notifications.listForUser('aa01', 'bb01', 100), {
      notifications: [{ ...notification, readAtMs: null }],
      unreadCount: 1,
    });
    assert.deepEqual(await store.notifications.listForUser('aa02', 'bb02', 100), { notifications: [], unreadCount: 0 });
    assert.equal(await store.notifications.markRead('aa02', 'bb02', notification.id, 5), false);
    assert.equal(await store.notifications.markRead('aa01', 'bb01', notification.id, 5), true);
    assert.equal(await store.notifications.markRead('aa01', 'bb01', notification.id, 9), true);
    assert.deepEqual(await store.notifications.listForUser('aa01', 'bb01', 100), {
      notifications: [{ ...notification, readAtMs: 5 }],
      unreadCount: 0,
    });
  } finally {
    await store.close();
  }
});
