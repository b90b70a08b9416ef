import { FrameGray, type Picture } from './frame-gray.js';
import type { NormalisedBox } from './gray-frame.js';
import { DEFAULT_LIFECYCLE, INITIAL_LIFECYCLE, stepLifecycle, type LifecycleState } from './event-lifecycle.js';
import { MotionDetector } from './motion-detector.js';
import type { MotionSettings } from './motion-settings.js';
import type { OpenEvent } from './motion-event.js';
import { PeakSnapshot } from './peak-snapshot.js';
import { PersonWatch } from './person-watch.js';
import { FRAME_MEASURE, MOTION_REPORT_INTERVAL_MS, type EventMessage, type FromMotionWorker } from './worker-messages.js';

/** Measures kept before the worker clears them (a minute at 5 fps), so a camera that runs for days does not grow them. */
const MEASURES_KEPT = 300;

/**
 * The motion worker's work on each sampled picture: gray frame (`FrameGray`),
 * detector, event lifecycle, and the peak frame's snapshot. Reports events
 * through `post` in the order they happen (`started` and `ended` carry the
 * peak's images, so they wait for its encoding), and that motion goes on in
 * an open event (`motion`, at most every `MOTION_REPORT_INTERVAL_MS`). Records a User Timing measure
 * (`FRAME_MEASURE`) per analysed picture.
 *
 * With `personDetection` on, motion in an event that is forming or open is
 * shown to the person model (`PersonWatch`: loaded at the first motion, at
 * most 2 inferences a second, around the largest moving blob); once it finds
 * a person the event is `person`: from its `started` on if it was found
 * before, else by a `person` message, and in its `ended`.
 */
export class FrameAnalysis {
  private readonly gray = new FrameGray();
  private readonly peak = new PeakSnapshot();
  private readonly detector: MotionDetector;
  private lifecycle: LifecycleState = INITIAL_LIFECYCLE;
  private outbox: Promise<void> = Promise.resolve();
  private measures = 0;
  /** When `motion` was last posted, ms since the epoch. */
  private motionReportedAtMs = -Infinity;
  private readonly person = new PersonWatch();
  /** Whether a person was found in the event that is forming or open. */
  private personFound = false;
  /** Counts the events forming or open, so that a person found for one is never given to the next. */
  private episode = 0;

  /** @throws RangeError when the settings' zones are malformed */
  constructor(
    private settings: MotionSettings,
    private readonly post: (message: FromMotionWorker) => void,
  ) {
    this.detector = new MotionDetector(settings);
  }

  /**
   * Follows new settings from the next picture on: sensitivity and zones go to
   * the detector (new zones relearn the background), the quiet period and
   * longest event to the lifecycle; an open event goes on.
   * @throws RangeError when the zones are malformed (the old settings stay)
   */
  configure(settings: MotionSettings): void {
    const zones = JSON.stringify(settings.zones) === JSON.stringify(this.settings.zones) ? this.settings.zones : settings.zones;
    this.detector.configure({ sensitivity: settings.sensitivity, zones });
    this.settings = { ...settings, zones };
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
      if (change.type === 'ended') this.nextEpisode();
    }
    // Nothing forming or open: a check still running belongs to no event.
    if (this.lifecycle.phase === 'idle') this.nextEpisode();
    if (reading.kind === 'motion' && this.lifecycle.phase !== 'idle') this.lookForPerson(picture, reading.largest, atMs);
    if (this.lifecycle.phase === 'active' && reading.kind === 'motion' && atMs - this.motionReportedAtMs >= MOTION_REPORT_INTERVAL_MS) {
      this.motionReportedAtMs = atMs;
      this.post({ type: 'motion', atMs });
    }
    performance.measure(FRAME_MEASURE, { start: startMs });
    if (++this.measures >= MEASURES_KEPT) {
      performance.clearMeasures(FRAME_MEASURE);
      this.measures = 0;
    }
  }

  /** Shows the picture to the person model (when it is on, no person is found yet and a check is due); a person found makes the event `person`. */
  private lookForPerson(picture: Picture, box: NormalisedBox, atMs: number): void {
    if (!this.settings.personDetection || this.personFound) return;
    const episode = this.episode;
    void this.person.check(picture, box, atMs)?.then((found) => {
      if (!found || episode !== this.episode || this.personFound) return;
      this.personFound = true;
      if (this.lifecycle.phase !== 'active') return;
      const event: OpenEvent = { ...this.lifecycle.event, kind: 'person' };
      this.outbox = this.outbox.then(() => this.post({ type: 'person', event }));
    });
  }

  private nextEpisode(): void {
    this.episode++;
    this.personFound = false;
  }

  /** `message` with the event's kind: `person` once a person was found in it. */
  private withKind(message: EventMessage): EventMessage {
    const kind = this.personFound ? 'person' : 'motion';
    return message.type === 'started'
      ? { type: 'started', event: { ...message.event, kind } }
      : { type: 'ended', event: { ...message.event, kind } };
  }

  /** Encodes the peak now (it may change by the next frame) and posts once the messages before it went. */
  private send(message: EventMessage): void {
    const images = this.peak.encode();
    const withKind = this.withKind(message);
    this.outbox = this.outbox.then(async () => {
      try {
        this.post({ ...withKind, images: await images });
      } catch (error) {
        this.post({ type: 'failed', message: `could not encode the event's snapshot: ${String(error)}` });
      }
    });
  }

  /**
   * Ends an open event at its last motion (detection is stopping), resolves
   * once every event message is posted, and lets go of the kept peak frame.
   */
  async close(): Promise<void> {
    if (this.lifecycle.phase === 'active') {
      const { event } = this.lifecycle;
      this.send({ type: 'ended', event: { ...event, endedAtMs: event.lastMotionAtMs } });
      this.lifecycle = INITIAL_LIFECYCLE;
      this.nextEpisode();
    }
    await this.outbox;
    this.peak.close();
  }
}
