import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { databaseAtVersion, insertOldAccount } from './support.js';

/**
 * A data folder made before camera controls (schema version 7: the
 * migrations released before them), with a camera that records, opened by
 * today's store: the camera and its Record wish are kept, its controls read
 * as the defaults, and controls set now are kept per camera.
 */
const VERSION_BEFORE_CAMERA_CONTROLS = 7;

async function dataFolderBeforeCameraControls(): Promise<string> {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_CAMERA_CONTROLS);
  const now = Date.now();
  await insertOldAccount(db, now);
  const insertDevice = db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  );
  insertDevice.run('dd01', 'aa01', 'Hallway', hashToken('credential-1'), now, now);
  insertDevice.run('dd02', 'aa01', 'Garden', hashToken('credential-2'), now, now);
  db.prepare('INSERT INTO recording_controls (device_id, enabled) VALUES (?, 1)').run('dd01');
  db.close();
  return file;
}

test('a data folder from before camera controls: its cameras are kept with default controls; new controls are kept per camera', async () => {
  const file = await dataFolderBeforeCameraControls();
  let store = openSqliteStore(file);
  try {
    assert.equal((await store.devices.findById('dd01'))?.name, 'Hallway');
    assert.equal((await store.recordingControls.get('dd01')).enabled, true);
    assert.deepEqual(await store.cameraControls.get('dd01'), {
      deviceId: 'dd01',
      quality: 'standard',
      videoSourceId: null,
      torch: false,
      zoom: null,
      paused: null,
    });
    await store.cameraControls.update('dd01', { quality: 'data-saver', paused: { by: 'old@example.com', atMs: 5 } });
    // A second change keeps what it does not name.
    const after = await store.cameraControls.update('dd01', { torch: true, zoom: 2.5 });
    assert.deepEqual(after, {
      deviceId: 'dd01',
      quality: 'data-saver',
      videoSourceId: null,
      torch: true,
      zoom: 2.5,
      paused: { by: 'old@example.com', atMs: 5 },
    });
  } finally {
    await store.close();
  }
  store = openSqliteStore(file);
  try {
    assert.equal((await store.cameraControls.get('dd01')).quality, 'data-saver');
    assert.equal((await store.cameraControls.get('dd02')).quality, 'standard');
    // A removed camera's controls go with it.
    await store.devices.delete('dd01');
    assert.equal((await store.cameraControls.get('dd01')).paused, null);
  } finally {
    await store.close();
  }
});
