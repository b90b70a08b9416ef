import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiRequestError, type ApiClient } from '../api/api-client.js';
import { navigate } from '../app/router.js';
import { uiStyles } from '../app/ui-styles.js';
import type { DeviceCredential } from '../shared/db.js';
import { clearDeviceCredential, loadDeviceCredential, saveDeviceCredential } from './device-credential.js';
import { isPairingToken, parsePairingLink } from './pairing-link.js';
import './pairing-scan.js';
import './camera-view.js';

type Mode =
  | { kind: 'loading' }
  | { kind: 'pairing'; problem: string }
  | { kind: 'claiming' }
  | { kind: 'running'; credential: DeviceCredential }
  | { kind: 'removed' };

/** Shown for a scanned QR code that is not a Peerwatch pairing URL. */
const NOT_A_PAIRING_CODE = 'This QR code is not a Peerwatch pairing code.';

/**
 * Camera mode: pairs this browser with a household (a pairing token from
 * `/pair#<token>` or from a scanned QR code, claimed with
 * `POST /api/pairings/claim`), keeps the device credential in IndexedDB, and
 * runs the camera. A removed camera forgets its credential and offers
 * pairing again.
 */
@customElement('pw-camera-mode')
export class PwCameraMode extends LitElement {
  static override styles = [
    uiStyles,
    css`
      main {
        max-width: 40rem;
        margin: 0 auto;
        padding: 1.25rem 1rem 2rem;
        display: grid;
        gap: 1.25rem;
      }
      .panel {
        display: grid;
        gap: 1rem;
      }
      h1 {
        font-size: 1.5rem;
      }
      ol {
        margin: 0;
        padding-left: 1.25rem;
        color: var(--pw-muted);
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** A pairing token from the URL fragment (`/pair#<token>`), claimed on arrival. */
  @property({ attribute: false }) pairingToken: string | undefined;

  @state() private mode: Mode = { kind: 'loading' };

  override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || (changed.has('pairingToken') && this.pairingToken !== undefined)) void this.begin();
  }

  private async begin(): Promise<void> {
    if (this.pairingToken !== undefined) {
      if (isPairingToken(this.pairingToken)) await this.claim(this.pairingToken);
      else this.mode = { kind: 'pairing', problem: 'This pairing link is incomplete. Scan the code on your viewer.' };
      return;
    }
    const credential = await loadDeviceCredential().catch(() => undefined);
    this.mode = credential ? { kind: 'running', credential } : { kind: 'pairing', problem: '' };
  }

  private async claim(token: string): Promise<void> {
    this.mode = { kind: 'claiming' };
    try {
      const { device, deviceToken } = await this.api.claimPairing(token);
      const credential: DeviceCredential = {
        deviceId: device.id,
        deviceToken,
        name: device.name,
        pairedAtMs: Date.now(),
      };
      await saveDeviceCredential(credential);
      if (location.pathname !== '/camera') navigate('/camera', { replace: true });
      this.mode = { kind: 'running', credential };
    } catch (error) {
      const problem =
        error instanceof ApiRequestError && error.status === 404
          ? 'This pairing code is not known. Show a new code on your viewer and scan it.'
          : error instanceof Error
            ? error.message
            : 'Pairing failed.';
      if (location.pathname !== '/camera') navigate('/camera', { replace: true });
      this.mode = { kind: 'pairing', problem };
    }
  }

  private onScan(event: CustomEvent<string>): void {
    const link = parsePairingLink(event.detail);
    if (link.kind === 'pairing') void this.claim(link.token);
    else if (link.kind === 'other-server') {
      this.mode = {
        kind: 'pairing',
        problem: `This pairing code belongs to another Peerwatch server (${link.origin}). Open this page from that address.`,
      };
    } else this.mode = { kind: 'pairing', problem: NOT_A_PAIRING_CODE };
  }

  private async onRemoved(): Promise<void> {
    await clearDeviceCredential().catch(() => {});
    this.mode = { kind: 'removed' };
  }

  override render() {
    const mode = this.mode;
    switch (mode.kind) {
      case 'loading':
        return nothing;
      case 'claiming':
        return html`<main><p class="notice" role="status">Pairing this camera…</p></main>`;
      case 'running':
        return html`<pw-camera-view
          .api=${this.api}
          .credential=${mode.credential}
          @removed=${this.onRemoved}
        ></pw-camera-view>`;
      case 'removed':
        return html`<main>
          <section class="card panel">
            <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>Peerwatch</a>
            <p class="error" role="alert">This camera was removed from its household.</p>
            <p class="muted">To use this device as a camera again, pair it with a household.</p>
            <div class="row">
              <button class="primary" @click=${() => (this.mode = { kind: 'pairing', problem: '' })}>
                Pair this camera again
              </button>
            </div>
          </section>
        </main>`;
      case 'pairing':
        return html`<main>
          <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>Peerwatch</a>
          <section class="panel">
            <h1>Pair this camera</h1>
            <ol>
              <li>On your viewer, sign in and press <strong>Add camera</strong>.</li>
              <li>Hold the code shown there in front of this camera.</li>
            </ol>
            <pw-pairing-scan .problem=${mode.problem} @scan=${this.onScan}></pw-pairing-scan>
          </section>
        </main>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-camera-mode': PwCameraMode;
  }
}
