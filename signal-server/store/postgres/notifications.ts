import type pg from 'pg';
import type { NotificationContent, NotificationPreferences } from '../../../protocol/index.js';
import { toSnooze, toSubscription } from '../rows.js';
import type {
  BatteryAlertRepository,
  CameraSnoozeRepository,
  NotificationPreferenceRepository,
  NotificationRepository,
  PushSubscriptionRepository,
} from '../store.js';
import { changes, one, rows } from './db.js';

/** Whether user `u` may see camera `device` (SQL text): all cameras (`camera_ids` NULL), or one of a viewer's JSON list. */
const mayView = (device: string) =>
  `(u.camera_ids IS NULL OR ${device} IN (SELECT jsonb_array_elements_text(u.camera_ids::jsonb)))`;

/** Keeps the notifications (`n`) about cameras user $2 may see. */
const VISIBLE_TO_USER = `AND EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND ${mayView("(n.content::jsonb ->> 'deviceId')")})`;

/** Records that user $2 read the household $1's notifications that `which` (SQL text) picks, at $3; a second time keeps the first. */
const markReadWhere = (which: string) =>
  `INSERT INTO notification_reads (notification_id, user_id, read_at_ms)
     SELECT id, $2, $3 FROM notifications WHERE household_id = $1${which}
   ON CONFLICT (notification_id, user_id) DO NOTHING`;

/** The PostgreSQL push subscriptions, notifications, notification preferences, camera snoozes and battery alerts. */
export function postgresNotificationRepositories(pool: pg.Pool): {
  pushSubscriptions: PushSubscriptionRepository;
  notifications: NotificationRepository;
  notificationPreferences: NotificationPreferenceRepository;
  cameraSnoozes: CameraSnoozeRepository;
  batteryAlerts: BatteryAlertRepository;
} {
  return {
    pushSubscriptions: {
      async upsert(s) {
        const [row] = await rows(
          pool,
          `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, name, created_at_ms, last_used_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh,
             auth = excluded.auth, name = excluded.name
           RETURNING *`,
          [s.id, s.userId, s.endpoint, s.p256dh, s.auth, s.name, s.createdAtMs, s.lastUsedAtMs],
        );
        return toSubscription(row!);
      },
      async listByUser(userId) {
        return (await rows(pool, 'SELECT * FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at_ms', [userId])).map(toSubscription);
      },
      async listByHousehold(householdId, deviceId) {
        const found = await rows(
          pool,
          `SELECT s.* FROM push_subscriptions s JOIN users u ON u.id = s.user_id WHERE u.household_id = $1 AND ${mayView('$2')}`,
          [householdId, deviceId],
        );
        return found.map(toSubscription);
      },
      async delete(id, userId) {
        return (await changes(pool, 'DELETE FROM push_subscriptions WHERE id = $1 AND ($2::text IS NULL OR user_id = $2)', [id, userId ?? null])) === 1;
      },
      async touchLastUsed(id, atMs) {
        await pool.query('UPDATE push_subscriptions SET last_used_at_ms = $1 WHERE id = $2', [atMs, id]);
      },
    },
    notifications: {
      async insert(householdId, content) {
        await pool.query('INSERT INTO notifications (id, household_id, content, created_at_ms) VALUES ($1, $2, $3, $4)', [
          content.id,
          householdId,
          JSON.stringify(content),
          content.createdAtMs,
        ]);
      },
      async listForUser(householdId, userId, limit) {
        const found = await rows(
          pool,
          `SELECT n.content, r.read_at_ms FROM notifications n
             LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $2
           WHERE n.household_id = $1 ${VISIBLE_TO_USER} ORDER BY n.created_at_ms DESC, n.seq DESC LIMIT $3`,
          [householdId, userId, limit],
        );
        const [count] = await rows(
          pool,
          `SELECT COUNT(*) AS count FROM notifications n
           WHERE n.household_id = $1 ${VISIBLE_TO_USER}
             AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = $2)`,
          [householdId, userId],
        );
        return {
          notifications: found.map((row) => ({
            ...(JSON.parse(row.content as string) as NotificationContent),
            readAtMs: (row.read_at_ms as number | null) ?? null,
          })),
          unreadCount: count!.count as number,
        };
      },
      async markRead(householdId, userId, id, atMs) {
        await pool.query(markReadWhere(' AND id = $4'), [householdId, userId, atMs, id]);
        return (await one(pool, 'SELECT 1 FROM notifications WHERE id = $1 AND household_id = $2', [id, householdId], () => true)) ?? false;
      },
      async markAllRead(householdId, userId, atMs) {
        await pool.query(markReadWhere(''), [householdId, userId, atMs]);
      },
    },
    notificationPreferences: {
      async find(userId) {
        return one(pool, 'SELECT content FROM notification_preferences WHERE user_id = $1', [userId], (row) =>
          JSON.parse(row.content as string) as NotificationPreferences,
        );
      },
      async put(userId, preferences, atMs) {
        await pool.query(
          `INSERT INTO notification_preferences (user_id, content, updated_at_ms) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET content = excluded.content, updated_at_ms = excluded.updated_at_ms`,
          [userId, JSON.stringify(preferences), atMs],
        );
      },
      async listByHousehold(householdId) {
        const found = await rows(
          pool,
          'SELECT p.user_id, p.content FROM notification_preferences p JOIN users u ON u.id = p.user_id WHERE u.household_id = $1',
          [householdId],
        );
        return new Map(found.map((row) => [row.user_id as string, JSON.parse(row.content as string) as NotificationPreferences]));
      },
    },
    cameraSnoozes: {
      async put(householdId, snooze) {
        await pool.query(
          `INSERT INTO camera_snoozes (device_id, household_id, snoozed_at_ms, until_ms)
             SELECT id, household_id, $3, $4 FROM devices WHERE id = $1 AND household_id = $2
           ON CONFLICT (device_id) DO UPDATE SET snoozed_at_ms = excluded.snoozed_at_ms, until_ms = excluded.until_ms`,
          [snooze.deviceId, householdId, snooze.snoozedAtMs, snooze.untilMs],
        );
      },
      async delete(householdId, deviceId) {
        await pool.query('DELETE FROM camera_snoozes WHERE device_id = $1 AND household_id = $2', [deviceId, householdId]);
      },
      async listActive(householdId, atMs) {
        const found = await rows(
          pool,
          'SELECT * FROM camera_snoozes WHERE household_id = $1 AND (until_ms IS NULL OR until_ms > $2) ORDER BY snoozed_at_ms',
          [householdId, atMs],
        );
        return found.map(toSnooze);
      },
    },
    batteryAlerts: {
      async start(deviceId, atMs) {
        // A camera removed meanwhile inserts nothing.
        const started = await changes(
          pool,
          `INSERT INTO battery_alerts (device_id, alerted_at_ms) SELECT id, $2 FROM devices WHERE id = $1
           ON CONFLICT (device_id) DO NOTHING`,
          [deviceId, atMs],
        );
        return started === 1;
      },
      async end(deviceId) {
        await pool.query('DELETE FROM battery_alerts WHERE device_id = $1', [deviceId]);
      },
    },
  };
}
