import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiRequestError, type ApiClient } from '../app/api-client.js';
import { uiStyles } from '../app/ui-styles.js';
import type { DeviceCredential } from '../shared/db.js';
import { PeerSession, type PeerSessionState } from '../shared/peer-session.js';
import { CameraEvents, deviceEventOf } from './camera-events.js';
import { cameraProblem } from './camera-problem.js';
import { CameraMotion, motionEventOf, type CameraMotionState, type MotionEventDetail } from './motion/camera-motion.js';
import { CameraRecording } from './recording/camera-recording.js';
import './recording/recording-panel.js';
import { ViewerCalls } from './viewer-calls.js';
import { ScreenWakeLock } from './wake-lock.js';

/** What the camera captures: the rear camera where there is a choice, 720p if it can. */
const CAPTURE_VIDEO: MediaTrackConstraints = {
  facingMode: { ideal: 'environment' },
  width: { ideal: 1280 },
  height: { ideal: 720 },
};

/**
 * A paired camera at work: shows its own preview, stays registered with
 * signaling, answers every viewer's call with its MediaStream, shows "LIVE"
 * while anyone watches and how many do, records and uploads when the
 * household asks (`CameraRecording`), and keeps the screen awake. Its
 * heading is the name the household gave it, kept current from its event
 * stream (`CameraEvents`, `device-updated`). Watches for motion with the
 * default settings (`CameraMotion`, on a clone of the video track, so live
 * view and recording never depend on it) and shows "Motion" while an event
 * is open.
 *
 * Fires `removed` when the server no longer accepts its credential (the
 * camera was removed from its household), and `motion-event`
 * (`CustomEvent<MotionEventDetail>`, bubbling out of the shadow root) as
 * each motion event starts and ends, with its peak's snapshot and thumbnail.
 */
@customElement('pw-camera-view')
export class PwCameraView extends LitElement {
  static override styles = [
    uiStyles,
    css`
      main {
        max-width: 56rem;
        margin: 0 auto;
        padding: 1rem 1rem 2rem;
        display: grid;
        gap: 1rem;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        flex-wrap: wrap;
      }
      h1 {
        font-size: 1.35rem;
      }
      .stage {
        aspect-ratio: 16 / 9;
      }
      .overlay {
        position: absolute;
        top: 0.75rem;
        left: 0.75rem;
        right: 0.75rem;
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        pointer-events: none;
      }
      .badge {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        padding: 0.2rem 0.65rem;
        border-radius: 999px;
        font-weight: 700;
        font-size: 0.85rem;
        background: rgb(0 0 0 / 55%);
        color: #fff;
      }
      .badge.live {
        background: var(--pw-live);
        letter-spacing: 0.06em;
      }
      .badge.motion {
        background: var(--pw-accent);
      }
      .badge.live::before {
        content: '';
        width: 0.5rem;
        height: 0.5rem;
        border-radius: 50%;
        background: #fff;
      }
      .status {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.5rem;
        color: var(--pw-muted);
      }
      .dot {
        display: inline-block;
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        margin-right: 0.35rem;
        background: var(--pw-muted);
      }
      .dot.ok {
        background: var(--pw-online);
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) credential!: DeviceCredential;

  @state() private name = '';
  @state() private watching = 0;
  @state() private signaling: PeerSessionState = 'connecting';
  @state() private problem = '';
  @state() private motionState: CameraMotionState | null = null;
  @query('video') private preview!: HTMLVideoElement;

  private stream: MediaStream | null = null;
  private session: PeerSession | null = null;
  private calls: ViewerCalls | null = null;
  @state() private recording: CameraRecording | null = null;
  private events: CameraEvents | null = null;
  private motion: CameraMotion | null = null;
  private readonly wakeLock = new ScreenWakeLock();
  private running = false;
  /** A closing page hangs up on its viewers at once, so their tiles say "Camera went offline" right away. */
  private readonly onPageHide = () => this.calls?.stop();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.onPageHide);
    this.name = this.credential.name;
    this.running = true;
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.onPageHide);
    this.stop();
  }

  private async start(): Promise<void> {
    try {
      this.stream = await captureCamera();
    } catch (error) {
      this.problem = cameraProblem(error);
      // No event stream will run to bring the name: fetch it once.
      void this.refreshName();
      return;
    }
    if (!this.running) {
      this.stream.getTracks().forEach((track) => track.stop());
      return;
    }
    await this.updateComplete;
    this.preview.srcObject = this.stream;
    const session = new PeerSession(this.api, { deviceToken: this.credential.deviceToken });
    const calls = new ViewerCalls(session, this.stream);
    calls.addEventListener('change', () => (this.watching = calls.count));
    session.addEventListener('statechange', () => {
      this.signaling = session.state;
      if (session.state === 'unauthorized') this.removed();
    });
    this.session = session;
    this.calls = calls;
    const events = new CameraEvents(this.api, this.credential.deviceToken);
    // (Re)subscribed: a device-updated event may have been missed.
    events.addEventListener('ready', () => void this.refreshName());
    events.addEventListener('device-event', (event) => {
      const update = deviceEventOf(event);
      if (update.type === 'device-updated') this.name = update.device.name;
    });
    this.events = events;
    this.recording = new CameraRecording(this.api, this.credential, this.stream, events);
    void this.recording.start();
    this.startMotion(this.stream);
    session.start();
    this.wakeLock.start();
  }

  /** Starts motion detection on the camera's video track; a browser that cannot run it still streams and records. */
  private startMotion(stream: MediaStream): void {
    const [track] = stream.getVideoTracks();
    if (!track) return;
    try {
      const motion = new CameraMotion(track);
      motion.addEventListener('change', () => (this.motionState = motion.state));
      motion.addEventListener('event', (event) => {
        const detail = motionEventOf(event);
        this.dispatchEvent(new CustomEvent<MotionEventDetail>('motion-event', { detail, bubbles: true, composed: true }));
      });
      this.motion = motion;
      this.motionState = motion.state;
    } catch (error) {
      console.warn('Peerwatch motion: detection could not start', error);
    }
  }

  private stop(): void {
    this.running = false;
    this.calls?.stop();
    void this.recording?.stop();
    this.motion?.stop();
    this.events?.stop();
    this.session?.close();
    this.stream?.getTracks().forEach((track) => track.stop());
    this.wakeLock.stop();
    this.calls = null;
    this.recording = null;
    this.motion = null;
    this.events = null;
    this.session = null;
    this.stream = null;
  }

  /** Shows the name the household gave this camera (`GET /api/devices/me`); a 401 means it was removed. */
  private async refreshName(): Promise<void> {
    try {
      this.name = (await this.api.myDevice(this.credential.deviceToken)).name;
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 401) this.removed();
    }
  }

  private removed(): void {
    if (!this.running) return;
    this.stop();
    this.dispatchEvent(new CustomEvent('removed'));
  }

  override render() {
    const live = this.watching > 0;
    return html`<main>
      <header>
        <div>
          <p class="muted">Peerwatch camera</p>
          <h1>${this.name}</h1>
        </div>
        <p class="muted" aria-live="polite">${this.watching} watching</p>
      </header>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <div class="stage">
        <video aria-label="Camera preview" autoplay muted playsinline></video>
        <div class="overlay">
          ${live ? html`<span class="badge live">LIVE</span>` : html`<span></span>`}
          <span role="status" aria-label="Motion detection"
            >${this.motionState?.phase === 'motion' ? html`<span class="badge motion">Motion</span>` : nothing}</span
          >
        </div>
      </div>
      <div class="status">
        <span role="status"><span class="dot ${this.signaling === 'open' ? 'ok' : ''}"></span>${signalingText(this.signaling)}</span>
        <span>${ScreenWakeLock.supported ? 'Screen stays on while this page is open.' : 'Keep this screen on to keep the camera running.'}</span>
      </div>
      ${this.motionState?.phase === 'failed'
        ? html`<p class="muted">Motion detection stopped: ${this.motionState.message}</p>`
        : nothing}
      ${this.recording ? html`<pw-recording-panel .recording=${this.recording}></pw-recording-panel>` : nothing}
    </main>`;
  }
}

/** The camera's MediaStream; without a microphone (or its permission) video alone. */
async function captureCamera(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: CAPTURE_VIDEO, audio: true });
  } catch {
    return navigator.mediaDevices.getUserMedia({ video: CAPTURE_VIDEO, audio: false });
  }
}

function signalingText(state: PeerSessionState): string {
  switch (state) {
    case 'open':
      return 'Ready for viewers';
    case 'connecting':
      return 'Connecting to the server…';
    case 'reconnecting':
      return 'Connection lost, reconnecting…';
    case 'unauthorized':
    case 'closed':
      return 'Stopped';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-camera-view': PwCameraView;
  }
}
