import { Emitter } from '../../shared/emitter.js';
import { log } from '../../shared/logger.js';
import type { OpenEvent } from './motion-event.js';
import { DEFAULT_MOTION_SETTINGS, type MotionSettings } from './motion-settings.js';
import { FrameSampler } from './frame-sampler.js';
import type { EventImages, EventMessage, FromMotionWorker, ToMotionWorker } from './worker-messages.js';

/** How long `stop` waits for the worker to close its frames before it terminates it, ms. */
const STOP_GRACE_MS = 2_000;

/** `MediaStreamTrackProcessor` (W3C mediacapture-transform §3), which TypeScript's DOM lib does not declare yet. */
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };

/**
 * What motion detection is doing: watching with no event open, an event
 * open (`motion`, the camera shows "Motion"), failed (the message says why),
 * or stopped.
 */
export type CameraMotionState =
  | { phase: 'watching' }
  | { phase: 'motion'; event: OpenEvent }
  | { phase: 'failed'; message: string }
  | { phase: 'stopped' };

/** An event opening or closing, with its peak's snapshot and thumbnail: the payload of `event`. */
export type MotionEventDetail = EventMessage & { images: EventImages };

/**
 * Motion detection for a camera page, off the main thread: clones the
 * camera's video track (so stopping it never touches live view or
 * recording), feeds the clone to the motion worker (`motion-worker.ts`) as a
 * transferred `ReadableStream<VideoFrame>` where the browser has
 * `MediaStreamTrackProcessor` on the page (Chromium), else through a
 * `FrameSampler`, and reports what the worker finds.
 *
 * Sends `change` when `state` changes, `event` (`MotionEventDetail`) as
 * each event starts and ends, `person` (the open event, now of kind
 * `person`) when the person model finds a person in an event already
 * started, and `motion` (its time, ms since the epoch) while motion goes on
 * in an open event.
 */
export class CameraMotion extends Emitter<{ change: void; event: MotionEventDetail; person: OpenEvent; motion: number }> {
  state: CameraMotionState = { phase: 'watching' };
  private readonly track: MediaStreamTrack;
  private readonly worker: Worker;
  private sampler: FrameSampler | null = null;

  /**
   * Starts detection on a clone of `videoTrack` with `settings` (default: on, Medium, whole picture).
   * @throws DOMException when the browser cannot start the module worker or clone the track
   */
  constructor(videoTrack: MediaStreamTrack, settings: MotionSettings = DEFAULT_MOTION_SETTINGS) {
    super();
    this.track = videoTrack.clone();
    this.worker = new Worker(new URL('./motion-worker.ts', import.meta.url), { type: 'module', name: 'peerwatch-motion' });
    this.worker.onmessage = ({ data }: MessageEvent<FromMotionWorker>) => this.received(data);
    this.worker.onerror = (error) => this.fail(`the motion worker failed: ${error.message}`);
    const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
    if (Processor) {
      const frames = new Processor({ track: this.track }).readable;
      this.send({ type: 'start', source: { kind: 'stream', frames }, settings }, [frames as unknown as Transferable]);
    } else {
      this.send({ type: 'start', source: { kind: 'samples' }, settings });
      this.sampler = new FrameSampler(this.track, (image, atMs) => this.send({ type: 'sample', image, atMs }, [image]));
      this.sampler.start();
    }
  }

  /** Follows new settings (sensitivity, zones, quiet period) from the next analysed picture on; an open event goes on. */
  configure(settings: MotionSettings): void {
    if (this.state.phase === 'stopped' || this.state.phase === 'failed') return;
    this.send({ type: 'settings', settings });
  }

  /**
   * Stops detection: the sampler, the track clone, and the worker (after it
   * closed its frames, or `STOP_GRACE_MS`). An open event ends at its last
   * motion and is still reported (`event`).
   */
  stop(): void {
    if (this.state.phase === 'stopped') return;
    this.sampler?.stop();
    this.track.stop();
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.worker.terminate(), STOP_GRACE_MS);
    this.worker.onmessage = ({ data }: MessageEvent<FromMotionWorker>) => {
      if (data.type === 'started' || data.type === 'ended') this.emit('event', data);
      if (data.type !== 'stopped') return;
      clearTimeout(timer);
      this.worker.terminate();
    };
    this.setState({ phase: 'stopped' });
  }

  private received(message: FromMotionWorker): void {
    switch (message.type) {
      case 'started':
        this.setState({ phase: 'motion', event: message.event });
        break;
      case 'ended':
        this.setState({ phase: 'watching' });
        break;
      case 'motion':
        this.emit('motion', message.atMs);
        return;
      case 'person':
        this.setState({ phase: 'motion', event: message.event });
        this.emit('person', message.event);
        return;
      case 'failed':
        this.fail(message.message);
        return;
      case 'stopped':
        return;
    }
    this.emit('event', message);
  }

  private fail(message: string): void {
    log.warn(`motion: ${message}`);
    this.stop();
    this.setState({ phase: 'failed', message });
  }

  private send(message: ToMotionWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private setState(state: CameraMotionState): void {
    this.state = state;
    this.emit('change');
  }
}
