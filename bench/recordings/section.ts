import { UPLOAD_WINDOW } from '../../pwa/camera/recording/chunk-uploader.js';
import { TestServer } from '../../tests/support/server.js';
import { pairCamera, randomChunks } from '../../tests/support/recording-client.js';
import { CHUNK_SIZES, uploadInOrder } from './ordered-upload.js';
import { CpuMeter, rssBytes } from '../processes.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';

/** Bytes uploaded per chunk size. */
const BYTES_PER_RUN = 128 * 1024 * 1024;
/** Target: at least 50 MB/s, i.e. at most 20 ms per MB. */
const TARGET_MS_PER_MB = 20;
const figure = figureMaker('recordings');

/**
 * Recording upload throughput: one camera uploading chunks of one
 * recording in order with `UPLOAD_WINDOW` requests in flight, as its uploader
 * does (`ChunkUploader`), over
 * loopback to a real server (each chunk streamed to disk, hashed, fsynced,
 * renamed and recorded in SQLite). Also the server's CPU use and memory after
 * each run, which stays flat if bodies are streamed, not buffered.
 */
export const recordingsSection: Section = {
  name: 'recordings',
  description: `chunk upload, ${CHUNK_SIZES.map((s) => `${s / 1024} KiB`).join(' / ')} chunks in order: MB/s, ms/MB, server CPU and RSS`,
  async run(options: BenchOptions): Promise<SectionResult> {
    const server = await TestServer.start();
    const figures: Figure[] = [];
    try {
      const session = await server.register();
      const camera = await pairCamera(server, session.accessToken, 'Bench camera');
      figures.push(figure('server RSS before uploads', rssBytes(server.pid) / 1e6, 'MB'));
      for (const size of CHUNK_SIZES) {
        const count = Math.ceil(BYTES_PER_RUN / size);
        const chunks = randomChunks(count, size, Date.now());
        options.log(`recordings: ${count} chunks of ${size / 1024} KiB`);
        const cpu = new CpuMeter(server.pid);
        cpu.start();
        const seconds = (await uploadInOrder(server, camera, chunks)).elapsedMs / 1000;
        const megabytes = (count * size) / 1e6;
        const label = `upload, ${size / 1024} KiB chunks`;
        figures.push(
          figure(`${label}: throughput`, megabytes / seconds, 'MB/s'),
          figure(`${label}: time per MB`, (seconds * 1000) / megabytes, 'ms/MB', TARGET_MS_PER_MB),
          figure(`${label}: server CPU`, cpu.stop(), '%'),
          figure(`${label}: server RSS after`, rssBytes(server.pid) / 1e6, 'MB'),
        );
      }
      return {
        figures,
        notes: [
          `Recordings: ${BYTES_PER_RUN / 1024 / 1024} MiB per chunk size, ${UPLOAD_WINDOW} requests in flight (as the camera's uploader), sent with fetch from the benchmark process on the same cores; MB = 10^6 bytes.`,
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
