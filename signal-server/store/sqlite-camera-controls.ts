import type Database from 'better-sqlite3';
import { DEFAULT_QUALITY, qualityPresetSchema } from '../../protocol/index.js';
import type { CameraControlRecord, CameraControlRepository } from './store.js';

type Row = Record<string, unknown>;

const toControls = (deviceId: string, r: Row | undefined): CameraControlRecord => {
  if (!r) return { deviceId, quality: DEFAULT_QUALITY, videoSourceId: null, torch: false, zoom: null, paused: null };
  const quality = qualityPresetSchema.safeParse(r.quality);
  const pausedBy = (r.paused_by as string | null) ?? null;
  return {
    deviceId,
    // A preset this version does not know (written by a newer one) reads as the default.
    quality: quality.success ? quality.data : DEFAULT_QUALITY,
    videoSourceId: (r.video_source_id as string | null) ?? null,
    torch: r.torch === 1,
    zoom: (r.zoom as number | null) ?? null,
    paused: pausedBy === null ? null : { by: pausedBy, atMs: (r.paused_at_ms as number | null) ?? 0 },
  };
};

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
    q.put.run({
      deviceId,
      quality: next.quality,
      videoSourceId: next.videoSourceId,
      torch: next.torch ? 1 : 0,
      zoom: next.zoom,
      pausedBy: next.paused?.by ?? null,
      pausedAtMs: next.paused?.atMs ?? null,
    });
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
