import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Device } from '../../protocol/index.js';
import { messageOf } from '../app/error-message.js';
import { uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import type { PeerSession } from '../shared/peer-session.js';
import './connection-info.js';
import { LiveCall, type LiveCallState } from './live-call.js';
import { noPathMessage } from './no-path.js';
import { OnScreenController } from './on-screen.js';
import { downloadSnapshot, frameCanvas } from './snapshot.js';

/**
 * One camera watched live: its video, full screen, snapshot (PNG download)
 * and hang-up. The call is dialled while the tile is on the page and
 * re-dialled by `LiveCall` when it drops. A tile out of sight (its tab
 * hidden, or scrolled out of the viewport) for 5 000 ms (`AWAY_GRACE_MS`)
 * hangs up and shows the last frame it had, marked "Paused"; it dials again
 * as soon as it is seen. While live, a row under the picture
 * says whether the call is direct or relayed (TURN) and how it performs; a
 * call that finds no network path says so. Fires `hang-up` when the person
 * presses "Hang up".
 */
@customElement('pw-live-tile')
export class PwLiveTile extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        display: block;
      }
      article {
        display: grid;
        gap: 0.6rem;
      }
      .stage {
        aspect-ratio: 4 / 3;
      }
      article:fullscreen {
        grid-template-rows: minmax(0, 1fr) auto;
        padding: 0.75rem;
        background: #000;
      }
      article:fullscreen .stage {
        aspect-ratio: auto;
        border-radius: 0;
      }
      .top {
        position: absolute;
        top: 0.6rem;
        left: 0.6rem;
        right: 0.6rem;
        display: flex;
        gap: 0.5rem;
        align-items: center;
        pointer-events: none;
      }
      .chip {
        padding: 0.15rem 0.6rem;
        border-radius: 999px;
        background: rgb(0 0 0 / 55%);
        color: #fff;
        font-weight: 650;
        font-size: 0.85rem;
        max-width: 70%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .chip.live {
        background: var(--pw-live);
        letter-spacing: 0.06em;
      }
      .last-frame {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .message {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        padding: 1rem;
        text-align: center;
        color: #fff;
        background: rgb(11 16 21 / 70%);
        font-weight: 600;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .controls button {
        flex: 1 1 auto;
      }
      .hint {
        font-size: 0.9rem;
      }
      pw-connection-info {
        color: var(--pw-muted, inherit);
      }
    `,
  ];

  @property({ attribute: false }) session!: PeerSession;
  @property({ attribute: false }) device!: Device;

  @state() private callState: LiveCallState = 'connecting';
  @state() private stream: MediaStream | null = null;
  @state() private peerConnection: RTCPeerConnection | null = null;
  @state() private muted = true;
  @state() private hint = '';
  @query('video') private video!: HTMLVideoElement;
  @query('article') private tile!: HTMLElement;
  @state() private fullScreen = false;

  /** The last frame seen live, shown while the call is paused or dialling again; null once live. */
  @state() private lastFrame: HTMLCanvasElement | null = null;

  private call: LiveCall | null = null;
  private readonly onFullScreenChange = () => {
    this.fullScreen = (this.renderRoot as ShadowRoot).fullscreenElement === this.tile;
  };

  constructor() {
    super();
    new OnScreenController(this, { away: () => this.pause(), back: () => this.call?.resume() });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('fullscreenchange', this.onFullScreenChange);
    const call = new LiveCall(this.session, this.device.peerId, this.device.online);
    call.on('change', () => {
      this.callState = call.state;
      this.stream = call.stream;
      this.peerConnection = call.peerConnection;
      if (call.state === 'live') this.lastFrame = null;
    });
    this.call = call;
    call.start();
    this.callState = call.state;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.onFullScreenChange);
    this.call?.stop();
    this.call = null;
  }

  /** Out of sight: keeps the frame shown now (if live) and hangs up until the tile is seen again. */
  private pause(): void {
    if (this.callState === 'live') {
      try {
        this.lastFrame = frameCanvas(this.video);
        this.lastFrame.className = 'last-frame';
        this.lastFrame.setAttribute('role', 'img');
        this.lastFrame.setAttribute('aria-label', `Last picture: ${this.device.name}`);
      } catch (error) {
        log.debug('live tile: no last frame to keep', this.device.name, error);
      }
    }
    this.call?.pause();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('device') && this.call) this.call.cameraOnline = this.device.online;
  }

  private hangUp(): void {
    this.call?.stop();
    this.dispatchEvent(new Event('hang-up'));
  }

  /** The whole tile (picture and controls) goes full screen, so it can be left the same way. */
  private async toggleFullScreen(): Promise<void> {
    if (this.fullScreen) await document.exitFullscreen();
    else await this.tile.requestFullscreen().catch(() => (this.hint = 'Full screen is not available here.'));
  }

  private async snapshot(): Promise<void> {
    try {
      await downloadSnapshot(this.video, this.device.name);
      this.hint = 'Snapshot saved.';
    } catch (error) {
      this.hint = messageOf(error, 'The snapshot could not be made.');
    }
  }

  /** The message over the picture when not live. */
  private stateText(): string {
    const noPath = this.call?.noPath;
    return noPath ? noPathMessage(this.device.name, noPath) : stateText(this.callState);
  }

  override render() {
    const name = this.device.name;
    const live = this.callState === 'live';
    const paused = this.callState === 'paused';
    return html`<article aria-label=${name}>
      <div class="stage">
        <video
          aria-label="Live: ${name}"
          autoplay
          playsinline
          .muted=${this.muted}
          .srcObject=${this.stream}
        ></video>
        ${live ? nothing : this.lastFrame}
        <div class="top">
          ${live ? html`<span class="chip live">LIVE</span>` : nothing}
          <span class="chip">${name}</span>
          ${paused && this.lastFrame ? html`<span class="chip" role="status">Paused</span>` : nothing}
        </div>
        ${live || (paused && this.lastFrame) ? nothing : html`<p class="message" role="status">${this.stateText()}</p>`}
      </div>
      ${this.peerConnection ? html`<pw-connection-info
            .peerConnection=${this.peerConnection}
          ></pw-connection-info>` : nothing}
      <div class="controls">
        <button @click=${this.toggleFullScreen}>${this.fullScreen ? 'Exit full screen' : 'Full screen'}</button>
        <button @click=${this.snapshot} ?disabled=${!live}>Snapshot</button>
        <button aria-pressed=${this.muted ? 'false' : 'true'} @click=${() => (this.muted = !this.muted)}>Sound</button>
        <button class="danger" @click=${this.hangUp}>Hang up</button>
      </div>
      ${this.hint ? html`<p class="hint muted" role="status">${this.hint}</p>` : nothing}
    </article>`;
  }
}

function stateText(state: LiveCallState): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Connection lost, reconnecting…';
    case 'offline':
      return 'Camera went offline';
    case 'paused':
      return 'Paused while out of sight';
    case 'unreachable': // the call's `noPath` is set then: the tile shows `noPathMessage` instead
    case 'live':
    case 'ended':
      return '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-live-tile': PwLiveTile;
  }
}
