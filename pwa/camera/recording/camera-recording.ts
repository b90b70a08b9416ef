import type { DeviceEvent, RecordingProblem } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';
import { messageOf } from '../../app/error-message.js';
import type { CameraEvents } from '../camera-events.js';
import type { DeviceCredential } from '../../shared/db.js';
import { Emitter } from '../../shared/emitter.js';
import { log } from '../../shared/logger.js';
import type { RecordingWish } from '../../shared/recording-records.js';
import { ChunkQueue, type QueueSummary } from './chunk-queue.js';
import { ChunkUploader } from './chunk-uploader.js';
import { EventFootage, type FootageMode } from './event-footage.js';
import { chooseRecordingFormat } from './recording-format.js';
import { loadRecordingWish, saveRecordingWish } from './recording-wish-store.js';
import { SegmentRecorder, type RecorderFailure } from './segment-recorder.js';
import { StorageGuard } from './storage-guard.js';

/** After a queue change, its summary and the storage estimate are read this much later (one read for a burst), ms. */
const SUMMARY_DELAY_MS = 250;

/**
 * Why the camera cannot record now: the recorder's own failure
 * (`RecorderFailure`: `unsupported` also when the browser has no fMP4
 * recorder at all), or `start-failed` when the recorder refused to start
 * (`reason`: its error's message). After a failure recording waits until the
 * wish changes; a browser with no recorder never records.
 */
export type RecordingTrouble = RecorderFailure | { kind: 'start-failed'; reason: string };

/**
 * What the recorder does, as the camera shows it: `recording`; `starting`
 * (asked to record, not yet running); `stopping` (asked to stop, its last
 * chunk not yet stored); `off`.
 */
export type RecordingActivity = 'off' | 'starting' | 'recording' | 'stopping';

/**
 * A camera's recording, end to end: follows the household's wish ("Record"),
 * records the MediaStream into the IndexedDB queue (`SegmentRecorder`),
 * uploads the queue (`ChunkUploader`), stops when storage runs low
 * (`StorageGuard`) and tells the server what it does.
 *
 * The wish comes from the camera's own event stream (`CameraEvents`:
 * `recording-state`, reconnecting with backoff) or from
 * the switch on the camera (`setEnabled`, sent with
 * `PUT /api/devices/me/recording`, again after reconnecting if the server
 * could not be reached). It is kept in IndexedDB, so a camera reloaded while
 * offline records on. What the camera does is reported with
 * `PUT /api/devices/me/recording-status` on every change and reconnect.
 *
 * Sends `change` whenever anything shown about recording changed. Listens to
 * its parts and to `CameraEvents` from `start()` until `stop()` only, and
 * does nothing after `stop()` even if it was still starting.
 */
export class CameraRecording extends Emitter<{ change: void }> {
  readonly queue = new ChunkQueue();
  /** Keeps every chunk, or only the footage around events (`setFootageMode`). */
  readonly footage = new EventFootage(this.queue);
  readonly uploader: ChunkUploader;
  readonly storage = new StorageGuard();
  /** Null when the browser cannot record fMP4 (`trouble` says so). */
  readonly recorder: SegmentRecorder | null;
  wish: RecordingWish = { enabled: false, unsynced: false, changedAtMs: 0 };
  /** Whether the wish has been read from IndexedDB yet. */
  ready = false;
  /** What waits in the upload queue; null until the queue has been read once. */
  queueSummary: QueueSummary | null = null;
  /** Why recording cannot go on, or null. */
  trouble: RecordingTrouble | null = null;
  /** True while the camera is paused (privacy): nothing is recorded, whatever the wish. */
  paused = false;

  /** True from asking the recorder to stop until its last chunk is stored and counted in `queueSummary`. */
  private stopping = false;
  /** Set when the footage mode changed while recording: the recorder starts a new recording in the new mode. */
  private restartPending = false;
  private applying: Promise<void> = Promise.resolve();
  /** What the server was last told (`recording` and `problem`, as `reportKey`); null when unknown or the report failed. */
  private reported: string | null = null;
  private pushing: Promise<void> | null = null;
  /** Aborted by `stop()`: ends the listeners `start()` added, and any start still under way. */
  private readonly lifetime = new AbortController();
  private started = false;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly credential: DeviceCredential,
    stream: MediaStream,
    private readonly events: CameraEvents,
  ) {
    super();
    const format = chooseRecordingFormat(stream);
    this.recorder = format && new SegmentRecorder(this.footage, format);
    if (!format) this.trouble = { kind: 'unsupported' };
    this.uploader = new ChunkUploader(api, credential.deviceToken, this.queue);
  }

  /** True while the recorder runs. */
  get recording(): boolean {
    return this.recorder?.recording ?? false;
  }

  /** What the recorder does now. */
  get activity(): RecordingActivity {
    if (this.recording) return this.wish.enabled ? 'recording' : 'stopping';
    if (this.stopping) return 'stopping';
    if (this.wish.enabled && !this.storage.low && !this.trouble && !this.paused) return 'starting';
    return 'off';
  }

  /** Follows its parts and the camera's events until `stop()`. */
  private listen(): void {
    const { signal } = this.lifetime;
    this.events.on('ready', () => this.onReconnected(), signal);
    this.events.on('device-event', (event) => this.onEvent(event), signal);
    this.recorder?.on('change', () => this.changed(), signal);
    this.recorder?.on('storage-full', () => this.storage.markFull(), signal);
    this.recorder?.on(
      'problem',
      (failure) => {
        this.trouble = failure;
        this.apply();
      },
      signal,
    );
    this.uploader.on('change', () => this.changed(), signal);
    this.storage.on('change', () => this.apply(), signal);
    this.queue.on(
      'change',
      () => {
        this.summaryTimer ??= setTimeout(() => {
          this.summaryTimer = undefined;
          void this.storage.check();
          void this.refreshSummary();
        }, SUMMARY_DELAY_MS);
      },
      signal,
    );
  }

  /**
   * Ends recordings a previous page left open, then follows the stored wish,
   * uploads and listens to the server: it starts the shared `CameraEvents`
   * only once the wish is loaded, so the server's wish that comes first on
   * the stream is weighed against it.
   */
  async start(): Promise<void> {
    const { signal } = this.lifetime;
    if (this.started || signal.aborted) return;
    this.started = true;
    this.listen();
    await this.queue.endAbandoned().catch((error: unknown) => {
      // They stay as they are and are ended on the next start; new recordings are not held up.
      log.warn('recording: recordings left open by an earlier page could not be ended', error);
    });
    this.wish = await loadRecordingWish().catch((error: unknown) => {
      // The server's wish arrives on the event stream and is followed (and stored) then.
      log.warn('recording: the stored Record setting could not be read', error);
      return this.wish;
    });
    this.ready = true;
    if (signal.aborted) return;
    await this.refreshSummary();
    if (signal.aborted) return;
    this.uploader.start();
    this.events.start();
    await this.storage.start();
    if (signal.aborted) return;
    this.apply();
  }

  /** Stops recording (its last chunk is stored), uploading and listening (the stream itself is its owner's to stop). */
  async stop(): Promise<void> {
    this.lifetime.abort();
    clearTimeout(this.summaryTimer);
    this.summaryTimer = undefined;
    this.storage.stop();
    this.uploader.stop();
    await this.recorder?.stop();
  }

  /**
   * Records the camera's new tracks from now on (another camera, another
   * quality preset, or the camera opened again after a pause): while
   * recording, the recording goes on in a new one.
   */
  useStream(stream: MediaStream): void {
    const format = chooseRecordingFormat(stream);
    if (format) this.recorder?.useFormat(format);
  }

  /** Pauses (stops recording, and tells the server why) or resumes following the wish, with a fresh recorder. */
  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    // Resumed on new tracks: a recorder failure from before (e.g. its tracks ending under it as the pause
    // began) does not hold the new recording back.
    if (!paused && this.trouble && this.trouble.kind !== 'unsupported') this.trouble = null;
    this.apply();
  }

  /** The "Record" switch on the camera: records (or stops) at once and tells the server. */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.adopt({ enabled, unsynced: true, changedAtMs: Date.now() });
    await this.pushWish();
  }

  /**
   * Keeps every chunk (`always`) or only the footage around events. A
   * recording under way ends and a new one begins in the new mode.
   */
  setFootageMode(mode: FootageMode): void {
    if (JSON.stringify(mode) === JSON.stringify(this.footage.currentMode)) return;
    this.footage.setMode(mode);
    this.restartPending = this.recording;
    this.apply();
  }

  private async adopt(wish: RecordingWish): Promise<void> {
    // A changed wish tries the recorder again after a failure (a browser without one never records).
    if (wish.enabled !== this.wish.enabled && this.recorder) this.trouble = null;
    this.wish = wish;
    this.changed();
    this.apply();
    await saveRecordingWish(wish).catch((error: unknown) => {
      // The wish holds for this page; a reload while offline would follow the server's instead.
      log.warn('recording: the Record setting could not be stored on this device', error);
    });
  }

  /**
   * Sends a wish made on this camera to the server (one request at a time); it
   * stays `unsynced`, and is sent again after reconnecting, until that works.
   */
  private pushWish(): Promise<void> {
    this.pushing ??= this.sendWish().finally(() => (this.pushing = null));
    return this.pushing;
  }

  private async sendWish(): Promise<void> {
    if (!this.wish.unsynced) return;
    const sent = this.wish;
    try {
      await this.api.setOwnRecordingWish(this.credential.deviceToken, sent.enabled);
    } catch (error) {
      // Stays `unsynced` (the panel says the server learns of it later) and is sent again after reconnecting.
      log.debug('recording: the Record setting could not be sent yet', error);
      return;
    }
    if (this.wish === sent) await this.adopt({ ...sent, unsynced: false });
    else await this.sendWish();
  }

  private onReconnected(): void {
    this.reported = null;
    void this.pushWish();
    this.apply();
  }

  private onEvent(event: DeviceEvent): void {
    if (event.type !== 'recording-state' || event.deviceId !== this.credential.deviceId) return;
    if (this.wish.unsynced) {
      void this.pushWish();
      return;
    }
    if (event.enabled !== this.wish.enabled) {
      void this.adopt({ enabled: event.enabled, unsynced: false, changedAtMs: Date.now() });
    }
    if (reportKey(event.recording, event.problem) !== this.reported) this.reported = null;
    this.apply();
  }

  /** Starts or stops the recorder to match the wish and storage, then reports; one run at a time. */
  private apply(): void {
    this.applying = this.applying
      .then(() => this.applyNow())
      .catch((error: unknown) => log.error('recording: starting or stopping the recorder failed', error));
    this.changed();
  }

  private async applyNow(): Promise<void> {
    const recorder = this.recorder;
    if (!this.ready) return;
    const wanted =
      !this.lifetime.signal.aborted && this.wish.enabled && !this.storage.low && !this.trouble && !this.paused;
    if (!recorder) {
      // Nothing to start: the server still learns why.
    } else if (wanted && !recorder.recording) {
      this.startRecorder(recorder);
    } else if (wanted && this.restartPending) {
      this.restartPending = false;
      await recorder.stop();
      this.startRecorder(recorder);
    } else if (!wanted && recorder.recording) {
      this.stopping = true;
      await recorder.stop();
      await this.refreshSummary();
      this.stopping = false;
    }
    this.changed();
    await this.report();
  }

  private startRecorder(recorder: SegmentRecorder): void {
    try {
      recorder.start();
    } catch (error) {
      this.trouble = { kind: 'start-failed', reason: messageOf(error, String(error)) };
    }
  }

  /** Why the camera does not record although the household asked it to, or null. */
  private get stuckBecause(): RecordingProblem | null {
    if (!this.wish.enabled || this.recording) return null;
    if (this.paused) return 'paused';
    if (this.trouble?.kind === 'unsupported') return 'cannot-record';
    if (this.trouble) return 'recorder-failed';
    if (this.storage.low) return 'storage-low';
    return null;
  }

  private async report(): Promise<void> {
    const status = { recording: this.recording, problem: this.stuckBecause };
    const key = reportKey(status.recording, status.problem);
    if (this.lifetime.signal.aborted || this.reported === key) return;
    try {
      await this.api.reportRecordingStatus(this.credential.deviceToken, status);
      this.reported = key;
    } catch (error) {
      // Reported again on the next change or reconnect.
      log.debug('recording: the status could not be reported yet', error);
      this.reported = null;
    }
  }

  private async refreshSummary(): Promise<void> {
    try {
      this.queueSummary = await this.queue.summary();
      this.changed();
    } catch (error) {
      // IndexedDB unreadable for a moment: the next change reads it again.
      log.debug('recording: the upload queue could not be read', error);
    }
  }

  private changed(): void {
    this.emit('change');
  }
}

/** One string for a reported status, to tell whether the server has the current one. */
const reportKey = (recording: boolean, problem: RecordingProblem | null) => `${recording}:${problem ?? ''}`;
