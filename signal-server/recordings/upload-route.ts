import type { Request, RequestHandler, Response } from 'express';
import type { ChunkReceipt } from '../api-types.js';
import type { ChunkRecord, RecordingRecord, Store } from '../store/store.js';
import { deviceOf } from '../auth/principal.js';
import { ApiError, notFound } from '../http/errors.js';
import { toServerTime } from './camera-clock.js';
import { ChunkTooLargeError, type ChunkStore, type StagedChunk } from './chunk-store.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { isRecordingId } from './recording-id.js';

const MAX_SEQ = 1_000_000;
const MAX_CHUNK_DURATION_MS = 3_600_000;

/** What the headers of a chunk upload say (see `ChunkUploadHeaders` in api-types.ts). */
interface ChunkHeaders {
  sha256: string;
  /** The chunk's start on the server's clock (`toServerTime`). */
  startMs: number;
  durationMs: number;
  final: boolean;
}

const invalidHeader = (name: string, rule: string) => new ApiError(400, 'invalid_header', `${name} must be ${rule}.`);

function integerHeader(req: Request, name: string, max: number): number {
  const raw = req.get(name);
  const value = raw !== undefined && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(value <= max)) throw invalidHeader(name, `a whole number from 0 to ${max}`);
  return value;
}

/** @throws ApiError 400 `invalid_header` naming the first malformed header. */
function parseChunkHeaders(req: Request): ChunkHeaders {
  const sha256 = req.get('x-chunk-sha256')?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw invalidHeader('X-Chunk-Sha256', 'the SHA-256 of the body in hex');
  const final = req.get('x-recording-final') ?? '0';
  if (final !== '0' && final !== '1') throw invalidHeader('X-Recording-Final', '1 or absent');
  const cameraClockMs =
    req.get('x-camera-clock-ms') === undefined ? undefined : integerHeader(req, 'X-Camera-Clock-Ms', Number.MAX_SAFE_INTEGER);
  return {
    sha256,
    startMs: toServerTime(integerHeader(req, 'X-Chunk-Start-Ms', Number.MAX_SAFE_INTEGER), cameraClockMs, Date.now()),
    durationMs: integerHeader(req, 'X-Chunk-Duration-Ms', MAX_CHUNK_DURATION_MS),
    final: final === '1',
  };
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
function bodyOf(req: Request): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => req.iterator({ destroyOnReturn: false }) };
}

/**
 * `PUT /api/recordings/:recordingId/chunks/:seq` (camera, behind
 * `authenticate`): stores one chunk, idempotently. The body is streamed to a
 * staged file while it is hashed and counted (never buffered whole); only a
 * body whose SHA-256 matches `X-Chunk-Sha256` is committed (fsync + rename +
 * folder fsync), and only then is its row inserted. Same bytes again → 200;
 * other bytes under a stored seq → 409. Status codes and headers: see
 * api-types.ts (`ChunkUploadHeaders`).
 */
export function uploadChunkRoute(deps: {
  store: Store;
  chunks: ChunkStore;
  locks: KeyedMutex;
  chunkMaxBytes: number;
  maxAgeMs: number;
}): RequestHandler {
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
      if (stored.sha256 !== staged.sha256) {
        throw new ApiError(409, 'chunk_conflict', `Chunk ${chunk.seq} of this recording is stored with other bytes.`);
      }
      await staged.discard();
      if (headers.final) await store.recordings.markFinal(chunk.recordingId, chunk.seq, chunk.storedAtMs);
      res.status(200).json(receipt);
      return;
    }
    await staged.commit();
    await store.recordings.addChunk(owner, chunk, headers.final);
    res.status(201).json(receipt);
  }

  return async (req, res) => {
    const owner = deviceOf(res);
    const recordingId = String(req.params.recordingId);
    if (!isRecordingId(recordingId)) {
      throw new ApiError(400, 'invalid_recording_id', 'A recording id is 16–64 characters of A–Z, a–z, 0–9, _ and -.');
    }
    const seqText = String(req.params.seq);
    const seq = /^\d{1,7}$/.test(seqText) ? Number(seqText) : NaN;
    if (!(seq <= MAX_SEQ)) throw new ApiError(400, 'invalid_seq', `seq must be a whole number from 0 to ${MAX_SEQ}.`);
    if (!req.is('application/octet-stream')) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the chunk as application/octet-stream.');
    }
    const headers = parseChunkHeaders(req);
    if (Number(req.get('content-length') ?? 0) > chunkMaxBytes) throw new ChunkTooLargeError(chunkMaxBytes);
    if (headers.startMs + headers.durationMs < Date.now() - deps.maxAgeMs) {
      throw new ApiError(410, 'recording_expired', 'This footage is older than the retention period; drop it.');
    }

    // Refused early, before the body is read; checked again under the lock, where it counts.
    await checkRecording(store, owner, recordingId, seq, headers.final);
    // The body is staged outside the lock, so uploads of one recording's chunks overlap.
    const staged = await chunks.stage(recordingId, seq, bodyOf(req), chunkMaxBytes).catch((error: unknown) => {
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
      await locks.run(recordingId, async () => {
        await checkRecording(store, owner, recordingId, seq, headers.final);
        await finish(res, owner, chunk, headers, staged);
      });
    } catch (error) {
      await staged.discard();
      throw error;
    }
  };
}
