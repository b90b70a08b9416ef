import { FrameGray, type Picture } from './frame-gray.js';
import { DEFAULT_LIFECYCLE, INITIAL_LIFECYCLE, stepLifecycle, type LifecycleState } from './event-lifecycle.js';
import { MotionDetector } from './motion-detector.js';
import type { MotionSettings } from './motion-settings.js';
import { PeakSnapshot } from './peak-snapshot.js';
import { FRAME_MEASURE, type EventMessage, type FromMotionWorker } from './worker-messages.js';

/** Measures kept before the worker clears them (a minute at 5 fps), so a camera that runs for days does not grow them. */
const MEASURES_KEPT = 300;

/**
 * The motion worker's work on each sampled picture: gray frame (`FrameGray`),
 * detector, event lifecycle, and the peak frame's snapshot. Reports events
 * through `post` in the order they happen (`started` and `ended` carry the
 * peak's images, so they wait for its encoding). Records a User Timing measure
 * (`FRAME_MEASURE`) per analysed picture.
 */
export class FrameAnalysis {
  private readonly gray = new FrameGray();
  private readonly peak = new PeakSnapshot();
  private readonly detector: MotionDetector;
  private lifecycle: LifecycleState = INITIAL_LIFECYCLE;
  private outbox: Promise<void> = Promise.resolve();
  private measures = 0;

  /** @throws RangeError when the settings' zones are malformed */
  constructor(
    private readonly settings: MotionSettings,
    private readonly post: (message: FromMotionWorker) => void,
  ) {
    this.detector = new MotionDetector(settings);
  }

  /**
   * Analyses one picture taken at `atMs` (ms since the epoch, never earlier
   * than the last); one at a time. The caller closes the picture once this resolves.
   * @throws Error when the frame cannot be read or `atMs` goes back
   */
  async analyse(picture: Picture, atMs: number): Promise<void> {
    const startMs = performance.now();
    const reading = this.detector.detect(await this.gray.read(picture));
    const lifecycle = { startFrames: DEFAULT_LIFECYCLE.startFrames, quietMs: this.settings.quietMs, maxLengthMs: this.settings.maxLengthMs };
    const step = stepLifecycle(this.lifecycle, reading, atMs, lifecycle);
    this.lifecycle = step.state;
    for (const change of step.changes) {
      if (change.type === 'peak') await this.peak.keep(picture);
      else this.send(change);
    }
    performance.measure(FRAME_MEASURE, { start: startMs });
    if (++this.measures >= MEASURES_KEPT) {
      performance.clearMeasures(FRAME_MEASURE);
      this.measures = 0;
    }
  }

  /** Encodes the peak now (it may change by the next frame) and posts once the messages before it went. */
  private send(message: EventMessage): void {
    const images = this.peak.encode();
    this.outbox = this.outbox.then(async () => {
      try {
        this.post({ ...message, images: await images });
      } catch (error) {
        this.post({ type: 'failed', message: `could not encode the event's snapshot: ${String(error)}` });
      }
    });
  }

  /** Resolves once every event message is posted; lets go of the kept peak frame. */
  async close(): Promise<void> {
    await this.outbox;
    this.peak.close();
  }
}
