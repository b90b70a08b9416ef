import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { databaseAtVersion, insertOldAccount } from './support.js';

/**
 * A data folder made before camera settings were kept (schema version 8: the
 * migrations released before them), with a camera that records and one of
 * its recordings, opened by today's store: everything is kept, the camera has
 * the default settings with its Record switch as its recording mode, and new
 * settings are stored with the switch in one go.
 */
const VERSION_BEFORE_CAMERA_SETTINGS = 8;

async function dataFolderBeforeCameraSettings(): Promise<string> {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_CAMERA_SETTINGS);
  const now = 1_764_579_600_000;
  await insertOldAccount(db, now);
  const device = db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  );
  device.run('dd01', 'aa01', 'Hallway', hashToken('credential 1'), now, now);
  device.run('dd02', 'aa01', 'Garden', hashToken('credential 2'), now, null);
  db.prepare('INSERT INTO recording_controls (device_id, enabled, recording, reported_at_ms) VALUES (?, 1, 1, ?)').run('dd01', now);
  db.prepare(
    `INSERT INTO recordings (id, household_id, device_id, started_at_ms, ended_at_ms, size_bytes, chunk_count, final_seq, closed_at_ms, created_at_ms)
     VALUES ('rr01rr01rr01rr01', 'aa01', 'dd01', ?, ?, 300, 2, 1, ?, ?)`,
  ).run(now, now + 2_000, now + 2_000, now);
  db.close();
  return file;
}

test('a data folder from before camera settings: cameras and recordings are kept, and every camera has the defaults', async () => {
  const store = openSqliteStore(await dataFolderBeforeCameraSettings());
  try {
    assert.deepEqual(
      (await store.devices.listByHousehold('aa01')).map((d) => [d.id, d.name]),
      [
        ['dd01', 'Hallway'],
        ['dd02', 'Garden'],
      ],
    );
    assert.deepEqual(
      (await store.recordings.list({ householdId: 'aa01' })).map((r) => [r.id, r.chunkCount, r.sizeBytes, r.finalSeq]),
      [['rr01rr01rr01rr01', 2, 300, 1]],
    );
    assert.equal((await store.recordingControls.get('dd01')).enabled, true);
    const defaults = {
      motion: { enabled: true, sensitivity: 'medium', zones: [], personDetection: true, quietPeriodMs: 10_000 },
      recording: { onEvents: false, preRollMs: 5_000, postRollMs: 5_000 },
      updatedAtMs: null,
    };
    assert.deepEqual(await store.cameraSettings.get('dd01'), { deviceId: 'dd01', ...defaults });
    assert.deepEqual(await store.cameraSettings.get('dd02'), { deviceId: 'dd02', ...defaults });

    const chosen = {
      deviceId: 'dd02',
      motion: {
        enabled: false,
        sensitivity: 'low' as const,
        zones: [{ kind: 'only' as const, points: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0.5, y: 1 }] }],
        personDetection: false,
        quietPeriodMs: 3_000,
      },
      recording: { onEvents: true, preRollMs: 2_000, postRollMs: 8_000 },
      updatedAtMs: 1_764_580_000_000,
    };
    const { settings, control } = await store.cameraSettings.put(chosen, true);
    assert.deepEqual(settings, chosen);
    assert.equal(control.enabled, true);
    assert.deepEqual(await store.cameraSettings.get('dd02'), chosen);
    assert.equal((await store.recordingControls.get('dd02')).enabled, true);
    // Removing a camera removes its settings with it.
    assert.equal(await store.devices.delete('dd02'), true);
    assert.equal((await store.cameraSettings.get('dd02')).updatedAtMs, null);
    assert.equal((await store.cameraSettings.get('dd01')).updatedAtMs, null);
  } finally {
    await store.close();
  }
});
