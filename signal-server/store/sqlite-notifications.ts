import type Database from 'better-sqlite3';
import type { NotificationContent } from '../../protocol/index.js';
import { toSubscription, type Row } from './rows.js';
import type { NotificationRepository, PushSubscriptionRepository } from './store.js';

/** Keeps the notifications (`n`) about cameras user `@userId` may see: all of them, or those of a viewer's list. */
const VISIBLE_TO_USER = `AND EXISTS (SELECT 1 FROM users u WHERE u.id = @userId
  AND (u.camera_ids IS NULL OR json_extract(n.content, '$.deviceId') IN (SELECT value FROM json_each(u.camera_ids))))`;

/** The SQLite implementations of push subscriptions and notifications, over an open, migrated database. */
export function sqliteNotificationRepositories(db: Database.Database): {
  pushSubscriptions: PushSubscriptionRepository;
  notifications: NotificationRepository;
} {
  const q = {
    upsertSubscription: db.prepare(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, name, created_at_ms, last_used_at_ms)
         VALUES (@id, @userId, @endpoint, @p256dh, @auth, @name, @createdAtMs, @lastUsedAtMs)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh,
         auth = excluded.auth, name = excluded.name
       RETURNING *`,
    ),
    subscriptionsByUser: db.prepare('SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at_ms'),
    subscriptionsByHousehold: db.prepare(
      `SELECT s.* FROM push_subscriptions s JOIN users u ON u.id = s.user_id
       WHERE u.household_id = @householdId
         AND (u.camera_ids IS NULL OR @deviceId IN (SELECT value FROM json_each(u.camera_ids)))`,
    ),
    deleteSubscription: db.prepare('DELETE FROM push_subscriptions WHERE id = @id AND (@userId IS NULL OR user_id = @userId)'),
    touchSubscription: db.prepare('UPDATE push_subscriptions SET last_used_at_ms = ? WHERE id = ?'),
    insertNotification: db.prepare(
      'INSERT INTO notifications (id, household_id, content, created_at_ms) VALUES (?, ?, ?, ?)',
    ),
    listNotifications: db.prepare(
      `SELECT n.content, r.read_at_ms FROM notifications n
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = @userId
       WHERE n.household_id = @householdId ${VISIBLE_TO_USER} ORDER BY n.created_at_ms DESC, n.rowid DESC LIMIT @limit`,
    ),
    unreadCount: db.prepare(
      `SELECT COUNT(*) AS count FROM notifications n
       WHERE n.household_id = @householdId ${VISIBLE_TO_USER}
         AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = @userId)`,
    ),
    markRead: db.prepare(
      `INSERT OR IGNORE INTO notification_reads (notification_id, user_id, read_at_ms)
         SELECT id, @userId, @atMs FROM notifications WHERE id = @id AND household_id = @householdId`,
    ),
    notificationInHousehold: db.prepare('SELECT 1 FROM notifications WHERE id = ? AND household_id = ?'),
    markAllRead: db.prepare(
      `INSERT OR IGNORE INTO notification_reads (notification_id, user_id, read_at_ms)
         SELECT id, @userId, @atMs FROM notifications WHERE household_id = @householdId`,
    ),
  };

  return {
    pushSubscriptions: {
      async upsert(subscription) {
        return toSubscription(q.upsertSubscription.get(subscription) as Row);
      },
      async listByUser(userId) {
        return (q.subscriptionsByUser.all(userId) as Row[]).map(toSubscription);
      },
      async listByHousehold(householdId, deviceId) {
        return (q.subscriptionsByHousehold.all({ householdId, deviceId }) as Row[]).map(toSubscription);
      },
      async delete(id, userId) {
        return q.deleteSubscription.run({ id, userId: userId ?? null }).changes === 1;
      },
      async touchLastUsed(id, atMs) {
        q.touchSubscription.run(atMs, id);
      },
    },
    notifications: {
      async insert(householdId, content) {
        q.insertNotification.run(content.id, householdId, JSON.stringify(content), content.createdAtMs);
      },
      async listForUser(householdId, userId, limit) {
        const rows = q.listNotifications.all({ householdId, userId, limit }) as Row[];
        const { count } = q.unreadCount.get({ householdId, userId }) as { count: number };
        return {
          notifications: rows.map((row) => ({
            ...(JSON.parse(row.content as string) as NotificationContent),
            readAtMs: (row.read_at_ms as number | null) ?? null,
          })),
          unreadCount: count,
        };
      },
      async markRead(householdId, userId, id, atMs) {
        q.markRead.run({ householdId, userId, id, atMs });
        return q.notificationInHousehold.get(id, householdId) !== undefined;
      },
      async markAllRead(householdId, userId, atMs) {
        q.markAllRead.run({ householdId, userId, atMs });
      },
    },
  };
}
