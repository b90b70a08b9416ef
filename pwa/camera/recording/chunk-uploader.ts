import type { ApiErrorCode } from '../../../protocol/index.js';
import { ApiRequestError, type ApiClient, type ClientErrorCode } from '../../api/api-client.js';
import { messageOf } from '../../app/error-message.js';
import { Backoff } from '../../shared/backoff.js';
import type { LocalChunk } from '../../shared/recording-records.js';
import type { ChunkQueue } from './chunk-queue.js';
import { Emitter } from '../../shared/emitter.js';
import { changedOrOnline } from '../../shared/changed-or-online.js';

/**
 * Chunks of one recording in flight at once, at most: overlapping requests
 * hide each one's round trip and the server's fsyncs (the server takes a
 * recording's chunks in any order).
 */
export const UPLOAD_WINDOW = 4;

/** What one upload (or one round of them) leaves to do: go on, wait and retry, or stop for good. */
type Outcome = 'done' | 'retry' | 'stop';
const OUTCOME_WEIGHT: Record<Outcome, number> = { done: 0, retry: 1, stop: 2 };

/** First retry delay and cap of the retry backoff, ms. */
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 4_000;

/**
 * Why uploading waits to try again:
 * - `queue-unreadable`: the chunks on this device could not be read (`reason`: IndexedDB's error)
 * - `unreachable`: the server did not answer
 * - `failed`: the request failed otherwise (`reason`: its error)
 * - `server-trouble`: the server had a passing problem (5xx, 429, a retryable 400; `message`: its own)
 */
export type RetryCause =
  | { kind: 'queue-unreadable'; reason: string }
  | { kind: 'unreachable' }
  | { kind: 'failed'; reason: string }
  | { kind: 'server-trouble'; message: string };

/**
 * `idle`: nothing to send; `uploading`: sending; `retrying`: trying again
 * soon (`cause`); `stopped`: not running; `refused`: stopped because the
 * server no longer accepts this camera (HTTP 401).
 */
export type UploaderStatus =
  | { kind: 'idle' }
  | { kind: 'uploading' }
  | { kind: 'retrying'; cause: RetryCause }
  | { kind: 'stopped' }
  | { kind: 'refused' };

/** 400 answers a retry can cure (the body arrived damaged or cut off); other 4xx are a bug to surface, not to loop on. */
const RETRYABLE_400: ReadonlySet<ClientErrorCode> = new Set<ApiErrorCode>(['hash_mismatch', 'upload_aborted']);

/**
 * Drains the `ChunkQueue` to the server in order, one recording at a time
 * with up to `UPLOAD_WINDOW` of its chunks in flight
 * (`PUT /api/recordings/:id/chunks/:seq`, headers of `ChunkUploadHeaders`,
 * `X-Recording-Final: 1` on a recording's last chunk):
 *
 * - 201/200 whose receipt has the chunk's SHA-256: the chunk leaves the queue.
 * - No answer, 5xx, 429, or a body damaged on the way: retried with
 *   exponential backoff (500 ms doubling to 4 s, at once on `online`).
 * - 410 `recording_expired`: the recording is dropped from this device.
 * - 409 `chunk_conflict`, `recording_closed` and other refusals: the recording
 *   is parked with the reason (kept, shown, not retried); others go on.
 * - 401: the camera's credential no longer works; the uploader stops.
 *
 * The queue lives in IndexedDB, so a new uploader after a reload or browser
 * restart resumes where the last one stopped. Sends `change` when `status`
 * changes.
 */
export class ChunkUploader extends Emitter<{ change: void }> {
  status: UploaderStatus = { kind: 'stopped' };
  private controller: AbortController | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly deviceToken: string,
    private readonly queue: ChunkQueue,
  ) {
    super();
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.status.kind !== 'refused') this.set({ kind: 'stopped' });
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(RETRY_INITIAL_MS, RETRY_MAX_MS);
    let changed = false;
    const offChange = this.queue.on('change', () => (changed = true));
    try {
      while (!signal.aborted) {
        changed = false;
        const outcome = await this.step(signal, () => changed);
        if (signal.aborted) return;
        if (outcome === 'retry') await backoff.wait(signal);
        else backoff.reset();
        if (outcome === 'stop') {
          this.controller = null;
          this.set({ kind: 'refused' });
          return;
        }
      }
    } finally {
      offChange();
    }
  }

  /** Uploads the next chunks, or waits for some. `changedSince` tells whether the queue changed meanwhile. */
  private async step(signal: AbortSignal, changedSince: () => boolean): Promise<Outcome> {
    const first = await this.read(() => this.queue.nextChunks(UPLOAD_WINDOW));
    if (first === null) return 'retry';
    if (signal.aborted) return 'done';
    if (first.length === 0) {
      this.set({ kind: 'idle' });
      if (!changedSince()) await changedOrOnline(this.queue, signal);
      return 'done';
    }
    if (this.status.kind !== 'retrying') this.set({ kind: 'uploading' });
    return this.uploadRecording(first, signal);
  }

  /**
   * Uploads `first` (the first queued chunks of one recording) and then the
   * rest of that recording, keeping up to `UPLOAD_WINDOW` requests in flight.
   * A retry or stop lets the requests in flight finish first.
   */
  private async uploadRecording(first: LocalChunk[], signal: AbortSignal): Promise<Outcome> {
    const recordingId = first[0]!.recordingId;
    const inFlight = new Set<Promise<Outcome>>();
    let lastSeq = -1;
    let outcome: Outcome = 'done';
    for (let pending: LocalChunk[] | null = first; ; ) {
      for (const chunk of pending) {
        lastSeq = chunk.seq;
        const upload: Promise<Outcome> = this.upload(chunk, signal).finally(() => inFlight.delete(upload));
        inFlight.add(upload);
      }
      if (inFlight.size === 0) return outcome;
      const settled = await Promise.race(inFlight);
      if (OUTCOME_WEIGHT[settled] > OUTCOME_WEIGHT[outcome]) outcome = settled;
      if (outcome !== 'done' || signal.aborted) {
        for (const rest of await Promise.all(inFlight)) {
          if (OUTCOME_WEIGHT[rest] > OUTCOME_WEIGHT[outcome]) outcome = rest;
        }
        return outcome;
      }
      pending = await this.read(() =>
        this.queue.nextChunks(UPLOAD_WINDOW - inFlight.size, { recordingId, seq: lastSeq }),
      );
      if (pending === null) outcome = 'retry';
      pending ??= [];
    }
  }

  /** Reads the queue; null (and `retrying`) when IndexedDB fails. */
  private async read(next: () => Promise<LocalChunk[]>): Promise<LocalChunk[] | null> {
    try {
      return await next();
    } catch (error) {
      this.set({ kind: 'retrying', cause: { kind: 'queue-unreadable', reason: messageOf(error, String(error)) } });
      return null;
    }
  }

  /** Sends one chunk and applies the answer to the queue. */
  private async upload(chunk: LocalChunk, signal: AbortSignal): Promise<Outcome> {
    try {
      const receipt = await this.api.uploadChunk(this.deviceToken, chunk, signal);
      if (receipt.recordingId !== chunk.recordingId || receipt.seq !== chunk.seq || receipt.sha256 !== chunk.sha256) {
        await this.queue.park(
          chunk.recordingId,
          `The server confirmed chunk ${chunk.seq} with other contents (SHA-256 ${receipt.sha256}).`,
        );
        return 'done';
      }
      await this.queue.confirm(chunk.recordingId, chunk.seq, chunk.final);
      if (this.status.kind === 'retrying') this.set({ kind: 'uploading' });
      return 'done';
    } catch (error) {
      if (signal.aborted) return 'done';
      if (!(error instanceof ApiRequestError)) {
        this.set({ kind: 'retrying', cause: { kind: 'failed', reason: messageOf(error, String(error)) } });
        return 'retry';
      }
      if (error.status === 410) {
        await this.queue.drop(chunk.recordingId);
        return 'done';
      }
      if (error.status === 401) return 'stop';
      const passing =
        error.status === 0 ||
        error.status === 429 ||
        error.status >= 500 ||
        (error.status === 400 && RETRYABLE_400.has(error.code));
      if (passing) {
        const cause: RetryCause =
          error.status === 0 ? { kind: 'unreachable' } : { kind: 'server-trouble', message: error.message };
        this.set({ kind: 'retrying', cause });
        return 'retry';
      }
      await this.queue.park(chunk.recordingId, `Chunk ${chunk.seq}: ${error.message} (${error.status} ${error.code})`);
      return 'done';
    }
  }


  private set(status: UploaderStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    this.emit('change');
  }
}
