import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { IScannerControls } from '@zxing/browser';
import { uiStyles } from '../app/ui-styles.js';
import { cameraFailureOf, cameraFailureText, type CameraFailure } from './camera-problem.js';

/** The same text decoded again within this time is not reported again, ms. */
const REPEAT_QUIET_MS = 1_500;

/** Sent by `pw-pairing-scan` for each QR code seen: `text` is what it decoded. */
export class ScanEvent extends Event {
  constructor(readonly text: string) {
    super('scan');
  }
}

/** The scanner's camera: being opened, scanning, or failed to open. */
type ScannerCamera = { kind: 'starting' } | { kind: 'scanning' } | { kind: 'failed'; failure: CameraFailure };

/**
 * A live QR code scanner on the device camera (the rear one where there is
 * a choice). The scanner (ZXing) is loaded with dynamic `import()` only when
 * this element appears, to keep it out of the app's first load.
 *
 * Fires `scan` (`ScanEvent`) for each code seen;
 * keeps scanning until removed. `problem` is shown under the picture.
 */
@customElement('pw-pairing-scan')
export class PwPairingScan extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        display: grid;
        gap: 0.75rem;
      }
      .stage {
        aspect-ratio: 4 / 3;
      }
      .stage video {
        object-fit: cover;
      }
      .frame {
        position: absolute;
        top: 50%;
        left: 50%;
        height: 78%;
        aspect-ratio: 1;
        transform: translate(-50%, -50%);
        border: 3px solid rgb(255 255 255 / 85%);
        border-radius: 18px;
        box-shadow: 0 0 0 100vmax rgb(0 0 0 / 28%);
        pointer-events: none;
      }
      .starting {
        position: absolute;
        inset: 0;
        display: grid;
        place-items: center;
        color: #fff;
      }
    `,
  ];

  /** A message about the last code seen (e.g. not a Peerwatch code). */
  @property() problem = '';

  @state() private camera: ScannerCamera = { kind: 'starting' };
  @query('video') private video!: HTMLVideoElement;

  private controls: IScannerControls | null = null;
  private removed = false;
  private last = { text: '', atMs: 0 };

  override firstUpdated(): void {
    void this.startScanning();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.removed = false;
    if (this.hasUpdated && !this.controls) void this.startScanning();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removed = true;
    this.controls?.stop();
    this.controls = null;
  }

  private async startScanning(): Promise<void> {
    try {
      const { scanQrCodes } = await import('./qr-scanner.js');
      if (this.removed) return;
      const controls = await scanQrCodes(this.video, (text) => this.report(text));
      if (this.removed) {
        controls.stop();
        return;
      }
      this.controls = controls;
      this.camera = { kind: 'scanning' };
    } catch (error) {
      this.camera = { kind: 'failed', failure: cameraFailureOf(error) };
    }
  }

  private report(text: string): void {
    const now = Date.now();
    if (text === this.last.text && now - this.last.atMs < REPEAT_QUIET_MS) return;
    this.last = { text, atMs: now };
    this.dispatchEvent(new ScanEvent(text));
  }

  override render() {
    const camera = this.camera;
    return html`
      <div class="stage">
        <video aria-label="QR code scanner" muted playsinline></video>
        ${camera.kind === 'scanning' ? html`<div class="frame" aria-hidden="true"></div>` : nothing}
        ${camera.kind === 'starting' ? html`<p class="starting">Starting the camera…</p>` : nothing}
      </div>
      ${camera.kind === 'failed' ? html`<p class="error" role="alert">${cameraFailureText(camera.failure)}</p>` : nothing}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-pairing-scan': PwPairingScan;
  }
}
