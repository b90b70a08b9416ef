import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CameraSettings, RecordingMode, Sensitivity } from '../../protocol/index.js';
import '../app/camera-controls-panel.js';
import type { ControlsChangeEvent } from '../app/camera-controls-panel.js';
import { messageOf } from '../app/error-message.js';
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
 * do, whether it is ready for viewers, a viewer talking (`pw-talk-back`),
 * its controls (`pw-camera-controls`: "Pause camera", which camera, quality,
 * torch, zoom; "Paused by <who>" over the preview while paused), "Dim
 * screen" (a black overlay over the whole page, tapped to wake; live view
 * and recording go on), its recording panel, and its heading: the name the
 * household gave it.
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
      .paused {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        margin: 0;
        background: rgb(11 16 21 / 85%);
        color: #fff;
        font-weight: 650;
      }
      .dim {
        position: fixed;
        inset: 0;
        z-index: 1000;
        width: 100%;
        height: 100%;
        border: none;
        border-radius: 0;
        background: #000;
        color: #222;
        cursor: pointer;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) credential!: DeviceCredential;

  /** True while the screen is dimmed (a black overlay; tap to wake). */
  @state() private dimmed = false;
  @state() private controlsBusy = false;
  @state() private controlsProblem = '';

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

  private async onControlsChange(event: ControlsChangeEvent): Promise<void> {
    this.controlsBusy = true;
    this.controlsProblem = '';
    try {
      await this.camera?.changeControls(event.change);
    } catch (error) {
      this.controlsProblem = messageOf(error, 'The change could not be sent to the server.');
    } finally {
      this.controlsBusy = false;
    }
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
          .srcObject=${state.kind === 'running' ? state.capture.stream : null}
        ></video>
        ${camera.controls?.paused
          ? html`<p class="paused" role="status">Paused by ${camera.controls.paused.by}</p>`
          : nothing}
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
        ? html`<section class="card controls" aria-label="Camera controls">
              <pw-camera-controls
                .controls=${camera.controls}
                .offer=${state.health.last}
                ?busy=${this.controlsBusy}
                @controls-change=${this.onControlsChange}
              ></pw-camera-controls>
              <button @click=${() => (this.dimmed = true)}>Dim screen</button>
              ${this.controlsProblem ? html`<p class="error" role="alert">${this.controlsProblem}</p>` : nothing}
            </section>
            <pw-talk-back .talkBack=${state.talkBack}></pw-talk-back>
            <pw-recording-panel .recording=${state.recording}></pw-recording-panel>`
        : nothing}
      ${this.dimmed
        ? html`<button class="dim" aria-label="Wake screen" @click=${() => (this.dimmed = false)}></button>`
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
    case 'unsupported':
      return 'No live view from this browser: it has no WebRTC. Use another browser for live view.';
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
