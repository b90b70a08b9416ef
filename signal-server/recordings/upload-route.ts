import type { Request, Response } from 'express';
import type { ChunkReceipt } from '../../protocol/index.js';
import { checkSameChunk } from '../store/same-bytes.js';
import { ChunkConflictError, type ChunkRecord, type RecordingRecord, type Store } from '../store/store.js';
import type { RouteHandler } from '../http/contract-router.js';
import { ApiError, notFound } from '../http/errors.js';
import { toServerTime } from './camera-clock.js';
import { ChunkTooLargeError, type ChunkStore, type StagedChunk } from './chunk-store.js';
import type { KeyedMutex } from './keyed-mutex.js';

/** The 413 of a chunk over the server's limit. */
const tooLarge = (maxBytes: number) =>
  new ApiError(413, 'chunk_too_large', `A chunk may be at most ${maxBytes} bytes.`);

/** The 409 of a chunk whose seq is stored with other bytes. */
const chunkConflict = (seq: number) =>
  new ApiError(409, 'chunk_conflict', `Chunk ${seq} of this recording is stored with other bytes.`);

/** What the headers of a chunk upload say, as the server reads them. */
interface ChunkHeaders {
  sha256: string;
  /** The chunk's start on the server's clock (`toServerTime`). */
  startMs: number;
  durationMs: number;
  final: boolean;
}

/**
 * @throws ApiError 409 `recording_closed` when the chunk lies past the recording's
 * final chunk, or is marked final while a later chunk is stored or another one is final.
 */
async function checkAgainstEnd(store: Store, recording: RecordingRecord | undefined, seq: number, final: boolean) {
  if (!recording) return;
  const pastEnd =
    recording.finalSeq !== null
      ? seq > recording.finalSeq || (final && seq !== recording.finalSeq)
      : final && (await store.recordings.chunks(recording.id)).some((c) => c.seq > seq);
  if (pastEnd)
    throw new ApiError(409, 'recording_closed', `Chunk ${seq} lies past the end of recording ${recording.id}.`);
}

/**
 * Checks that a chunk may be stored: the recording is new or this device's,
 * and the chunk does not lie past its end.
 * @throws ApiError 404 for another device's recording; 409 `recording_closed` (see `checkAgainstEnd`)
 */
async function checkRecording(
  store: Store,
  owner: { deviceId: string },
  recordingId: string,
  seq: number,
  final: boolean,
): Promise<void> {
  const recording = await store.recordings.findById(recordingId);
  if (recording && recording.deviceId !== owner.deviceId) throw notFound('Recording');
  await checkAgainstEnd(store, recording, seq, final);
}

/** The request body as an iterable that leaves the socket open when reading stops early (so a 413 can be sent). */
export function bodyOf(req: Request): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) };
}

/**
 * `PUT /api/recordings/:recordingId/chunks/:seq` (camera, behind
 * `authenticate`): stores one chunk, idempotently. The body is streamed to a
 * staged file while it is hashed and counted (never buffered whole); only a
 * body whose SHA-256 matches `X-Chunk-Sha256` is committed (fsync + rename +
 * folder fsync), and only then is its row inserted. Same bytes again → 200;
 * other bytes under a stored seq → 409. Parameters and headers are checked by
 * the route table (`chunkParamsSchema`, `chunkUploadHeadersSchema`), which also
 * lists the status codes.
 *
 * `locks` is an in-process mutex per recording: it orders this server's
 * checks, staged-file commits (disk or S3) and rows of one recording. Across
 * servers over one PostgreSQL database no lock is shared: there the row is
 * what counts, and `addChunk` stores a chunk at most once (ON CONFLICT plus a
 * check of its SHA-256), so two servers receiving the same chunk at once
 * store one row and both answer success.
 */
export function uploadChunkRoute(deps: {
  store: Store;
  chunks: ChunkStore;
  locks: KeyedMutex;
  chunkMaxBytes: number;
  maxAgeMs: number;
  /** Told of each chunk stored (the first time), with its size in bytes. */
  onChunkStored: (sizeBytes: number) => void;
}): RouteHandler<'PUT /api/recordings/:recordingId/chunks/:seq'> {
  const { store, chunks, locks, chunkMaxBytes } = deps;

  async function finish(
    res: Response,
    owner: { householdId: string; deviceId: string },
    chunk: ChunkRecord,
    headers: ChunkHeaders,
    staged: StagedChunk,
  ): Promise<void> {
    const { recordingId, seq, sizeBytes, sha256 } = chunk;
    const receipt: ChunkReceipt = { recordingId, seq, sizeBytes, sha256 };
    if (staged.sha256 !== headers.sha256) {
      throw new ApiError(400, 'hash_mismatch', 'The body does not match X-Chunk-Sha256; send the chunk again.');
    }
    const stored = await store.recordings.findChunk(chunk.recordingId, chunk.seq);
    if (stored) {
      checkSameChunk(stored.sha256, chunk);
      await staged.discard();
      if (headers.final) await store.recordings.markFinal(chunk.recordingId, chunk.seq, chunk.storedAtMs);
      res.status(200).json(receipt);
      return;
    }
    await staged.commit();
    // Another server may have stored this chunk since `findChunk` (the lock
    // held here is this process's only): `addChunk` is idempotent for the same
    // bytes and refuses other ones.
    await store.recordings.addChunk(owner, chunk, headers.final);
    deps.onChunkStored(sizeBytes);
    res.status(201).json(receipt);
  }

  return async ({ principal: owner, params: { recordingId, seq }, headers: raw }, req, res) => {
    const headers: ChunkHeaders = {
      sha256: raw['x-chunk-sha256'],
      startMs: toServerTime(raw['x-chunk-start-ms'], raw['x-camera-clock-ms'], Date.now()),
      durationMs: raw['x-chunk-duration-ms'],
      final: raw['x-recording-final'] === '1',
    };
    if (Number(req.get('content-length') ?? 0) > chunkMaxBytes) throw tooLarge(chunkMaxBytes);
    if (headers.startMs + headers.durationMs < Date.now() - deps.maxAgeMs) {
      throw new ApiError(410, 'recording_expired', 'This footage is older than the retention period; drop it.');
    }

    // Refused early, before the body is read; checked again under the lock, where it counts.
    await checkRecording(store, owner, recordingId, seq, headers.final);
    // The body is staged outside the lock, so uploads of one recording's chunks overlap.
    const staged = await chunks.stage(recordingId, seq, bodyOf(req), chunkMaxBytes).catch((error: unknown) => {
      if (error instanceof ChunkTooLargeError) throw tooLarge(error.maxBytes);
      if (!req.readableAborted) throw error;
      throw new ApiError(400, 'upload_aborted', 'The upload was interrupted; send the chunk again.');
    });
    try {
      if (staged.sizeBytes === 0) throw new ApiError(400, 'empty_chunk', 'The chunk is empty.');
      const chunk: ChunkRecord = {
        recordingId,
        seq,
        sizeBytes: staged.sizeBytes,
        sha256: staged.sha256,
        startMs: headers.startMs,
        durationMs: headers.durationMs,
        storedAtMs: Date.now(),
      };
      await locks
        .run(recordingId, async () => {
          await checkRecording(store, owner, recordingId, seq, headers.final);
          await finish(res, owner, chunk, headers, staged);
        })
        .catch((error: unknown) => {
          throw error instanceof ChunkConflictError ? chunkConflict(seq) : error;
        });
    } catch (error) {
      await staged.discard();
      throw error;
    }
  };
}
