import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { ChunkMissingError, ChunkTooLargeError } from '../../signal-server/recordings/chunk-store.js';
import { DiskChunkStore } from '../../signal-server/recordings/disk-chunk-store.js';
import { expectDiscardAndLimitLeaveNothing, pieces } from './chunk-store-checks.js';

const ID = 'recording_0123456789';
const root = () => mkdtempSync(path.join(tmpdir(), 'peerwatch-chunks-'));

test('a staged chunk is hashed while written, and readable only once committed', async () => {
  const dir = root();
  const store = new DiskChunkStore(dir);
  const bytes = randomBytes(10_500);
  const staged = await store.stage(ID, 3, pieces(bytes), 1_000_000);
  assert.equal(staged.sizeBytes, bytes.length);
  assert.equal(staged.sha256, createHash('sha256').update(bytes).digest('hex'));
  await assert.rejects(store.read(ID, 3), ChunkMissingError);
  await staged.commit();
  assert.deepEqual(await buffer(await store.read(ID, 3)), bytes);
  assert.deepEqual(readdirSync(path.join(dir, ID)), ['3.chunk']);
});

test('a discarded chunk leaves nothing; a body over the limit fails early and leaves nothing', async () => {
  const dir = root();
  await expectDiscardAndLimitLeaveNothing(new DiskChunkStore(dir), ID, () => readdirSync(path.join(dir, ID)));
});

test('start-up cleaning removes staged files of earlier processes only', async () => {
  const dir = root();
  const before = new DiskChunkStore(dir);
  await before.stage(ID, 1, pieces(randomBytes(10)), 1000);
  await (await before.stage(ID, 0, pieces(randomBytes(10)), 1000)).commit();
  const after = new DiskChunkStore(dir);
  const own = await after.stage(ID, 2, pieces(randomBytes(10)), 1000);
  writeFileSync(path.join(dir, 'not-a-recording'), 'x');
  assert.equal(await after.removeStaleStaged(), 1);
  const left = readdirSync(path.join(dir, ID)).sort();
  assert.equal(left.length, 2);
  assert.equal(left[0], '0.chunk');
  assert.match(left[1]!, /^2\..*\.tmp$/);
  await own.commit();
  assert.deepEqual(await after.recordingIds(), [ID]);
  await after.deleteRecording(ID);
  assert.deepEqual(await after.recordingIds(), []);
});

test('ids that are not recording ids never reach the file system', async () => {
  const store = new DiskChunkStore(root());
  await assert.rejects(store.stage('../../etc/passwd-x', 0, pieces(randomBytes(1)), 10), /not a recording id/);
});

test('an orphan is not deleted while a chunk of it is staged; a staging waits for a deletion under way', async () => {
  const dir = root();
  const store = new DiskChunkStore(dir);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  async function* slow(): AsyncIterable<Uint8Array> {
    yield randomBytes(100);
    await held;
  }
  const first = store.stage(ID, 1, slow(), 1000);
  assert.equal(await store.deleteOrphan(ID), false, 'while the body arrives');
  release();
  const one = await first;
  const two = await store.stage(ID, 2, pieces(randomBytes(100)), 1000);
  await one.commit();
  assert.equal(await store.deleteOrphan(ID), false, 'while chunk 2 is staged');
  await two.discard();
  await assert.rejects(store.stage(ID, 3, pieces(randomBytes(2000)), 1000), ChunkTooLargeError);
  assert.equal(await store.deleteOrphan(ID), true, 'once nothing is staged');
  assert.deepEqual(readdirSync(dir), []);

  await (await store.stage(ID, 1, pieces(randomBytes(100)), 1000)).commit();
  const deletion = store.deleteRecording(ID);
  const staged = await store.stage(ID, 2, pieces(randomBytes(100)), 1000);
  await deletion;
  await staged.commit();
  assert.deepEqual(readdirSync(path.join(dir, ID)), ['2.chunk'], 'staged after the deletion, into a new folder');
});
