import type Database from 'better-sqlite3';
import { controlColumns, toControls, type Row } from './rows.js';
import type { CameraControlRecord, CameraControlRepository } from './store.js';

/** The SQLite implementation of camera controls (table `camera_controls`), over an open, migrated database. */
export function sqliteCameraControlRepository(db: Database.Database): { cameraControls: CameraControlRepository } {
  const q = {
    get: db.prepare('SELECT * FROM camera_controls WHERE device_id = ?'),
    put: db.prepare(
      `INSERT INTO camera_controls (device_id, quality, video_source_id, torch, zoom, paused_by, paused_at_ms)
         VALUES (@deviceId, @quality, @videoSourceId, @torch, @zoom, @pausedBy, @pausedAtMs)
       ON CONFLICT (device_id) DO UPDATE SET quality = excluded.quality, video_source_id = excluded.video_source_id,
         torch = excluded.torch, zoom = excluded.zoom, paused_by = excluded.paused_by, paused_at_ms = excluded.paused_at_ms`,
    ),
  };
  const get = (deviceId: string) => toControls(deviceId, q.get.get(deviceId) as Row | undefined);
  const updateTx = db.transaction((deviceId: string, change: Partial<CameraControlRecord>): CameraControlRecord => {
    const next: CameraControlRecord = { ...get(deviceId), ...change, deviceId };
    q.put.run({ deviceId, ...controlColumns(next) });
    return next;
  });
  return {
    cameraControls: {
      async get(deviceId) {
        return get(deviceId);
      },
      async update(deviceId, change) {
        return updateTx(deviceId, change);
      },
    },
  };
}
