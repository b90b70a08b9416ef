import type pg from 'pg';
import { controlColumns, settingsColumns, toControls, toSettings } from '../rows.js';
import type { CameraControlRecord, CameraControlRepository, CameraSettingsRepository } from '../store.js';
import { inTransaction, rows, type Queryable } from './db.js';
import { setRecordingEnabled } from './recordings.js';

/** The row of `table` for camera `deviceId`, locked with `FOR UPDATE` inside a transaction when `lock`. */
async function rowOf(db: Queryable, table: 'camera_controls' | 'camera_settings', deviceId: string, lock = false) {
  const [row] = await rows(db, `SELECT * FROM ${table} WHERE device_id = $1${lock ? ' FOR UPDATE' : ''}`, [deviceId]);
  return row;
}

/**
 * The PostgreSQL camera controls and settings repositories. A change of
 * controls locks the camera's row while it merges the change, so two
 * concurrent changes of different controls both stay.
 */
export function postgresCameraRepositories(pool: pg.Pool): {
  cameraControls: CameraControlRepository;
  cameraSettings: CameraSettingsRepository;
} {
  return {
    cameraControls: {
      async get(deviceId) {
        return toControls(deviceId, await rowOf(pool, 'camera_controls', deviceId));
      },
      async update(deviceId, change) {
        return inTransaction(pool, async (tx) => {
          // A camera without a row gets one first, so that there is a row to lock.
          await tx.query('INSERT INTO camera_controls (device_id) VALUES ($1) ON CONFLICT (device_id) DO NOTHING', [deviceId]);
          const next: CameraControlRecord = { ...toControls(deviceId, await rowOf(tx, 'camera_controls', deviceId, true)), ...change, deviceId };
          await tx.query(
            `UPDATE camera_controls SET quality = $2, video_source_id = $3, torch = $4, zoom = $5, paused_by = $6, paused_at_ms = $7
             WHERE device_id = $1`,
            [deviceId, ...Object.values(controlColumns(next))],
          );
          return next;
        });
      },
    },
    cameraSettings: {
      async get(deviceId) {
        return toSettings(deviceId, await rowOf(pool, 'camera_settings', deviceId));
      },
      async put(settings, recordingEnabled) {
        return inTransaction(pool, async (tx) => {
          await tx.query(
            `INSERT INTO camera_settings (device_id, motion_enabled, sensitivity, zones, person_detection, quiet_period_ms,
               record_on_events, pre_roll_ms, post_roll_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (device_id) DO UPDATE SET motion_enabled = excluded.motion_enabled, sensitivity = excluded.sensitivity,
               zones = excluded.zones, person_detection = excluded.person_detection, quiet_period_ms = excluded.quiet_period_ms,
               record_on_events = excluded.record_on_events, pre_roll_ms = excluded.pre_roll_ms,
               post_roll_ms = excluded.post_roll_ms, updated_at_ms = excluded.updated_at_ms`,
            [settings.deviceId, ...Object.values(settingsColumns(settings))],
          );
          return {
            settings: toSettings(settings.deviceId, await rowOf(tx, 'camera_settings', settings.deviceId)),
            control: await setRecordingEnabled(tx, settings.deviceId, recordingEnabled),
          };
        });
      },
    },
  };
}
