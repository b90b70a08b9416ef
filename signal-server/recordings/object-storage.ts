import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { ChunkStore } from './chunk-store.js';
import { DiskChunkStore } from './disk-chunk-store.js';
import { S3ChunkStore } from './s3-chunk-store.js';

/**
 * An S3-compatible bucket for recordings and event images, instead of
 * DATA_DIR (env `S3_BUCKET` turns it on).
 */
export interface ObjectStorageConfig {
  /** The bucket, which must exist (env S3_BUCKET). */
  bucket: string;
  /** The service's URL, e.g. `http://127.0.0.1:9000` (env S3_ENDPOINT); none for Amazon S3 itself. */
  endpoint: string | undefined;
  /** The region (env S3_REGION, default `us-east-1`). */
  region: string;
  /**
   * Bucket in the path (`<endpoint>/<bucket>/<key>`) rather than the host name (env S3_FORCE_PATH_STYLE,
   * `1`/`0`; default on when S3_ENDPOINT is set, as most S3-compatible servers need it).
   */
  forcePathStyle: boolean;
  /**
   * Access key (env S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, both or neither); with neither, the AWS SDK's
   * default chain (AWS_* variables, shared files, instance roles).
   */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/**
 * Reads the object storage settings; null when S3_BUCKET is not set (chunks stay on local disk).
 * @throws Error when only one of S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY is set, or S3_FORCE_PATH_STYLE is not 0 or 1
 */
export function objectStorageFromEnv(env: NodeJS.ProcessEnv): ObjectStorageConfig | null {
  const bucket = env.S3_BUCKET;
  if (!bucket) return null;
  const endpoint = env.S3_ENDPOINT || undefined;
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither');
  }
  const pathStyle = env.S3_FORCE_PATH_STYLE;
  if (pathStyle !== undefined && pathStyle !== '' && pathStyle !== '0' && pathStyle !== '1') {
    throw new Error(`S3_FORCE_PATH_STYLE must be 0 or 1, got "${pathStyle}"`);
  }
  return {
    bucket,
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    forcePathStyle: pathStyle ? pathStyle === '1' : endpoint !== undefined,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
}

/**
 * The chunk store of one kind of bytes (`area`: `recordings` or `event-images`): files under `localDir`, or,
 * with object storage, objects under `<area>/` in the bucket, staged in `localDir/.staging` on the way.
 */
export function openChunkStore(area: string, localDir: string, objectStorage: ObjectStorageConfig | null): ChunkStore {
  if (!objectStorage) return new DiskChunkStore(localDir);
  const client = new S3Client({
    endpoint: objectStorage.endpoint,
    region: objectStorage.region,
    forcePathStyle: objectStorage.forcePathStyle,
    credentials: objectStorage.credentials,
  });
  return new S3ChunkStore(client, objectStorage.bucket, `${area}/`, path.join(localDir, '.staging'));
}
