import type { Readable } from 'node:stream';

/**
 * A chunk whose bytes are written but do not count as stored yet: `commit`
 * makes it durable under its final name, `discard` drops it. Exactly one of
 * the two must be called.
 */
export interface StagedChunk {
  sizeBytes: number;
  /** SHA-256 of the bytes written, lowercase hex. */
  sha256: string;
  /** Makes the chunk durable under its final name, replacing any file there. */
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Where the bytes of recording chunks live (local disk now, object storage
 * later). Camera events keep their images in a store of their own of this
 * kind: an event id names the folder, `IMAGE_SEQ` the image. It knows nothing of who owns a recording: the metadata store does.
 * Callers serialise commits and deletions on one recording (see
 * `KeyedMutex`); staging runs beside them: a staging that begins while the
 * recording is being deleted waits for the deletion, and `deleteOrphan`
 * leaves a recording alone while a chunk of it is being staged.
 */
export interface ChunkStore {
  /**
   * Streams `body` into a staged chunk while hashing it.
   * @throws ChunkTooLargeError as soon as more than `maxBytes` arrive.
   */
  stage(recordingId: string, seq: number, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StagedChunk>;
  /** A stream of a committed chunk's bytes. @throws ChunkMissingError when there is none. */
  read(recordingId: string, seq: number): Promise<Readable>;
  /** Deletes every chunk of a recording (nothing happens if there are none). */
  deleteRecording(recordingId: string): Promise<void>;
  /**
   * Deletes the chunks of a recording the metadata store does not know,
   * unless a chunk of it is being staged (from the start of `stage` until
   * commit or discard: an upload that will add its row).
   * @returns whether it deleted
   */
  deleteOrphan(recordingId: string): Promise<boolean>;
  /** Ids of the recordings that have anything stored. */
  recordingIds(): Promise<string[]>;
  /** Removes staged chunks left over by an earlier process (a crash mid-upload). @returns how many. */
  removeStaleStaged(): Promise<number>;
}

/** A chunk body over the configured limit. */
export class ChunkTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`chunk is larger than ${maxBytes} bytes`);
  }
}

/** No committed chunk under that recording and seq. */
export class ChunkMissingError extends Error {
  constructor(recordingId: string, seq: number) {
    super(`no chunk ${seq} of recording ${recordingId}`);
  }
}
