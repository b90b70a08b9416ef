import type Database from 'better-sqlite3';
import type { NotificationPreferences } from '../../protocol/index.js';
import { toSnooze, type Row } from './rows.js';
import type { BatteryAlertRepository, CameraSnoozeRepository, NotificationPreferenceRepository } from './store.js';

/** The SQLite implementations of notification preferences, camera snoozes and battery alerts, over an open, migrated database. */
export function sqliteNotificationSettingRepositories(db: Database.Database): {
  notificationPreferences: NotificationPreferenceRepository;
  cameraSnoozes: CameraSnoozeRepository;
  batteryAlerts: BatteryAlertRepository;
} {
  const q = {
    findPreferences: db.prepare('SELECT content FROM notification_preferences WHERE user_id = ?'),
    putPreferences: db.prepare(
      `INSERT INTO notification_preferences (user_id, content, updated_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET content = excluded.content, updated_at_ms = excluded.updated_at_ms`,
    ),
    preferencesByHousehold: db.prepare(
      `SELECT p.user_id, p.content FROM notification_preferences p JOIN users u ON u.id = p.user_id WHERE u.household_id = ?`,
    ),
    putSnooze: db.prepare(
      `INSERT INTO camera_snoozes (device_id, household_id, snoozed_at_ms, until_ms)
         SELECT id, household_id, @snoozedAtMs, @untilMs FROM devices WHERE id = @deviceId AND household_id = @householdId
       ON CONFLICT (device_id) DO UPDATE SET snoozed_at_ms = excluded.snoozed_at_ms, until_ms = excluded.until_ms`,
    ),
    deleteSnooze: db.prepare('DELETE FROM camera_snoozes WHERE device_id = ? AND household_id = ?'),
    // A camera removed meanwhile inserts nothing.
    startBatteryAlert: db.prepare(
      `INSERT INTO battery_alerts (device_id, alerted_at_ms) SELECT id, ? FROM devices WHERE id = ?
       ON CONFLICT (device_id) DO NOTHING`,
    ),
    endBatteryAlert: db.prepare('DELETE FROM battery_alerts WHERE device_id = ?'),
    activeSnoozes: db.prepare(
      `SELECT * FROM camera_snoozes WHERE household_id = ? AND (until_ms IS NULL OR until_ms > ?) ORDER BY snoozed_at_ms`,
    ),
  };
  return {
    notificationPreferences: {
      async find(userId) {
        const row = q.findPreferences.get(userId) as Row | undefined;
        return row ? (JSON.parse(row.content as string) as NotificationPreferences) : undefined;
      },
      async put(userId, preferences, atMs) {
        q.putPreferences.run(userId, JSON.stringify(preferences), atMs);
      },
      async listByHousehold(householdId) {
        const rows = q.preferencesByHousehold.all(householdId) as Row[];
        return new Map(rows.map((row) => [row.user_id as string, JSON.parse(row.content as string) as NotificationPreferences]));
      },
    },
    cameraSnoozes: {
      async put(householdId, snooze) {
        q.putSnooze.run({ householdId, ...snooze });
      },
      async delete(householdId, deviceId) {
        q.deleteSnooze.run(deviceId, householdId);
      },
      async listActive(householdId, atMs) {
        return (q.activeSnoozes.all(householdId, atMs) as Row[]).map(toSnooze);
      },
    },
    batteryAlerts: {
      async start(deviceId, atMs) {
        return q.startBatteryAlert.run(atMs, deviceId).changes === 1;
      },
      async end(deviceId) {
        q.endBatteryAlert.run(deviceId);
      },
    },
  };
}
