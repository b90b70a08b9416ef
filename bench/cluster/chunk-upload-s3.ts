import { rmSync } from 'node:fs';
import { UPLOAD_WINDOW } from '../../pwa/camera/recording/chunk-uploader.js';
import { Cluster } from '../../tests/support/cluster.js';
import { pairCamera, randomChunks, type PairedCamera } from '../../tests/support/recording-client.js';
import { TestServer } from '../../tests/support/server.js';
import { CHUNK_SIZES, uploadInOrder } from '../recordings/ordered-upload.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';

/** Bytes uploaded per chunk size and storage (half the recordings section's: each size runs twice here). */
const BYTES_PER_RUN = 64 * 1024 * 1024;

/** Where an instance keeps recording chunks. */
type Storage = { kind: 's3'; cluster: Cluster } | { kind: 'disk' };

/** Chunks each server takes before the measured runs (its upload path warmed up, JIT-compiled): 256 KiB each. */
const WARM_UP_CHUNKS = 16;

/** A server under test, how it stores chunks and the camera that uploads to it. */
interface Subject {
  label: string;
  server: TestServer;
  storage: Storage;
  camera: PairedCamera;
}

/** A subject with a new household and camera of its own on `server`. */
async function subjectOn(label: string, server: TestServer, storage: Storage): Promise<Subject> {
  const session = await server.register();
  return { label, server, storage, camera: await pairCamera(server, session.accessToken, 'Bench camera') };
}

/** The cluster's shared settings without the S3 ones: the same database and Redis, chunks on local disk. */
function diskEnv(cluster: Cluster): Record<string, string> {
  return Object.fromEntries(Object.entries(cluster.sharedEnv).filter(([name]) => !name.startsWith('S3_')));
}

/**
 * Uploads `count` chunks of `sizeBytes` to `subject` as one recording.
 * @returns the throughput, MB/s (10^6 bytes)
 * @throws Error when a chunk is refused, or (S3) the bucket does not hold every chunk afterwards
 */
async function uploadRun(subject: Subject, count: number, sizeBytes: number): Promise<number> {
  const { recordingId, elapsedMs } = await uploadInOrder(subject.server, subject.camera, randomChunks(count, sizeBytes, Date.now()));
  if (subject.storage.kind === 's3') {
    const stored = await subject.storage.cluster.s3.keys(`recordings/${recordingId}/`);
    if (stored.length !== count) throw new Error(`the bucket holds ${stored.length} of ${count} chunks of ${recordingId}`);
  }
  return (count * sizeBytes) / 1e6 / (elapsedMs / 1000);
}

/**
 * Chunk upload into S3-compatible storage against local disk: one Peerwatch
 * instance of a cluster (tests/support/cluster.ts: PostgreSQL, Redis and the
 * s3rver bucket, S3_*) and one more instance on the same database and Redis
 * without the S3 settings (chunks in its DATA_DIR). Chunks of the same sizes
 * and counts (the recordings section's sizes, `BYTES_PER_RUN` each) go to each through the
 * real route, `PUT /api/recordings/:id/chunks/:seq`, as the camera's
 * uploader sends them; MB/s of each and their ratio per chunk size. After an
 * S3 run the bucket must hold every chunk.
 * @throws Error when a service or instance does not start, or an upload fails
 */
export async function measureChunkUploadToS3(log: (message: string) => void): Promise<SectionResult> {
  const cluster = await Cluster.start({ instances: 1 });
  let disk: TestServer | undefined;
  try {
    disk = await TestServer.start({ env: diskEnv(cluster), label: 'disk instance' });
    const subjects = [await subjectOn('local disk', disk, { kind: 'disk' }), await subjectOn('S3 (s3rver)', cluster.instance(1), { kind: 's3', cluster })];
    for (const subject of subjects) await uploadRun(subject, WARM_UP_CHUNKS, CHUNK_SIZES[0]!);
    const figures: Figure[] = [];
    for (const [i, sizeBytes] of CHUNK_SIZES.entries()) {
      const count = Math.ceil(BYTES_PER_RUN / sizeBytes);
      const figure = figureMaker('cluster', (name) => `chunk upload, ${sizeBytes / 1024} KiB chunks: ${name}`);
      const throughput = new Map<Subject, number>();
      // Which storage goes first alternates with the chunk size, so neither always runs on a machine the other just loaded.
      for (const subject of i % 2 === 0 ? subjects : [...subjects].reverse()) {
        log(`cluster: upload of ${count} chunks of ${sizeBytes / 1024} KiB to ${subject.label}`);
        throughput.set(subject, await uploadRun(subject, count, sizeBytes));
      }
      figures.push(
        ...subjects.map((subject) => figure(`throughput to ${subject.label}`, throughput.get(subject)!, 'MB/s')),
        figure('S3 throughput ÷ local disk', throughput.get(subjects[1]!)! / throughput.get(subjects[0]!)!, 'ratio'),
      );
    }
    return {
      figures,
      notes: [
        `Chunk upload to S3: ${BYTES_PER_RUN / 1024 / 1024} MiB of random chunks per chunk size and storage, ${UPLOAD_WINDOW} requests ` +
          "in flight (as the camera's uploader), sent with fetch from the benchmark process; both instances on the same PostgreSQL " +
          `database and Redis, each warmed up with ${WARM_UP_CHUNKS} chunks first, the storage that goes first alternating by chunk ` +
          'size. On disk a chunk is streamed to a file, hashed, fsynced and renamed; to S3 the same happens in a staging folder, then ' +
          'one PutObject (with its SHA-256) sends it to s3rver, a Node S3 server in its own process on the same cores that writes ' +
          'to a local folder without fsync; so the ratio shows what the extra hop costs here, not what a real object store would ' +
          'give. MB = 10^6 bytes.',
      ],
    };
  } finally {
    if (disk) {
      await disk.stop();
      rmSync(disk.dataDir, { recursive: true, force: true });
    }
    await cluster.stop();
  }
}
