import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import type { ChildProcess } from 'node:child_process';
import { spawnListening, stopChild } from './listening-process.js';
import type { StoredChunks } from './recording-checks.js';

/** The access key s3rver accepts (its documented default). */
const S3RVER_KEY = 'S3RVER';

/**
 * A real S3-compatible server on loopback for a test: `s3rver` (objects in a
 * temp folder, the S3 REST API with SigV4) in a process of its own
 * (`s3rver-main.ts`), with one bucket, and a client of its own to look at
 * what the bucket holds. Set S3RVER_LOG to see its log.
 */
export class S3Service {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
    readonly bucket: string,
    readonly client: S3Client,
  ) {}

  /** Starts s3rver on a free port with the bucket `bucket`. */
  static async start(bucket = 'peerwatch'): Promise<S3Service> {
    const { child, port } = await spawnListening(path.join(import.meta.dirname, 's3rver-main.ts'), {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, S3RVER_DIR: mkdtempSync(path.join(tmpdir(), 'peerwatch-s3rver-')), S3RVER_BUCKET: bucket },
      label: 's3rver',
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    });
    return new S3Service(child, endpoint, bucket, client);
  }

  /** The server settings that put a Peerwatch server's recordings and images in this bucket. */
  get serverEnv(): Record<string, string> {
    return {
      S3_BUCKET: this.bucket,
      S3_ENDPOINT: this.endpoint,
      S3_ACCESS_KEY_ID: S3RVER_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_KEY,
    };
  }

  /** Keys under `prefix`, without it, sorted (up to 1 000). */
  async keys(prefix: string): Promise<string[]> {
    const page = await this.client.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => object.Key!.slice(prefix.length)).sort();
  }

  /** An object's bytes, or null when there is none. */
  async object(key: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await buffer(object.Body as Readable);
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  /** The recording chunks as the bucket holds them (`recordings/<id>/<seq>.chunk`), for `expectServerHasEveryChunk`. */
  recordingChunks(): StoredChunks {
    return {
      names: (id) => this.keys(`recordings/${id}/`),
      bytes: async (id, seq) => {
        const bytes = await this.object(`recordings/${id}/${seq}.chunk`);
        if (!bytes) throw new Error(`no object for chunk ${seq} of ${id}`);
        return bytes;
      },
    };
  }

  async stop(): Promise<void> {
    this.client.destroy();
    await stopChild(this.child, 'SIGTERM');
  }
}
