import type Database from 'better-sqlite3';
import { settingsColumns, toSettings, type Row } from './rows.js';
import type { CameraSettingsRecord, CameraSettingsRepository, RecordingControlRecord } from './store.js';

/**
 * The SQLite camera settings (table `camera_settings`, zones as JSON), over
 * an open, migrated database. `setRecordingEnabled` sets the camera's "Record"
 * switch inside the same transaction.
 */
export function sqliteCameraSettingsRepository(
  db: Database.Database,
  setRecordingEnabled: (deviceId: string, enabled: boolean) => RecordingControlRecord,
): CameraSettingsRepository {
  const q = {
    get: db.prepare('SELECT * FROM camera_settings WHERE device_id = ?'),
    put: db.prepare(
      `INSERT INTO camera_settings (device_id, motion_enabled, sensitivity, zones, person_detection, quiet_period_ms,
         record_on_events, pre_roll_ms, post_roll_ms, updated_at_ms)
       VALUES (@deviceId, @motionEnabled, @sensitivity, @zones, @personDetection, @quietPeriodMs,
         @onEvents, @preRollMs, @postRollMs, @updatedAtMs)
       ON CONFLICT (device_id) DO UPDATE SET motion_enabled = excluded.motion_enabled, sensitivity = excluded.sensitivity,
         zones = excluded.zones, person_detection = excluded.person_detection, quiet_period_ms = excluded.quiet_period_ms,
         record_on_events = excluded.record_on_events, pre_roll_ms = excluded.pre_roll_ms,
         post_roll_ms = excluded.post_roll_ms, updated_at_ms = excluded.updated_at_ms`,
    ),
  };
  const get = (deviceId: string) => toSettings(deviceId, q.get.get(deviceId) as Row | undefined);
  const putTx = db.transaction((settings: CameraSettingsRecord & { updatedAtMs: number }, recordingEnabled: boolean) => {
    q.put.run({ deviceId: settings.deviceId, ...settingsColumns(settings) });
    return { settings: get(settings.deviceId), control: setRecordingEnabled(settings.deviceId, recordingEnabled) };
  });
  return {
    async get(deviceId) {
      return get(deviceId);
    },
    async put(settings, recordingEnabled) {
      return putTx(settings, recordingEnabled);
    },
  };
}
