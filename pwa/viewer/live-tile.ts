import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Device } from '../../protocol/index.js';
import { messageOf } from '../app/error-message.js';
import { uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import { WhileConnected } from '../shared/while-connected.js';
import type { PeerSession } from '../shared/peer-session.js';
import '../app/camera-controls-panel.js';
import type { ControlsChangeEvent } from '../app/camera-controls-panel.js';
import './battery-status.js';
import type { CameraControlStates } from './camera-control-states.js';
import { cameraHealthText } from './camera-health-text.js';
import './connection-info.js';
import type { LastMotion } from './last-motion.js';
import { LiveCall, type LiveCallState } from './live-call.js';
import { noPathMessage } from './no-path.js';
import { OnScreenController } from './on-screen.js';
import { downloadSnapshot, frameCanvas } from './snapshot.js';
import './talk-control.js';
import type { PwTalkControl } from './talk-control.js';

/**
 * One camera watched live: its video, full screen, snapshot (PNG download)
 * and hang-up. The call is dialled while the tile is on the page and
 * re-dialled by `LiveCall` when it drops. A tile out of sight (its tab
 * hidden, or scrolled out of the viewport) for 5 000 ms (`AWAY_GRACE_MS`)
 * hangs up and shows the last frame it had, marked "Paused"; it dials again
 * as soon as it is seen. A call that drops keeps its last frame under the
 * message too ("Connection lost, reconnecting…"). While live, a row under the picture
 * says whether the call is direct or relayed (TURN) and how it performs; a
 * call that finds no network path says so.
 *
 * Sound: the camera's microphone plays muted at first (autoplay rules let
 * only muted media start without a gesture); "Sound on" / "Sound off" and
 * "Volume" set the video element's `muted` and `volume`. Push-to-talk:
 * "Talk" (`pw-talk-control`), held with a pointer, or the space bar while
 * the tile or its Talk button has focus.
 *
 * The camera's controls (`pw-camera-controls`: pause, which camera,
 * quality, torch, zoom, from `controlStates`; only with `mayControl`, pause only with `mayPause`) sit under the picture, its
 * battery (`pw-battery-status`) over it, its page's health (frames per
 * second, the height sent, network) under it; a paused camera shows "Paused by
 * <who>" over the picture (the call stays up, no frames come). Fires
 * `hang-up` when the person presses "Hang up", and `call-paused` when the tile
 * hangs up out of sight.
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
      .chip,
      pw-battery-status {
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
      .chip.motion {
        background: #b45309;
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
      .volume {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
      article:focus-visible {
        outline: 2px solid var(--pw-accent, currentColor);
        outline-offset: 2px;
      }
      pw-connection-info {
        color: var(--pw-muted, inherit);
      }
    `,
  ];

  @property({ attribute: false }) session!: PeerSession;
  @property({ attribute: false }) device!: Device;
  /** Who talks through the camera (the signed-in user's email), shown on the camera and to other viewers. */
  @property({ attribute: false }) talker = '';
  @property({ attribute: false }) controlStates!: CameraControlStates;
  /** True when the signed-in person may pause the camera from here (the `pause` permission: owners). */
  @property({ attribute: false }) mayPause = false;
  /** Whether the person may change the camera's controls (quality, which camera, torch, zoom): without it the tile has none. */
  @property({ attribute: false }) mayControl = false;
  @state() private controlsBusy = false;
  /** The household's newest event per camera: the tile shows "Motion" (or "Person") while this camera's is open (none without it). */
  @property({ attribute: false }) lastMotion: LastMotion | null = null;

  @state() private callState: LiveCallState = 'connecting';
  @state() private stream: MediaStream | null = null;
  @state() private peerConnection: RTCPeerConnection | null = null;
  @state() private muted = true;
  /** The camera's sound volume, 0–1 (`HTMLMediaElement.volume`). */
  @state() private volume = 1;
  @state() private hint = '';
  @query('video') private video!: HTMLVideoElement;
  @query('article') private tile!: HTMLElement;
  @query('pw-talk-control') private talkControl!: PwTalkControl;
  @state() private fullScreen = false;

  /** The last frame seen live, shown while the call is paused or dialling again; null once live. */
  @state() private lastFrame: HTMLCanvasElement | null = null;

  private call: LiveCall | null = null;
  private readonly onFullScreenChange = () => {
    this.fullScreen = (this.renderRoot as ShadowRoot).fullscreenElement === this.tile;
  };

  constructor() {
    super();
    new WhileConnected(this, () => this.lastMotion?.on('change', () => this.requestUpdate()) ?? (() => undefined));
    new OnScreenController(this, { away: () => this.pause(), back: () => this.call?.resume() });
    new WhileConnected(this, () => this.controlStates.on('change', () => this.requestUpdate()));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.controlStates.load(this.device.id);
    document.addEventListener('fullscreenchange', this.onFullScreenChange);
    const call = new LiveCall(this.session, this.device.peerId, this.device.online);
    call.on('change', () => {
      // Leaving live (paused, or the call dropped): the picture it had stays, under what happens now.
      if (this.callState === 'live' && call.state !== 'live') this.keepLastFrame();
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

  /**
   * Out of sight: hangs up until the tile is seen again (the frame shown until then stays, see `keepLastFrame`),
   * and fires `call-paused`: the person no longer watches.
   */
  private pause(): void {
    this.talkControl?.release();
    if (!this.call || this.call.state === 'paused') return;
    this.call.pause();
    this.dispatchEvent(new Event('call-paused'));
  }

  /** Keeps the frame the video shows now as `lastFrame` (nothing to keep: logged, and none is shown). */
  private keepLastFrame(): void {
    try {
      this.lastFrame = frameCanvas(this.video);
      this.lastFrame.className = 'last-frame';
      this.lastFrame.setAttribute('role', 'img');
      this.lastFrame.setAttribute('aria-label', `Last picture: ${this.device.name}`);
    } catch (error) {
      log.debug('live tile: no last frame to keep', this.device.name, error);
    }
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('device') && this.call) this.call.cameraOnline = this.device.online;
  }

  /** The space bar holds "Talk" while the tile itself or the Talk button has focus (other controls keep their keys). */
  private onKey(event: KeyboardEvent): void {
    if (event.key !== ' ') return;
    const target = event.composedPath()[0];
    const onTalk = target instanceof HTMLButtonElement && target.getRootNode() === this.talkControl.renderRoot;
    if (target !== this.tile && !onTalk) return;
    event.preventDefault();
    if (event.type === 'keyup') this.talkControl.release();
    else if (!event.repeat) this.talkControl.press();
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

  private async onControlsChange(event: ControlsChangeEvent): Promise<void> {
    this.controlsBusy = true;
    this.hint = '';
    try {
      await this.controlStates.set(this.device.id, event.change);
    } catch (error) {
      this.hint = messageOf(error, 'The camera could not be changed.');
    } finally {
      this.controlsBusy = false;
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
    const hasSound = (this.stream?.getAudioTracks().length ?? 0) > 0;
    const camera = this.controlStates.get(this.device.id);
    const pausedBy = camera?.controls.paused?.by;
    const health = camera?.report ? cameraHealthText(camera.report) : null;
    const openEvent = this.lastMotion?.openEvent(this.device.id) ?? null;
    return html`<article aria-label=${name} tabindex="0" @keydown=${this.onKey} @keyup=${this.onKey}>
      <div class="stage">
        <video
          aria-label="Live: ${name}"
          autoplay
          playsinline
          .muted=${this.muted}
          .volume=${this.volume}
          .srcObject=${this.stream}
        ></video>
        ${live ? nothing : this.lastFrame}
        <div class="top">
          ${live ? html`<span class="chip live">LIVE</span>` : nothing}
          <span class="chip">${name}</span>
          ${paused && this.lastFrame ? html`<span class="chip" role="status">Paused</span>` : nothing}
          <pw-battery-status .report=${camera?.report ?? null}></pw-battery-status>
          <span role="status" aria-label="Motion: ${name}"
            >${openEvent ? html`<span class="chip motion">${openEvent === 'person' ? 'Person' : 'Motion'}</span>` : nothing}</span
          >
        </div>
        ${pausedBy !== undefined
          ? html`<p class="message" role="status">Paused by ${pausedBy}</p>`
          : live || (paused && this.lastFrame)
            ? nothing
            : html`<p class="message" role="status">${this.stateText()}</p>`}
      </div>
      ${this.peerConnection ? html`<pw-connection-info
            .peerConnection=${this.peerConnection}
          ></pw-connection-info>` : nothing}
      ${health ? html`<p class="muted">${health}</p>` : nothing}
      <div class="controls">
        <button @click=${this.toggleFullScreen}>${this.fullScreen ? 'Exit full screen' : 'Full screen'}</button>
        <button @click=${this.snapshot} ?disabled=${!live}>Snapshot</button>
        <button @click=${() => (this.muted = !this.muted)} ?disabled=${!hasSound}>
          ${this.muted ? 'Sound on' : 'Sound off'}
        </button>
        <label class="volume"
          >Volume
          <input
            type="range"
            min="0"
            max="1"
            step="0.05"
            .value=${String(this.volume)}
            ?disabled=${!hasSound || this.muted}
            @input=${(event: Event) => (this.volume = Number((event.target as HTMLInputElement).value))}
        /></label>
        <pw-talk-control
          .session=${this.session}
          .cameraPeerId=${this.device.peerId}
          .talker=${this.talker}
          .live=${live}
        ></pw-talk-control>
        <button class="danger" @click=${this.hangUp}>Hang up</button>
      </div>
      ${this.mayControl
        ? html`<pw-camera-controls
            role="group"
            aria-label="Controls: ${name}"
            .controls=${camera?.controls ?? null}
            .offer=${camera?.report ?? null}
            .mayPause=${this.mayPause}
            ?busy=${this.controlsBusy}
            @controls-change=${this.onControlsChange}
          ></pw-camera-controls>`
        : nothing}
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
    case 'unsupported':
      return 'This browser cannot play live video: it has no WebRTC. Recordings and events still play here.';
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
