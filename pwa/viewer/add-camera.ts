import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Device, Pairing } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { panelStyles, uiStyles } from '../app/ui-styles.js';
import { qrCodeOf } from '../shared/qr-code.js';
import { WhileConnected } from '../shared/while-connected.js';
import type { DeviceDirectory, PairingClaimedDetail } from './device-directory.js';

type Step =
  | { kind: 'creating' }
  | { kind: 'showing'; pairing: Pairing; qrDataUrl: string }
  | { kind: 'expired' }
  | { kind: 'added'; device: Device }
  | { kind: 'failed'; message: string };

/**
 * "Add camera": creates a one-time pairing (`POST /api/pairings`) for a camera
 * named "Camera N" (renamed later at will), shows its
 * URL as a QR code (the `qrcode` package, loaded on demand) and as text with
 * the time left, and says "Camera added" the moment the household's
 * `pairing-claimed` event for this pairing arrives. Fires `close`.
 */
@customElement('pw-add-camera')
export class PwAddCamera extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    css`
      .pairing {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 1.25rem;
        align-items: center;
      }
      @media (max-width: 36rem) {
        .pairing {
          grid-template-columns: 1fr;
          justify-items: center;
        }
      }
      img {
        width: min(16rem, 70vw);
        height: auto;
        aspect-ratio: 1;
        image-rendering: pixelated;
        border-radius: 10px;
        background: #fff;
        display: block;
      }
      .steps {
        display: grid;
        gap: 0.6rem;
      }
      .url {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 0.8rem;
        word-break: break-all;
        padding: 0.5rem 0.75rem;
        border-radius: 8px;
        background: var(--pw-surface-2);
        user-select: all;
      }
      .countdown {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      .added {
        font-size: 1.15rem;
        font-weight: 700;
        color: var(--pw-online);
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;

  @state() private step: Step = { kind: 'creating' };
  @state() private nowMs = Date.now();

  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Counts pairing attempts: one whose element left, or that a newer one replaced, drops its result. */
  private attempt = 0;

  constructor() {
    super();
    new WhileConnected(this, () => this.directory.on('pairing-claimed', (claim) => this.claimed(claim)));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.createPairing();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.attempt++;
    clearInterval(this.ticker);
  }

  private claimed({ pairingId, device }: PairingClaimedDetail): void {
    if (this.step.kind === 'showing' && this.step.pairing.id === pairingId) {
      this.step = { kind: 'added', device };
      clearInterval(this.ticker);
    }
  }

  private async createPairing(): Promise<void> {
    const attempt = ++this.attempt;
    this.step = { kind: 'creating' };
    clearInterval(this.ticker);
    try {
      const pairing = await this.api.createPairing(nextCameraName(this.directory.list));
      const qrDataUrl = await qrCodeOf(pairing.url);
      if (attempt !== this.attempt) return;
      this.step = { kind: 'showing', pairing, qrDataUrl };
      this.nowMs = Date.now();
      this.ticker = setInterval(() => this.tick(), 1_000);
    } catch (error) {
      if (attempt !== this.attempt) return;
      this.step = {
        kind: 'failed',
        message: messageOf(error, 'A pairing code could not be made.'),
      };
    }
  }

  private tick(): void {
    this.nowMs = Date.now();
    if (this.step.kind === 'showing' && this.nowMs >= this.step.pairing.expiresAtMs) {
      this.step = { kind: 'expired' };
      clearInterval(this.ticker);
    }
  }

  private close(): void {
    this.dispatchEvent(new Event('close'));
  }

  override render() {
    return html`<section class="card" aria-labelledby="add-camera-title">
      <div class="head">
        <h2 id="add-camera-title">Add a camera</h2>
        <button @click=${this.close}>${this.step.kind === 'added' ? 'Done' : 'Close'}</button>
      </div>
      ${this.renderStep()}
    </section>`;
  }

  private renderStep() {
    const step = this.step;
    switch (step.kind) {
      case 'creating':
        return html`<p class="muted" role="status">Making a pairing code…</p>`;
      case 'failed':
        return html`<p class="error" role="alert">${step.message}</p>
          <div class="row"><button class="primary" @click=${this.createPairing}>Try again</button></div>`;
      case 'expired':
        return html`<p class="error" role="alert">This pairing code has expired.</p>
          <div class="row"><button class="primary" @click=${this.createPairing}>New code</button></div>`;
      case 'added':
        return html`<p class="added" role="status">Camera added</p>
          <p class="muted">“${step.device.name}” is now one of your cameras.</p>`;
      case 'showing':
        return html`<div class="pairing">
          <img src=${step.qrDataUrl} alt="Pairing QR code" width="512" height="512" />
          <div class="steps">
            <p>
              On the device that will be the camera, open Peerwatch, choose
              <strong>Use this device as a camera</strong> and hold it up to this code.
            </p>
            <p class="muted">Or open this link on that device:</p>
            <p class="url">${step.pairing.url}</p>
            <p class="countdown" role="timer" aria-live="off">
              Expires in ${formatRemaining(step.pairing.expiresAtMs - this.nowMs)}
            </p>
            <p class="muted" role="status">Waiting for the camera…</p>
          </div>
        </div>`;
    }
  }
}

/** "Camera N" with the smallest N no camera of the household is called yet. */
function nextCameraName(devices: readonly Device[]): string {
  const taken = new Set(devices.map((device) => device.name));
  let n = 1;
  while (taken.has(`Camera ${n}`)) n++;
  return `Camera ${n}`;
}

/** `m:ss` for a duration in ms (never negative). */
function formatRemaining(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1_000));
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes}:${String(totalSeconds % 60).padStart(2, '0')}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-add-camera': PwAddCamera;
  }
}
