import type { LocalChunk } from '../../shared/recording-records.js';
import { startChunkRecorder, TIMESLICE_MS, type ChunkRecorder, type ChunkRecorderHandlers } from './chunk-recorder.js';
import {
  ChunkFormatError,
  readFragments,
  readInitSegment,
  splitInitSegment,
  type InitSegmentInfo,
} from './fmp4-chunk.js';
import type { ChunkSink } from './event-footage.js';
import { repairOpusDurations } from './opus-durations.js';
import { RecordingUnsupportedError, type RecordingFormat } from './recording-format.js';
import { newRandomId, sha256Hex } from './recording-ids.js';
import { Emitter } from '../../shared/emitter.js';
import { log } from '../../shared/logger.js';

/**
 * Why a recorder stopped on its own:
 * - `unsupported`: the browser encodes no codec Peerwatch plays back (`RecordingUnsupportedError`)
 * - `bad-format`: a chunk was not fragmented MP4 (`ChunkFormatError`; `message` is meant for people)
 * - `failed`: the recorder or the browser failed otherwise (`reason`: the error's message, if any)
 */
export type RecorderFailure =
  | { kind: 'unsupported' }
  | { kind: 'bad-format'; message: string }
  | { kind: 'failed'; reason: string | null };

/** The events of a `SegmentRecorder` and their payloads. */
export interface SegmentRecorderEvents {
  /** Started or stopped. */
  change: void;
  /** Stopped on its own, for this reason (the chunks stored before stay queued). */
  problem: RecorderFailure;
  /** IndexedDB refused a chunk for lack of quota: stopped; the chunks stored before stay queued. */
  'storage-full': void;
}

/** Longest recording, ms: then a new one begins (new id, new init segment), so each stays a bounded file set. */
export const SEGMENT_MAX_MS = 10 * 60_000;

/**
 * A recorder that delivers no chunk for this long has failed, ms: it makes
 * one about every `TIMESLICE_MS`, so a longer silence means it hangs (e.g. an
 * encoder's source that never starts) and would otherwise record nothing
 * while the camera says it records.
 */
export const CHUNK_STALL_MS = 5 * TIMESLICE_MS;

/**
 * The stall watchdog looks every `TIMESLICE_MS` whether a chunk came since
 * its last look, and the recorder has stalled after this many looks in a row
 * found none (`CHUNK_STALL_MS` of a running page). Counting punctual looks,
 * not elapsed time: a page that was frozen (a phone's screen off, a laptop's
 * lid closed) runs an overdue timer once when it wakes, and the recorder,
 * which was frozen too, has not failed. A look more than `TIMESLICE_MS` late
 * is such a wake-up: it starts the count again.
 */
const STALL_LOOKS = CHUNK_STALL_MS / TIMESLICE_MS;

/** One recorder run: one recording on the server. */
interface Segment {
  recorder: ChunkRecorder;
  id: string;
  /** Camera clock when the recorder started, ms since the epoch. */
  startedAtMs: number;
  /** Seq of the next media chunk (1 after the init segment). */
  nextSeq: number;
  /** From the init segment, once it arrived. */
  tracks: InitSegmentInfo | null;
  /** tfdt of the first fragment: media time 0 of the recording. */
  firstTicks: number | null;
  /** Set when a chunk was not fMP4: the rest of this segment is discarded. */
  failed: boolean;
  rotation: ReturnType<typeof setTimeout>;
  /** The stall watchdog (`STALL_LOOKS`): looks every `TIMESLICE_MS`, until the final chunk or a failure. */
  stall?: ReturnType<typeof setInterval>;
  /** The watchdog's looks in a row that found no new chunk; 0 again at each chunk, and after a wake-up. */
  quietLooks: number;
  /** When the watchdog last looked (or started), `performance.now()` ms. */
  lastLookMs: number;
  /** Resolves once the recorder's last chunk has been handled, or it stalled. */
  finished: Promise<void>;
  settle: () => void;
}

/**
 * Records a MediaStream as fragmented MP4 in bounded recordings: a chunk
 * recorder (`startChunkRecorder`: MediaRecorder, or WebCodecs + mediabunny)
 * delivers chunks of about `TIMESLICE_MS`, chunk 0 the init segment
 * (ftyp+moov) and each later chunk whole fragments (moof+mdat) (RFC 8216
 * §3.3). Every `SEGMENT_MAX_MS`, and when the camera's tracks change
 * (`useFormat`), the recorder is replaced by a new one (new recording id).
 *
 * Each chunk is checked (box types; a browser that makes anything else stops
 * with a `ChunkFormatError`, nothing of it is stored), timed from its tfdt and
 * sample durations, its Opus sample durations repaired (`repairOpusDurations`),
 * hashed (SHA-256, Web Crypto) and stored in the
 * `ChunkQueue` (or the `EventFootage` in front of it) before anything else happens to it. Chunks are handled one at a
 * time, in order.
 *
 * A recorder that delivers no chunk for `CHUNK_STALL_MS` of a running page
 * (also after `stop()`, until its final chunk; see `STALL_LOOKS`) has
 * failed: recording stops with a problem.
 *
 * Events: `SegmentRecorderEvents`.
 */
export class SegmentRecorder extends Emitter<SegmentRecorderEvents> {
  private current: Segment | null = null;
  /** The chunk handling chain: one chunk at a time, in arrival order. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: ChunkSink,
    private format: RecordingFormat,
  ) {
    super();
  }

  /** True while a recorder runs. */
  get recording(): boolean {
    return this.current !== null;
  }

  /** Begins recording (a new recording) unless already recording. @throws DOMException from MediaRecorder */
  start(): void {
    if (this.current) return;
    this.current = this.begin();
    this.changed();
  }

  /**
   * Records `format` (the camera's new tracks, e.g. another camera or another
   * quality preset) from now on: while recording, a new recording begins at
   * once with it (its own init segment, so a player never meets a change of
   * track mid-recording) and the one before ends.
   */
  useFormat(format: RecordingFormat): void {
    this.format = format;
    if (this.current) this.rotate(this.current);
  }

  /** Stops recording; resolves once the last chunk is stored (or failed to be). */
  async stop(): Promise<void> {
    const segment = this.current;
    if (!segment) return;
    this.current = null;
    this.finish(segment);
    this.changed();
    await segment.finished;
  }

  private begin(): Segment {
    let settle!: () => void;
    // The handlers run only after the recorder started, when `segment` exists.
    const handlers: ChunkRecorderHandlers = {
      onStart: () => (segment.startedAtMs = Date.now()),
      onChunk: (data, final) => {
        segment.quietLooks = 0;
        if (final) clearInterval(segment.stall);
        this.work = this.work
          .then(() => this.store(segment, data, final))
          .catch((error: unknown) => this.fail(segment, error))
          .finally(() => {
            if (final) segment.settle();
          });
      },
      onError: (error) => this.fail(segment, error),
    };
    const segment: Segment = {
      recorder: startChunkRecorder(this.format, handlers),
      id: newRandomId(),
      startedAtMs: Date.now(),
      nextSeq: 0,
      tracks: null,
      firstTicks: null,
      failed: false,
      quietLooks: 0,
      lastLookMs: performance.now(),
      rotation: setTimeout(() => this.rotate(segment), SEGMENT_MAX_MS),
      finished: new Promise((resolve) => (settle = resolve)),
      settle: () => settle(),
    };
    this.watch(segment);
    return segment;
  }

  /** Starts the segment's stall watchdog: `STALL_LOOKS` punctual looks in a row without a chunk fail it. */
  private watch(segment: Segment): void {
    segment.stall = setInterval(() => {
      const nowMs = performance.now();
      const overdue = nowMs - segment.lastLookMs > 2 * TIMESLICE_MS;
      segment.lastLookMs = nowMs;
      segment.quietLooks = overdue ? 0 : segment.quietLooks + 1;
      if (segment.quietLooks < STALL_LOOKS) return;
      this.fail(segment, new Error(`the recorder delivered nothing for ${CHUNK_STALL_MS / 1000} s`));
      segment.settle();
    }, TIMESLICE_MS);
  }

  /** Replaces the recorder with a new one (the new one first, so no moment is lost): after `SEGMENT_MAX_MS`, or a new format. */
  private rotate(segment: Segment): void {
    if (this.current !== segment) return;
    this.current = this.begin();
    this.finish(segment);
  }

  private finish(segment: Segment): void {
    clearTimeout(segment.rotation);
    segment.recorder.stop();
  }

  /** Checks, times, hashes and queues one chunk. @throws ChunkFormatError, IndexedDB errors */
  private async store(segment: Segment, blob: Blob, final: boolean): Promise<void> {
    if (segment.failed) return;
    const bytes = await blob.arrayBuffer();
    if (bytes.byteLength === 0) {
      if (final && segment.nextSeq > 0) await this.queue.end(segment.id);
      return;
    }
    if (!segment.tracks) {
      const { init, rest } = splitInitSegment(bytes);
      segment.tracks = readInitSegment(init);
      const initFinal = final && rest.byteLength === 0;
      await this.queue.begin(
        { id: segment.id, startedAtMs: segment.startedAtMs, mimeType: this.format.mimeType },
        await this.chunk(segment, init, segment.startedAtMs, 0, initFinal),
      );
      if (rest.byteLength > 0) await this.storeMedia(segment, rest, final);
      return;
    }
    await this.storeMedia(segment, bytes, final);
  }

  private async storeMedia(segment: Segment, bytes: ArrayBuffer, final: boolean): Promise<void> {
    const { video: track, opus } = segment.tracks!;
    const timing = readFragments(bytes, track);
    if (opus && !final) repairOpusDurations(bytes, opus);
    segment.firstTicks ??= timing.startTicks;
    const startMs = segment.startedAtMs + Math.round(((timing.startTicks - segment.firstTicks) * 1000) / track.timescale);
    const durationMs = Math.round((timing.durationTicks * 1000) / track.timescale);
    await this.queue.append(await this.chunk(segment, bytes, startMs, durationMs, final));
  }

  private async chunk(
    segment: Segment,
    bytes: ArrayBuffer,
    startMs: number,
    durationMs: number,
    final: boolean,
  ): Promise<LocalChunk> {
    return {
      recordingId: segment.id,
      seq: segment.nextSeq++,
      bytes,
      sizeBytes: bytes.byteLength,
      sha256: await sha256Hex(bytes),
      startMs,
      durationMs,
      final,
    };
  }

  /** Stops a segment that cannot go on; what it stored stays queued (its last stored chunk becomes final). */
  private fail(segment: Segment, error: unknown): void {
    if (segment.failed) return;
    segment.failed = true;
    clearInterval(segment.stall);
    const full = error instanceof DOMException && error.name === 'QuotaExceededError';
    if (segment.nextSeq > 0) {
      void this.queue.end(segment.id).catch((endError: unknown) => {
        // The queue ends it when the camera starts again (`ChunkQueue.endAbandoned`).
        log.warn('recorder: a failed recording could not be marked ended', segment.id, endError);
      });
    }
    if (this.current === segment) this.current = null;
    this.finish(segment);
    this.changed();
    if (full) this.emit('storage-full');
    else this.emit('problem', failureOf(error));
  }

  private changed(): void {
    this.emit('change');
  }
}

/** What a recorder's error means for the person (see `RecorderFailure`). */
function failureOf(error: unknown): RecorderFailure {
  if (error instanceof RecordingUnsupportedError) return { kind: 'unsupported' };
  if (error instanceof ChunkFormatError) return { kind: 'bad-format', message: error.message };
  return { kind: 'failed', reason: error instanceof Error ? error.message : null };
}
