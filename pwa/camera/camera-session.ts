import { QUALITY_PRESETS } from '../../protocol/camera-quality.js';
import type { CameraControls, OwnCameraControlsRequest } from '../../protocol/index.js';
import type { CameraSettings } from '../../protocol/index.js';
import { ApiRequestError, type ApiClient } from '../api/api-client.js';
import type { DeviceCredential } from '../shared/db.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import { PeerSession, type PeerSessionState } from '../shared/peer-session.js';
import { CameraCapture } from './camera-capture.js';
import { CameraControlSync } from './camera-control-sync.js';
import { CameraEvents } from './camera-events.js';
import { CameraHealth } from './camera-health.js';
import { loadCameraSettings, saveCameraSettings } from './camera-settings-store.js';
import { cameraFailureOf, type CameraFailure } from './camera-problem.js';
import { CameraMotion, type CameraMotionState, type MotionEventDetail } from './motion/camera-motion.js';
import { EventOutbox } from './motion/event-outbox.js';
import { EventUploader } from './motion/event-uploader.js';
import { motionSettingsOf, type MotionSettings } from './motion/motion-settings.js';
import type { FootageMode } from './recording/event-footage.js';
import { CameraRecording } from './recording/camera-recording.js';
import { TalkBack } from './talk-back.js';
import { ViewerCalls } from './viewer-calls.js';
import { ScreenWakeLock } from './wake-lock.js';

/**
 * - `starting`: asking for the camera (getUserMedia)
 * - `no-camera`: the camera could not be opened (`failure`); nothing else runs
 * - `running`: capturing (`capture`, following the household's controls; `health` its reports), answering viewers,
 *   `recording` as asked, playing viewers' voices (`talkBack`)
 * - `removed`: the server no longer accepts the credential; everything stopped
 * - `stopped`: `stop()` was called
 */
export type CameraSessionState =
  | { kind: 'starting' }
  | { kind: 'no-camera'; failure: CameraFailure }
  | { kind: 'running'; capture: CameraCapture; health: CameraHealth; recording: CameraRecording; talkBack: TalkBack }
  | { kind: 'removed' }
  | { kind: 'stopped' };

/** The parts a running camera owns, stopped together. */
interface Running {
  capture: CameraCapture;
  controls: CameraControlSync;
  health: CameraHealth;
  session: PeerSession;
  calls: ViewerCalls;
  talkBack: TalkBack;
  events: CameraEvents;
  recording: CameraRecording;
  /** Null where the browser cannot run motion detection, or while it is turned off. */
  motion: CameraMotion | null;
  /** Where motion events are queued. */
  outbox: EventOutbox;
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
 * `GET /api/devices/me` after each (re)subscription). Follows the
 * household's camera controls (`CameraControlSync`: quality preset, which
 * camera, torch, zoom, pause) with its capture (`CameraCapture`): new tracks
 * go to every viewer without a new call and into a new recording; a pause
 * stops sending, recording and motion detection until resumed. Reports its
 * health (`CameraHealth`: battery, network, frames per second). Watches for motion with
 * the default settings (`CameraMotion`, on a clone of the video track, so live
 * view and recording never depend on it), queues each event in IndexedDB and
 * sends it when the server can be reached (`EventOutbox`, `EventUploader`).
 * Follows its settings from the server (`camera-settings` on its event
 * stream: motion on/off, sensitivity, zones, quiet period, and whether
 * recording keeps only the footage around events), kept in IndexedDB so a
 * reload while offline follows them too.
 *
 * `stop()` while `start()` still waits for the camera stops what it opens
 * as soon as it opens. Sends `change` when `state`, `name`, `watching`,
 * `signaling`, `motion` or `settings` changed, and `motion-event` as each motion event
 * starts and ends.
 */
export class CameraSession extends Emitter<{ change: void; 'motion-event': MotionEventDetail }> {
  state: CameraSessionState = { kind: 'starting' };
  /** The name the household gave this camera. */
  name: string;
  /** Viewers watching now. */
  watching = 0;
  signaling: PeerSessionState = 'connecting';
  /** What motion detection is doing; null before it runs, while it is turned off, or where the browser cannot run it. */
  motion: CameraMotionState | null = null;
  /** The camera's controls as the household set them; null until read. */
  controls: CameraControls | null = null;
  /** The settings from the server this camera follows; null until its event stream brought them. */
  settings: CameraSettings | null = null;
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
    const events = new CameraEvents(this.api, this.credential.deviceToken);
    const controls = await CameraControlSync.load(this.api, this.credential, events);
    if (signal.aborted) return;
    let capture: CameraCapture;
    try {
      capture = await CameraCapture.open(controls.controls);
    } catch (error) {
      if (signal.aborted) return;
      log.warn('camera: getUserMedia failed', error);
      this.setState({ kind: 'no-camera', failure: cameraFailureOf(error) });
      // No event stream will run to bring the name: fetch it once.
      void this.refreshName();
      return;
    }
    if (signal.aborted) {
      capture.stop();
      return;
    }
    const session = new PeerSession(this.api, { deviceToken: this.credential.deviceToken });
    const maxBitrate = () => QUALITY_PRESETS[capture.quality].maxBitrate;
    const calls = new ViewerCalls(session, capture.stream, maxBitrate());
    const talkBack = new TalkBack(session);
    const recording = new CameraRecording(this.api, this.credential, capture.stream, events);
    recording.setPaused(capture.paused);
    const health = new CameraHealth(this.api, this.credential.deviceToken, capture, () => calls.sentHeight());
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
        else if (event.type === 'camera-settings') {
          this.follow(event.settings);
          saveCameraSettings(event.settings).catch((error: unknown) =>
            log.warn('camera: the settings could not be kept on this device (a reload while offline uses the last kept)', error),
          );
        } else if (event.type === 'viewer-access-ended') {
          calls.endCallsOf(event.userId);
          talkBack.endTalkOf(event.userId);
        }
      },
      signal,
    );
    controls.on(
      'change',
      () => {
        this.set({ controls: controls.controls });
        void capture.follow(controls.controls);
      },
      signal,
    );
    const outbox = new EventOutbox();
    const eventUploader = new EventUploader(this.api, this.credential.deviceToken, outbox);
    capture.on(
      'tracks',
      () => {
        calls.useStream(capture.stream);
        // The preset may have changed with the tracks (e.g. while paused).
        calls.setMaxBitrate(maxBitrate());
        recording.setPaused(capture.paused);
        if (!capture.paused) recording.useStream(capture.stream);
        this.restartMotion(signal);
        this.emit('change');
      },
      signal,
    );
    capture.on(
      'quality',
      () => {
        calls.setMaxBitrate(maxBitrate());
        // The recorded size changes: the recording goes on in a new one.
        recording.useStream(capture.stream);
        this.emit('change');
      },
      signal,
    );
    const motion = capture.paused ? null : this.startMotion(capture.stream, outbox, recording, signal);
    this.running = { capture, controls, health, session, calls, talkBack, events, recording, motion, outbox, eventUploader };
    this.controls = controls.controls;
    health.on('report', () => this.emit('change'), signal);
    this.setState({ kind: 'running', capture, health, recording, talkBack });
    controls.start();
    void this.followStoredSettings();
    void recording.start();
    eventUploader.start();
    calls.start();
    talkBack.start();
    session.start();
    void health.start();
    this.wakeLock.start();
  }

  /**
   * A control changed on the camera itself ("Pause camera", another camera…);
   * a pause holds at once. @throws ApiRequestError when the server refused or could not be reached
   */
  async changeControls(request: OwnCameraControlsRequest): Promise<void> {
    await this.running?.controls.change(request, this.name);
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
      running.controls.stop();
      running.health.stop();
      void running.recording.stop();
      running.motion?.stop();
      running.eventUploader.stop();
      running.events.stop();
      running.session.close();
      running.capture.stop();
    }
    this.wakeLock.stop();
    this.setState(state);
  }

  /** Motion detection moves to the capture's new video track, with the settings followed (none while paused or turned off). */
  private restartMotion(signal: AbortSignal): void {
    const running = this.running;
    if (!running) return;
    running.motion?.stop();
    const settings = this.settings ? motionSettingsOf(this.settings) : undefined;
    running.motion =
      running.capture.paused || settings?.enabled === false
        ? null
        : this.startMotion(running.capture.stream, running.outbox, running.recording, signal, settings);
    this.set({ motion: running.motion?.state ?? null });
  }

  /**
   * Starts motion detection on the camera's video track, queuing each event
   * report in `outbox` (IndexedDB) before anything is sent; a browser that
   * cannot run it still streams and records.
   */
  private startMotion(
    stream: MediaStream,
    outbox: EventOutbox,
    recording: CameraRecording,
    signal: AbortSignal,
    settings?: MotionSettings,
  ): CameraMotion | null {
    const [track] = stream.getVideoTracks();
    if (!track) return null;
    let motion: CameraMotion;
    try {
      motion = new CameraMotion(track, settings);
    } catch (error) {
      log.warn('camera: motion detection could not start', error);
      return null;
    }
    motion.on('change', () => this.set({ motion: motion.state }), signal);
    motion.on(
      'event',
      (event) => {
        outbox.add(event).catch((error: unknown) => log.error(`camera: a motion event (${event.type}) could not be queued`, error));
        const footage =
          event.type === 'started'
            ? recording.footage.eventStarted(event.event.startedAtMs, event.event.lastMotionAtMs)
            : recording.footage.eventEnded(event.event.endedAtMs);
        footage.catch((error: unknown) => log.warn(`camera: the footage of a motion event (${event.type}) was not kept`, error));
        this.emit('motion-event', event);
      },
      signal,
    );
    motion.on(
      'person',
      (event) => outbox.personSeen(event).catch((error: unknown) => log.error('camera: a person event could not be queued', error)),
      signal,
    );
    motion.on(
      'motion',
      (atMs) => {
        recording.footage.motionSeen(atMs).catch((error: unknown) => log.warn('camera: the footage of a motion event was not kept', error));
      },
      signal,
    );
    this.motion = motion.state;
    return motion;
  }

  /**
   * Follows the camera's settings from the server: motion on or off (a
   * change of sensitivity, zones or quiet period reaches the running
   * detector, an open event goes on) and what recording keeps (everything,
   * or the footage around events).
   */
  private follow(settings: CameraSettings): void {
    const running = this.running;
    if (!running) return;
    this.set({ settings });
    const { mode, preRollMs, postRollMs } = settings.recording;
    const footage: FootageMode = mode === 'events' ? { kind: 'events', preRollMs, postRollMs } : { kind: 'always' };
    running.recording.setFootageMode(footage);
    const motionSettings = motionSettingsOf(settings);
    const current = running.motion;
    if (!motionSettings.enabled) {
      current?.stop();
      running.motion = null;
      this.set({ motion: null });
    } else if (current && (current.state.phase === 'watching' || current.state.phase === 'motion')) {
      current.configure(motionSettings);
    } else {
      current?.stop();
      running.motion = running.capture.paused
        ? null
        : this.startMotion(running.capture.stream, running.outbox, running.recording, this.lifetime.signal, motionSettings);
      this.set({ motion: running.motion?.state ?? null });
    }
  }

  /** Follows the settings kept on this device until the server's arrive (they win when they come first). */
  private async followStoredSettings(): Promise<void> {
    try {
      const stored = await loadCameraSettings();
      if (stored && this.settings === null) this.follow(stored);
    } catch (error) {
      log.warn('camera: the settings kept on this device could not be read; the defaults hold until the server sends them', error);
    }
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

  private set(
    fields: Partial<Pick<CameraSession, 'name' | 'watching' | 'signaling' | 'motion' | 'controls' | 'settings'>>,
  ): void {
    Object.assign(this, fields);
    this.emit('change');
  }
}
