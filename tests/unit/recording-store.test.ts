import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkConflictError, type ChunkRecord } from '../../signal-server/store/store.js';
import { addUser, forEachStore } from './support.js';

const chunk = (recordingId: string, seq: number, startMs: number, sizeBytes = 100): ChunkRecord => ({
  recordingId,
  seq,
  sizeBytes,
  sha256: String(seq).padStart(64, '0'),
  startMs,
  durationMs: seq === 0 ? 0 : 1000,
  storedAtMs: Date.now(),
});

forEachStore((open) => {
  test('chunks build up a recording: span, size, count, final mark', async () => {
    const store = await open();
    const { householdId } = await addUser(store);
    const owner = { householdId, deviceId: 'cam1' };
    await store.recordings.addChunk(owner, chunk('rec-a-0123456789', 0, 10_000), false);
    await store.recordings.addChunk(owner, chunk('rec-a-0123456789', 2, 11_000), false);
    const last = await store.recordings.addChunk(owner, chunk('rec-a-0123456789', 1, 10_000), true);
    assert.deepEqual(
      { ...last, createdAtMs: 0, closedAtMs: last.closedAtMs !== null },
      {
        id: 'rec-a-0123456789',
        householdId,
        deviceId: 'cam1',
        startedAtMs: 10_000,
        endedAtMs: 12_000,
        sizeBytes: 300,
        chunkCount: 3,
        finalSeq: 1,
        closedAtMs: true,
        createdAtMs: 0,
      },
    );
    assert.deepEqual(
      (await store.recordings.chunks('rec-a-0123456789')).map((c) => c.seq),
      [0, 1, 2],
    );
    // The same chunk again (same bytes) adds nothing; other bytes under a stored seq are refused.
    const again = await store.recordings.addChunk(owner, chunk('rec-a-0123456789', 1, 10_000), false);
    assert.deepEqual([again.sizeBytes, again.chunkCount, again.finalSeq], [300, 3, 1]);
    await assert.rejects(
      store.recordings.addChunk(owner, { ...chunk('rec-a-0123456789', 2, 11_000), sha256: 'f'.repeat(64) }, false),
      ChunkConflictError,
    );
    assert.equal((await store.recordings.findChunk('rec-a-0123456789', 2))?.sha256, chunk('rec-a-0123456789', 2, 0).sha256);
  });

  test("a camera's new recording closes its older open ones, not other cameras'", async () => {
    const store = await open();
    const { householdId } = await addUser(store);
    await store.recordings.addChunk({ householdId, deviceId: 'cam1' }, chunk('rec-1-0123456789', 0, 1), false);
    await store.recordings.addChunk({ householdId, deviceId: 'cam2' }, chunk('rec-2-0123456789', 0, 1), false);
    await store.recordings.addChunk({ householdId, deviceId: 'cam1' }, chunk('rec-3-0123456789', 0, 2), false);
    assert.notEqual((await store.recordings.findById('rec-1-0123456789'))!.closedAtMs, null);
    assert.equal((await store.recordings.findById('rec-2-0123456789'))!.closedAtMs, null);
    assert.equal((await store.recordings.findById('rec-3-0123456789'))!.closedAtMs, null);
  });

  test('list filters by household, camera and time overlap, newest first; delete takes the chunk rows along', async () => {
    const store = await open();
    const { householdId } = await addUser(store);
    const other = await addUser(store);
    const add = async (id: string, deviceId: string, startMs: number, hid = householdId) => {
      await store.recordings.addChunk({ householdId: hid, deviceId }, chunk(id, 0, startMs), false);
      await store.recordings.addChunk({ householdId: hid, deviceId }, chunk(id, 1, startMs), false);
    };
    await add('early-0123456789', 'cam1', 1_000);
    await add('late-01234567890', 'cam1', 5_000);
    await add('cam2-01234567890', 'cam2', 3_000);
    await add('foreign-01234567', 'cam9', 3_000, other.householdId);
    const ids = async (query: object) => (await store.recordings.list({ householdId, ...query })).map((r) => r.id);
    assert.deepEqual(await ids({}), ['late-01234567890', 'cam2-01234567890', 'early-0123456789']);
    assert.deepEqual(await ids({ deviceId: 'cam1' }), ['late-01234567890', 'early-0123456789']);
    assert.deepEqual(await ids({ fromMs: 2_000, toMs: 3_500 }), ['cam2-01234567890', 'early-0123456789']);
    assert.deepEqual(await ids({ fromMs: 4_001 }), ['late-01234567890']);
    assert.deepEqual(await ids({ toMs: 999 }), []);
    assert.equal(await store.recordings.delete('early-0123456789'), true);
    assert.deepEqual(await store.recordings.chunks('early-0123456789'), []);
    assert.equal(await store.recordings.delete('early-0123456789'), false);
  });

  test('recording control keeps the wish and the report apart', async () => {
    const store = await open();
    const claimDevice = async () => {
      const user = await addUser(store);
      const tokenHash = `pairing-${user.id}`;
      await store.pairings.insert({
        id: user.id,
        householdId: user.householdId,
        tokenHash,
        name: null,
        createdAtMs: 0,
        expiresAtMs: Date.now() + 60_000,
        claimedAtMs: null,
        deviceId: null,
      });
      const outcome = await store.pairings.claim(tokenHash, Date.now(), {
        id: `dev-${user.id}`,
        name: null,
        tokenHash: `device-${user.id}`,
        createdAtMs: 0,
        lastSeenAtMs: null,
      });
      assert.equal(outcome.kind, 'claimed');
      return `dev-${user.id}`;
    };
    const deviceId = await claimDevice();
    assert.deepEqual(await store.recordingControls.get(deviceId), {
      deviceId,
      enabled: false,
      recording: false,
      problem: null,
      reportedAtMs: null,
    });
    await store.recordingControls.setEnabled(deviceId, true);
    const stuck = await store.recordingControls.setReported(deviceId, { recording: false, problem: 'storage-low', atMs: 41 });
    assert.deepEqual(stuck, { deviceId, enabled: true, recording: false, problem: 'storage-low', reportedAtMs: 41 });
    const reported = await store.recordingControls.setReported(deviceId, { recording: true, problem: null, atMs: 42 });
    assert.deepEqual(reported, { deviceId, enabled: true, recording: true, problem: null, reportedAtMs: 42 });
    assert.equal((await store.recordingControls.setEnabled(deviceId, false)).recording, true);
    await store.devices.delete(deviceId);
    assert.deepEqual((await store.recordingControls.get(deviceId)).enabled, false, 'removed with its camera');
  });
});
