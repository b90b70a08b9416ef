import type { DeviceEvent, RecordingProblem } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';
import { messageOf } from '../../app/error-message.js';
import type { CameraEvents } from '../camera-events.js';
import type { DeviceCredential } from '../../shared/db.js';
import type { RecordingWish } from '../../shared/recording-records.js';
import { ChunkQueue, type QueueSummary } from './chunk-queue.js';
import { ChunkUploader } from './chunk-uploader.js';
import { chooseRecordingFormat, UNSUPPORTED_FORMAT_MESSAGE } from './recording-format.js';
import { loadRecordingWish, saveRecordingWish } from './recording-wish-store.js';
import { SegmentRecorder } from './segment-recorder.js';
import { StorageGuard } from './storage-guard.js';

/** After a queue change, its summary and the storage estimate are read this much later (one read for a burst), ms. */
const SUMMARY_DELAY_MS = 250;

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
 * Dispatches `change` whenever anything shown about recording changed.
 */
export class CameraRecording extends EventTarget {
  readonly queue = new ChunkQueue();
  readonly uploader: ChunkUploader;
  readonly storage = new StorageGuard();
  /** Null when the browser cannot record fMP4 (`problem` says so). */
  readonly recorder: SegmentRecorder | null;
  wish: RecordingWish = { enabled: false, unsynced: false, changedAtMs: 0 };
  /** Whether the wish has been read from IndexedDB yet. */
  ready = false;
  /** What waits in the upload queue; null until the queue has been read once. */
  queueSummary: QueueSummary | null = null;
  /** Why recording cannot go on (format, recorder failure), or ''. */
  problem = '';
  /** True from asking the recorder to stop until its last chunk is stored and counted in `queueSummary`. */
  stopping = false;

  private applying: Promise<void> = Promise.resolve();
  /** Set after the recorder failed: recording waits for the wish to change. */
  private halted = false;
  /** What the server was last told (`recording` and `problem`, as `reportKey`); null when unknown or the report failed. */
  private reported: string | null = null;
  private pushing: Promise<void> | null = null;
  private running = false;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onReady = () => this.onReconnected();
  private readonly onDeviceEvent = (event: CustomEvent<DeviceEvent>) => this.onEvent(event.detail);

  constructor(
    private readonly api: ApiClient,
    private readonly credential: DeviceCredential,
    stream: MediaStream,
    private readonly events: CameraEvents,
  ) {
    super();
    const format = chooseRecordingFormat(stream);
    this.recorder = format && new SegmentRecorder(this.queue, format);
    if (!format) this.problem = UNSUPPORTED_FORMAT_MESSAGE;
    this.uploader = new ChunkUploader(api, credential.deviceToken, this.queue);
    events.addEventListener('ready', this.onReady);
    events.addEventListener('device-event', this.onDeviceEvent);
    this.recorder?.addEventListener('change', () => this.changed());
    this.recorder?.addEventListener('storage-full', () => this.storage.markFull());
    this.recorder?.addEventListener('problem', () => {
      this.halted = true;
      this.problem = this.recorder!.problem;
      this.apply();
    });
    this.uploader.addEventListener('change', () => this.changed());
    this.storage.addEventListener('change', () => this.apply());
    this.queue.addEventListener('change', () => {
      this.summaryTimer ??= setTimeout(() => {
        this.summaryTimer = undefined;
        void this.storage.check();
        void this.refreshSummary();
      }, SUMMARY_DELAY_MS);
    });
  }

  /** True while the recorder runs. */
  get recording(): boolean {
    return this.recorder?.recording ?? false;
  }

  /**
   * Ends recordings a previous page left open, then follows the stored wish,
   * uploads and listens to the server: it starts the shared `CameraEvents`
   * only once the wish is loaded, so the server's wish that comes first on
   * the stream is weighed against it.
   */
  async start(): Promise<void> {
    this.running = true;
    await this.queue.endAbandoned().catch(() => {});
    this.wish = await loadRecordingWish();
    this.ready = true;
    if (!this.running) return;
    await this.refreshSummary();
    this.uploader.start();
    this.events.start();
    await this.storage.start();
    this.apply();
  }

  /** Stops recording (its last chunk is stored), uploading and listening (the stream itself is its owner's to stop). */
  async stop(): Promise<void> {
    this.running = false;
    this.events.removeEventListener('ready', this.onReady);
    this.events.removeEventListener('device-event', this.onDeviceEvent);
    this.storage.stop();
    this.uploader.stop();
    await this.recorder?.stop();
  }

  /** The "Record" switch on the camera: records (or stops) at once and tells the server. */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.adopt({ enabled, unsynced: true, changedAtMs: Date.now() });
    await this.pushWish();
  }

  private async adopt(wish: RecordingWish): Promise<void> {
    if (wish.enabled !== this.wish.enabled) this.halted = false;
    this.wish = wish;
    this.changed();
    this.apply();
    await saveRecordingWish(wish).catch(() => {});
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
    } catch {
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
    this.applying = this.applying.then(() => this.applyNow()).catch(() => {});
    this.changed();
  }

  private async applyNow(): Promise<void> {
    const recorder = this.recorder;
    if (!this.ready) return;
    const wanted = this.running && this.wish.enabled && !this.storage.low && !this.halted;
    if (!recorder) {
      // Nothing to start: the server still learns why.
    } else if (wanted && !recorder.recording) {
      try {
        recorder.start();
        this.problem = '';
      } catch (error) {
        this.halted = true;
        this.problem = `Recording could not start: ${messageOf(error, String(error))}.`;
      }
    } else if (!wanted && recorder.recording) {
      this.stopping = true;
      await recorder.stop();
      await this.refreshSummary();
      this.stopping = false;
    }
    this.changed();
    await this.report();
  }

  /** Why the camera does not record although the household asked it to, or null. */
  private get stuckBecause(): RecordingProblem | null {
    if (!this.wish.enabled || this.recording) return null;
    if (!this.recorder) return 'cannot-record';
    if (this.halted) return this.problem === UNSUPPORTED_FORMAT_MESSAGE ? 'cannot-record' : 'recorder-failed';
    if (this.storage.low) return 'storage-low';
    return null;
  }

  private async report(): Promise<void> {
    const status = { recording: this.recording, problem: this.stuckBecause };
    const key = reportKey(status.recording, status.problem);
    if (!this.running || this.reported === key) return;
    try {
      await this.api.reportRecordingStatus(this.credential.deviceToken, status);
      this.reported = key;
    } catch {
      this.reported = null;
    }
  }

  private async refreshSummary(): Promise<void> {
    try {
      this.queueSummary = await this.queue.summary();
      this.changed();
    } catch {
      /* IndexedDB unreadable for a moment: the next change reads it again */
    }
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** One string for a reported status, to tell whether the server has the current one. */
const reportKey = (recording: boolean, problem: RecordingProblem | null) => `${recording}:${problem ?? ''}`;
