import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ChunkMissingError, type ChunkStore, type StagedChunk } from './chunk-store.js';
import { DiskChunkStore } from './disk-chunk-store.js';
import { isRecordingId } from './recording-id.js';
import { StagingLedger } from './staging-ledger.js';

/**
 * Keys listed and deleted per request (listing with ListObjects and markers, which every S3-compatible
 * server has; s3rver's ListObjectsV2 continuation tokens need a cipher OpenSSL 3 no longer offers). S3 takes up to 1 000 per DeleteObjects (Amazon S3 API Reference,
 * DeleteObjects); some S3-compatible servers fail on that many (s3rver answers InternalError), so fewer.
 */
const DELETE_BATCH = 200;

/**
 * Chunks as objects in an S3-compatible bucket: `<prefix><recordingId>/<seq>.chunk`.
 *
 * A chunk is staged on local disk first (a `DiskChunkStore` under
 * `stagingDir`: streamed, hashed and size-checked there, whole or absent after
 * a crash), and `commit` sends it with one PutObject carrying its length and
 * SHA-256 (`x-amz-checksum-sha256`, which the service checks). S3 writes an
 * object whole or not at all and a later PUT replaces it whole (Amazon S3
 * User Guide, "Amazon S3 data consistency model"), so a chunk counts as
 * stored only once it is complete, as on disk. The staged file is then
 * removed; files left in `stagingDir` by an earlier process were never
 * confirmed to a camera, which uploads them again, and `removeStaleStaged`
 * deletes them.
 *
 * The bucket may be shared by several servers: nothing here keeps state of
 * the bucket in memory. The staging and deletion bookkeeping (see
 * `ChunkStore`) is per process, as uploads of one recording reach one server
 * at a time (its lock, `KeyedMutex`).
 */
export class S3ChunkStore implements ChunkStore {
  private readonly staging: DiskChunkStore;
  /** Chunks from the start of `stage` to the end of their commit (PUT included) or discard; deletions. */
  private readonly ledger = new StagingLedger();

  /**
   * @param client the S3 client (endpoint, region, credentials)
   * @param bucket the bucket, which must exist
   * @param prefix key prefix of this store's objects, ending in `/` (e.g. `recordings/`)
   * @param stagingDir a local folder for chunks on their way to the bucket
   */
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly stagingDir: string,
  ) {
    this.staging = new DiskChunkStore(stagingDir);
  }

  private folderKey(recordingId: string): string {
    if (!isRecordingId(recordingId)) throw new Error(`not a recording id: ${recordingId}`);
    return `${this.prefix}${recordingId}/`;
  }

  private key(recordingId: string, seq: number): string {
    return `${this.folderKey(recordingId)}${seq}.chunk`;
  }

  async stage(recordingId: string, seq: number, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StagedChunk> {
    const key = this.key(recordingId, seq);
    const settle = this.ledger.begin(recordingId);
    let local: StagedChunk;
    try {
      await this.ledger.afterDeletion(recordingId);
      local = await this.staging.stage(recordingId, seq, body, maxBytes);
    } catch (error) {
      settle();
      throw error;
    }
    const file = path.join(this.stagingDir, recordingId, `${seq}.chunk`);
    const { client, bucket } = this;
    return {
      sizeBytes: local.sizeBytes,
      sha256: local.sha256,
      async commit() {
        try {
          await local.commit();
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: createReadStream(file),
              ContentLength: local.sizeBytes,
              ChecksumSHA256: Buffer.from(local.sha256, 'hex').toString('base64'),
              ContentType: 'application/octet-stream',
            }),
          );
        } finally {
          await rm(file, { force: true });
          settle();
        }
      },
      async discard() {
        try {
          await local.discard();
        } finally {
          settle();
        }
      },
    };
  }

  async read(recordingId: string, seq: number): Promise<Readable> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(recordingId, seq) }));
      return object.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey) throw new ChunkMissingError(recordingId, seq);
      throw error;
    }
  }

  async deleteRecording(recordingId: string): Promise<void> {
    await this.ledger.deleting(recordingId, this.deleteObjects(this.folderKey(recordingId)));
  }

  /** Deletes every object under `folder`, a page of keys at a time. */
  private async deleteObjects(folder: string): Promise<void> {
    for (;;) {
      // The first page each time: the keys of the page before are gone.
      const page = await this.client.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: folder, MaxKeys: DELETE_BATCH }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      if (keys.length === 0) return;
      const result = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`the bucket kept ${failed.length} objects of ${folder}: ${failed[0]!.Code} ${failed[0]!.Message}`);
      }
    }
  }

  async deleteOrphan(recordingId: string): Promise<boolean> {
    if (this.ledger.isStaging(recordingId)) return false;
    await this.staging.deleteRecording(recordingId);
    await this.deleteRecording(recordingId);
    return true;
  }

  async recordingIds(): Promise<string[]> {
    const ids: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsCommand({ Bucket: this.bucket, Prefix: this.prefix, Delimiter: '/', Marker: marker }),
      );
      const folders = (page.CommonPrefixes ?? []).flatMap(({ Prefix: folder }) => (folder ? [folder] : []));
      for (const folder of folders) {
        const id = folder.slice(this.prefix.length, -1);
        if (isRecordingId(id)) ids.push(id);
      }
      marker = page.IsTruncated ? (page.NextMarker ?? folders.at(-1)) : undefined;
    } while (marker);
    return ids;
  }

  /** Removes what earlier processes left in the staging folder: staged files and chunks never sent. */
  async removeStaleStaged(): Promise<number> {
    let removed = await this.staging.removeStaleStaged();
    for (const id of await this.staging.recordingIds()) {
      if (this.ledger.isStaging(id)) continue;
      await this.staging.deleteRecording(id);
      removed++;
    }
    return removed;
  }
}
