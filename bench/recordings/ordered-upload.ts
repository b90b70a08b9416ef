import { UPLOAD_WINDOW } from '../../pwa/camera/recording/chunk-uploader.js';
import type { RecordingChunk } from '../../tests/support/fmp4.js';
import { newRecordingId, uploadChunk, type PairedCamera } from '../../tests/support/recording-client.js';
import type { TestServer } from '../../tests/support/server.js';

/** Chunk sizes uploaded, bytes: 1–2 s of camera video is about 0.25–1 MiB; a backlog may be sent in larger pieces. */
export const CHUNK_SIZES = [256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

/**
 * Uploads `chunks` as one new recording of `camera` the way the camera's
 * uploader (`ChunkUploader`) sends them: in order, with `UPLOAD_WINDOW`
 * `PUT /api/recordings/:id/chunks/:seq` requests in flight.
 * @returns the new recording's id and the wall time from the first request to the last answer, ms
 * @throws Error when the server answers any chunk with something other than 201
 */
export async function uploadInOrder(server: TestServer, camera: PairedCamera, chunks: RecordingChunk[]): Promise<{ recordingId: string; elapsedMs: number }> {
  const recordingId = newRecordingId();
  const startedMs = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOAD_WINDOW }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const res = await uploadChunk(server, camera, recordingId, chunk);
        if (res.status !== 201) throw new Error(`chunk ${chunk.seq}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      }
    }),
  );
  return { recordingId, elapsedMs: performance.now() - startedMs };
}
