import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { S3Client } from '@aws-sdk/client-s3';
import { ChunkMissingError } from '../../signal-server/recordings/chunk-store.js';
import { S3ChunkStore } from '../../signal-server/recordings/s3-chunk-store.js';
import { S3Service } from '../support/s3-service.js';
import { expectDiscardAndLimitLeaveNothing, pieces } from './chunk-store-checks.js';

const ID = 'recording_0123456789';
let s3: S3Service;
let client: S3Client;

before(async () => {
  s3 = await S3Service.start();
  client = s3.client;
});
after(() => s3.stop());

let stores = 0;
/** A store under a prefix of its own (so tests do not see each other's objects), and its staging folder. */
function newStore(bucket = s3.bucket): { store: S3ChunkStore; staging: string; prefix: string } {
  const staging = mkdtempSync(path.join(tmpdir(), 'peerwatch-staging-'));
  const prefix = `test-${++stores}/`;
  return { store: new S3ChunkStore(client, bucket, prefix, staging), staging, prefix };
}

/** Every file left under a folder, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

test('a staged chunk is hashed while written, in the bucket only once committed, and read back whole', async () => {
  const { store, staging, prefix } = newStore();
  const bytes = randomBytes(300_500);
  const staged = await store.stage(ID, 3, pieces(bytes, 16_384), 1_000_000);
  assert.equal(staged.sizeBytes, bytes.length);
  assert.equal(staged.sha256, createHash('sha256').update(bytes).digest('hex'));
  await assert.rejects(store.read(ID, 3), ChunkMissingError);
  assert.deepEqual(await s3.keys(prefix), []);
  await staged.commit();
  assert.deepEqual(await s3.keys(prefix), [`${ID}/3.chunk`]);
  assert.deepEqual(await buffer(await store.read(ID, 3)), bytes);
  assert.deepEqual(files(staging), [], 'nothing stays in the staging folder');

  // A second upload of the same chunk replaces it whole.
  const other = randomBytes(1_000);
  await (await store.stage(ID, 3, pieces(other), 1_000_000)).commit();
  assert.deepEqual(await buffer(await store.read(ID, 3)), other);
});

test('a discarded chunk leaves nothing; a body over the limit fails early and leaves nothing', async () => {
  const { store, staging, prefix } = newStore();
  await expectDiscardAndLimitLeaveNothing(store, ID, async () => [...(await s3.keys(prefix)), ...files(staging)]);
});

test('a commit the bucket refuses fails, stores nothing and leaves no staged file', async () => {
  const { store, staging } = newStore('no-such-bucket');
  const staged = await store.stage(ID, 0, pieces(randomBytes(100)), 1000);
  await assert.rejects(staged.commit(), /bucket/i);
  assert.deepEqual(files(staging), []);
  assert.equal(await store.deleteOrphan(ID).catch((error: Error) => error.name), 'NoSuchBucket', 'settled: not counted as staged');
});

test('recording ids come from the bucket; deleting a recording removes all its objects, past one listing page', async () => {
  const { store, prefix } = newStore();
  const other = 'recording_abcdefghij';
  const batch = Array.from({ length: 205 }, (_, seq) => seq);
  for (let at = 0; at < batch.length; at += 50) {
    await Promise.all(
      batch.slice(at, at + 50).map(async (seq) => (await store.stage(ID, seq, pieces(randomBytes(8)), 100)).commit()),
    );
  }
  await (await store.stage(other, 0, pieces(randomBytes(8)), 100)).commit();
  assert.deepEqual((await store.recordingIds()).sort(), [other, ID].sort());
  await store.deleteRecording(ID);
  assert.deepEqual(await s3.keys(prefix), [`${other}/0.chunk`]);
  assert.deepEqual(await store.recordingIds(), [other]);
  await store.deleteRecording('recording_nothing_here');
});

test('an orphan is not deleted while a chunk of it is staged or being sent; then it is', async () => {
  const { store, prefix } = newStore();
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
  assert.equal(await store.deleteOrphan(ID), false, 'while staged');
  const committing = one.commit();
  assert.equal(await store.deleteOrphan(ID), false, 'while it is sent to the bucket');
  await committing;
  assert.equal(await store.deleteOrphan(ID), true, 'once nothing is staged');
  assert.deepEqual(await s3.keys(prefix), []);
});

test('start-up cleaning removes what earlier processes left in the staging folder, and nothing in the bucket', async () => {
  const { store, staging, prefix } = newStore();
  await (await store.stage(ID, 0, pieces(randomBytes(10)), 1000)).commit();
  // An earlier process: a staged file, and a chunk it committed locally but never sent.
  mkdirSync(path.join(staging, ID), { recursive: true });
  writeFileSync(path.join(staging, ID, '1.0123456789ab.cafe0123.tmp'), 'x');
  writeFileSync(path.join(staging, ID, '2.chunk'), 'x');
  const own = await store.stage('recording_abcdefghij', 0, pieces(randomBytes(10)), 1000);
  assert.ok((await store.removeStaleStaged()) >= 2);
  assert.deepEqual(files(staging).filter((name) => name.startsWith(ID)), []);
  assert.equal(files(staging).length, 1, 'the staged chunk of this process stays');
  await own.commit();
  assert.deepEqual(await s3.keys(prefix), [`${ID}/0.chunk`, 'recording_abcdefghij/0.chunk']);
});

test('ids that are not recording ids never reach the bucket', async () => {
  const { store } = newStore();
  await assert.rejects(store.stage('../../etc/passwd-x', 0, pieces(randomBytes(1)), 10), /not a recording id/);
  await assert.rejects(store.read('a/b', 0), /not a recording id/);
});
