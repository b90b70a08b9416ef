import type Database from 'better-sqlite3';
import { DEFAULT_CAMERA_SETTINGS, zoneSchema, type Sensitivity } from '../../protocol/index.js';
import type { CameraSettingsRecord, CameraSettingsRepository, RecordingControlRecord } from './store.js';

type Row = Record<string, unknown>;

const zoneListSchema = zoneSchema.array();

/** The settings of a row, or the defaults when there is none. @throws ZodError when a stored zone list is malformed (never written so) */
function toSettings(deviceId: string, r: Row | undefined): CameraSettingsRecord {
  if (!r) {
    return {
      deviceId,
      motion: { ...DEFAULT_CAMERA_SETTINGS.motion, zones: [] },
      recording: { onEvents: false, ...DEFAULT_CAMERA_SETTINGS.recording },
      updatedAtMs: null,
    };
  }
  return {
    deviceId,
    motion: {
      enabled: r.motion_enabled === 1,
      sensitivity: r.sensitivity as Sensitivity,
      zones: zoneListSchema.parse(JSON.parse(r.zones as string)),
      personDetection: r.person_detection === 1,
      quietPeriodMs: r.quiet_period_ms as number,
    },
    recording: {
      onEvents: r.record_on_events === 1,
      preRollMs: r.pre_roll_ms as number,
      postRollMs: r.post_roll_ms as number,
    },
    updatedAtMs: r.updated_at_ms as number,
  };
}

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
    const { motion, recording } = settings;
    q.put.run({
      deviceId: settings.deviceId,
      motionEnabled: motion.enabled ? 1 : 0,
      sensitivity: motion.sensitivity,
      zones: JSON.stringify(motion.zones),
      personDetection: motion.personDetection ? 1 : 0,
      quietPeriodMs: motion.quietPeriodMs,
      onEvents: recording.onEvents ? 1 : 0,
      preRollMs: recording.preRollMs,
      postRollMs: recording.postRollMs,
      updatedAtMs: settings.updatedAtMs,
    });
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
