import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CameraSettings, RecordingMode, Sensitivity } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { uiStyles } from '../app/ui-styles.js';
import type { DeviceCredential } from '../shared/db.js';
import type { PeerSessionState } from '../shared/peer-session.js';
import { cameraFailureText } from './camera-problem.js';
import { CameraSession } from './camera-session.js';
import type { MotionEventDetail } from './motion/camera-motion.js';
import './recording/recording-panel.js';
import './talk-back-panel.js';

/**
 * A paired camera at work (`CameraSession`, started while the element is on
 * the page): shows its own preview, "LIVE" while anyone watches and how many
 * do, whether it is ready for viewers, a viewer talking (`pw-talk-back`), its recording panel, and its heading:
 * the name the household gave it.
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

  private camera: CameraSession | null = null;
  /** A closing page hangs up on its viewers at once, so their tiles say "Camera went offline" right away. */
  private readonly onPageHide = () => this.camera?.hangUpViewers();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.onPageHide);
    const camera = new CameraSession(this.api, this.credential);
    camera.on('motion-event', (detail) => {
      this.dispatchEvent(new CustomEvent<MotionEventDetail>('motion-event', { detail, bubbles: true, composed: true }));
    });
    camera.on('change', () => {
      if (camera.state.kind === 'removed') this.dispatchEvent(new Event('removed'));
      this.requestUpdate();
    });
    this.camera = camera;
    void camera.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.onPageHide);
    this.camera?.stop();
    this.camera = null;
  }

  override render() {
    const camera = this.camera;
    if (!camera) return nothing;
    const { state } = camera;
    const live = camera.watching > 0;
    const keepsScreenOn = camera.wakeLock.state === 'held' || camera.wakeLock.state === 'off';
    return html`<main>
      <header>
        <div>
          <p class="muted">Peerwatch camera</p>
          <h1>${camera.name}</h1>
        </div>
        <p class="muted" aria-live="polite">${camera.watching} watching</p>
      </header>
      ${state.kind === 'no-camera'
        ? html`<p class="error" role="alert">${cameraFailureText(state.failure)}</p>`
        : nothing}
      <div class="stage">
        <video
          aria-label="Camera preview"
          autoplay
          muted
          playsinline
          .srcObject=${state.kind === 'running' ? state.stream : null}
        ></video>
        <div class="overlay">
          ${live ? html`<span class="badge live">LIVE</span>` : html`<span></span>`}
          <span role="status" aria-label="Motion detection"
            >${camera.motion?.phase === 'motion' ? html`<span class="badge motion">Motion</span>` : nothing}</span
          >
        </div>
      </div>
      <div class="status">
        <span role="status"
          ><span class="dot ${camera.signaling === 'open' ? 'ok' : ''}"></span>${signalingText(camera.signaling)}</span
        >
        <span>${keepsScreenOn ? 'Screen stays on while this page is open.' : 'Keep this screen on to keep the camera running.'}</span>
      </div>
      ${camera.motion?.phase === 'failed'
        ? html`<p class="muted">Motion detection stopped: ${camera.motion.message}</p>`
        : nothing}
      ${camera.settings ? html`<p class="muted" aria-label="Motion settings">${settingsText(camera.settings)}</p>` : nothing}
      ${state.kind === 'running'
        ? html`<pw-talk-back .talkBack=${state.talkBack}></pw-talk-back>
            <pw-recording-panel .recording=${state.recording}></pw-recording-panel>`
        : nothing}
    </main>`;
  }
}

const SENSITIVITY_NAMES: Record<Sensitivity, string> = { low: 'Low', medium: 'Medium', high: 'High' };
const MODE_NAMES: Record<RecordingMode, string> = { off: 'Recording off', always: 'Recording always', events: 'Recording on events' };

/** One line of the settings the camera follows, e.g. "Motion on, Medium, 1 zone · Recording on events". */
function settingsText({ motion, recording }: CameraSettings): string {
  const zones = motion.zones.length === 1 ? '1 zone' : `${motion.zones.length} zones`;
  const detection = motion.enabled ? `Motion on, ${SENSITIVITY_NAMES[motion.sensitivity]}, ${zones}` : 'Motion off';
  return `${detection} · ${MODE_NAMES[recording.mode]}`;
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
