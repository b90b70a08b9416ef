import { ChunkConflictError, ImageConflictError, type ChunkRecord, type MotionImageRecord } from './store.js';

/*
 * The checks of an idempotent insert, for every store: a row that exists
 * already (another upload stored it, maybe on another server) is fine when it
 * holds the same bytes, and a conflict when not.
 */

/** @throws ChunkConflictError unless the stored chunk's SHA-256 (`storedSha256`) is `chunk`'s */
export function checkSameChunk(storedSha256: unknown, chunk: ChunkRecord): void {
  if (storedSha256 !== chunk.sha256) throw new ChunkConflictError(chunk.recordingId, chunk.seq);
}

/** @throws ImageConflictError unless `stored` has `image`'s SHA-256 and media type */
export function checkSameImage(stored: MotionImageRecord, image: MotionImageRecord): void {
  if (stored.sha256 !== image.sha256 || stored.contentType !== image.contentType) {
    throw new ImageConflictError(image.eventId, image.image);
  }
}
