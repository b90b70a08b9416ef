import { ApiRequestError, type ApiClient } from '../api/api-client.js';
import type { DeviceCredential } from '../shared/db.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import { PeerSession, type PeerSessionState } from '../shared/peer-session.js';
import { CameraEvents } from './camera-events.js';
import { cameraFailureOf, type CameraFailure } from './camera-problem.js';
import { CameraMotion, type CameraMotionState, type MotionEventDetail } from './motion/camera-motion.js';
import { EventOutbox } from './motion/event-outbox.js';
import { EventUploader } from './motion/event-uploader.js';
import { CameraRecording } from './recording/camera-recording.js';
import { TalkBack } from './talk-back.js';
import { ViewerCalls } from './viewer-calls.js';
import { ScreenWakeLock } from './wake-lock.js';

/** What the camera captures: the rear camera where there is a choice, 720p if it can. */
const CAPTURE_VIDEO: MediaTrackConstraints = {
  facingMode: { ideal: 'environment' },
  width: { ideal: 1280 },
  height: { ideal: 720 },
};

/**
 * What the camera's microphone captures: echo cancellation removes from it the
 * talk-back it plays itself (played through a media element, which Chromium's
 * echo canceller sees; Chromium bug 687574), so viewers do not hear themselves.
 */
const CAPTURE_AUDIO: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/**
 * - `starting`: asking for the camera (getUserMedia)
 * - `no-camera`: the camera could not be opened (`failure`); nothing else runs
 * - `running`: capturing `stream`, answering viewers, `recording` as asked, playing viewers' voices (`talkBack`)
 * - `removed`: the server no longer accepts the credential; everything stopped
 * - `stopped`: `stop()` was called
 */
export type CameraSessionState =
  | { kind: 'starting' }
  | { kind: 'no-camera'; failure: CameraFailure }
  | { kind: 'running'; stream: MediaStream; recording: CameraRecording; talkBack: TalkBack }
  | { kind: 'removed' }
  | { kind: 'stopped' };

/** The parts a running camera owns, stopped together. */
interface Running {
  stream: MediaStream;
  session: PeerSession;
  calls: ViewerCalls;
  talkBack: TalkBack;
  events: CameraEvents;
  recording: CameraRecording;
  /** Null where the browser cannot run motion detection. */
  motion: CameraMotion | null;
  /** Sends the queued motion events (also those queued before a reload). */
  eventUploader: EventUploader;
}

/**
 * A paired camera at work, from `start()` to `stop()`: opens the camera
 * (getUserMedia, with the microphone where allowed), stays registered with
 * signaling (`PeerSession` with the device credential), answers every
 * viewer's call (`ViewerCalls`), plays the voice of a viewer who talks
 * (`TalkBack`), records and uploads when the household asks
 * (`CameraRecording`), keeps the screen awake (`wakeLock`), and keeps `name`
 * current from its event stream (`CameraEvents`, `device-updated`;
 * `GET /api/devices/me` after each (re)subscription). Watches for motion with
 * the default settings (`CameraMotion`, on a clone of the video track, so live
 * view and recording never depend on it), queues each event in IndexedDB and
 * sends it when the server can be reached (`EventOutbox`, `EventUploader`).
 *
 * `stop()` while `start()` still waits for the camera stops what it opens
 * as soon as it opens. Sends `change` when `state`, `name`, `watching`,
 * `signaling` or `motion` changed, and `motion-event` as each motion event
 * starts and ends.
 */
export class CameraSession extends Emitter<{ change: void; 'motion-event': MotionEventDetail }> {
  state: CameraSessionState = { kind: 'starting' };
  /** The name the household gave this camera. */
  name: string;
  /** Viewers watching now. */
  watching = 0;
  signaling: PeerSessionState = 'connecting';
  /** What motion detection is doing; null before it runs, or where the browser cannot run it. */
  motion: CameraMotionState | null = null;
  readonly wakeLock = new ScreenWakeLock();
  private running: Running | null = null;
  private readonly lifetime = new AbortController();
  private started = false;

  constructor(
    private readonly api: ApiClient,
    private readonly credential: DeviceCredential,
  ) {
    super();
    this.name = credential.name;
  }

  /** Opens the camera and starts everything; once only, never after `stop()`. */
  async start(): Promise<void> {
    const { signal } = this.lifetime;
    if (this.started || signal.aborted) return;
    this.started = true;
    this.wakeLock.on('change', () => this.emit('change'), signal);
    let stream: MediaStream;
    try {
      stream = await captureCamera();
    } catch (error) {
      if (signal.aborted) return;
      log.warn('camera: getUserMedia failed', error);
      this.setState({ kind: 'no-camera', failure: cameraFailureOf(error) });
      // No event stream will run to bring the name: fetch it once.
      void this.refreshName();
      return;
    }
    if (signal.aborted) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    const session = new PeerSession(this.api, { deviceToken: this.credential.deviceToken });
    const calls = new ViewerCalls(session, stream);
    const talkBack = new TalkBack(session);
    const events = new CameraEvents(this.api, this.credential.deviceToken);
    const recording = new CameraRecording(this.api, this.credential, stream, events);
    calls.on('change', () => this.set({ watching: calls.count }), signal);
    session.on(
      'statechange',
      () => {
        this.set({ signaling: session.state });
        if (session.state === 'unauthorized') this.removed();
      },
      signal,
    );
    // (Re)subscribed: a device-updated event may have been missed.
    events.on('ready', () => void this.refreshName(), signal);
    events.on(
      'device-event',
      (event) => {
        if (event.type === 'device-updated') this.set({ name: event.device.name });
        if (event.type === 'viewer-access-ended') {
          calls.endCallsOf(event.userId);
          talkBack.endTalkOf(event.userId);
        }
      },
      signal,
    );
    const outbox = new EventOutbox();
    const eventUploader = new EventUploader(this.api, this.credential.deviceToken, outbox);
    const motion = this.startMotion(stream, outbox, signal);
    this.running = { stream, session, calls, talkBack, events, recording, motion, eventUploader };
    this.setState({ kind: 'running', stream, recording, talkBack });
    void recording.start();
    eventUploader.start();
    calls.start();
    talkBack.start();
    session.start();
    this.wakeLock.start();
  }

  /** Hangs up on every viewer at once (the page is closing), so their tiles say "Camera went offline" right away. */
  hangUpViewers(): void {
    this.running?.calls.stop();
    this.running?.talkBack.stop();
  }

  /** Stops everything it started (the camera's tracks too). */
  stop(): void {
    this.end({ kind: 'stopped' });
  }

  private end(state: CameraSessionState): void {
    this.lifetime.abort();
    const running = this.running;
    this.running = null;
    if (running) {
      running.calls.stop();
      running.talkBack.stop();
      void running.recording.stop();
      running.motion?.stop();
      running.eventUploader.stop();
      running.events.stop();
      running.session.close();
      running.stream.getTracks().forEach((track) => track.stop());
    }
    this.wakeLock.stop();
    this.setState(state);
  }

  /**
   * Starts motion detection on the camera's video track, queuing each event
   * report in `outbox` (IndexedDB) before anything is sent; a browser that
   * cannot run it still streams and records.
   */
  private startMotion(stream: MediaStream, outbox: EventOutbox, signal: AbortSignal): CameraMotion | null {
    const [track] = stream.getVideoTracks();
    if (!track) return null;
    let motion: CameraMotion;
    try {
      motion = new CameraMotion(track);
    } catch (error) {
      log.warn('camera: motion detection could not start', error);
      return null;
    }
    motion.on('change', () => this.set({ motion: motion.state }), signal);
    motion.on(
      'event',
      (event) => {
        outbox.add(event).catch((error: unknown) => log.error(`camera: a motion event (${event.type}) could not be queued`, error));
        this.emit('motion-event', event);
      },
      signal,
    );
    this.motion = motion.state;
    return motion;
  }

  /** Shows the name the household gave this camera (`GET /api/devices/me`); a 401 means it was removed. */
  private async refreshName(): Promise<void> {
    try {
      const { name } = await this.api.myDevice(this.credential.deviceToken);
      if (!this.lifetime.signal.aborted) this.set({ name });
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 401) this.removed();
      // Otherwise the name shown stays; it is asked again after the next (re)subscription.
      else log.debug('camera: the name could not be refreshed', error);
    }
  }

  private removed(): void {
    if (this.state.kind === 'removed' || this.state.kind === 'stopped') return;
    this.end({ kind: 'removed' });
  }

  private setState(state: CameraSessionState): void {
    this.state = state;
    this.emit('change');
  }

  private set(fields: Partial<Pick<CameraSession, 'name' | 'watching' | 'signaling' | 'motion'>>): void {
    Object.assign(this, fields);
    this.emit('change');
  }
}

/** The camera's MediaStream; without a microphone (or its permission) video alone. */
async function captureCamera(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: CAPTURE_VIDEO, audio: CAPTURE_AUDIO });
  } catch (error) {
    log.info('camera: no microphone, capturing video alone', error);
    return navigator.mediaDevices.getUserMedia({ video: CAPTURE_VIDEO, audio: false });
  }
}
