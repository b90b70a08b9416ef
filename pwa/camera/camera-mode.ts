import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiRequestError, type ApiClient } from '../api/api-client.js';
import { navigate } from '../app/router.js';
import { uiStyles } from '../app/ui-styles.js';
import type { ServerInfo } from '../../protocol/index.js';
import type { DeviceCredential } from '../shared/db.js';
import { clearDeviceCredential, loadDeviceCredential, saveDeviceCredential } from './device-credential.js';
import { isPairingToken, pairingLinkSource, parsePairingLink } from './pairing-link.js';
import type { ScanEvent } from './pairing-scan.js';
import './pairing-scan.js';
import './camera-view.js';
import { log } from '../shared/logger.js';

/**
 * - `pairing`: scanning; `problem` says what was wrong with the last code (empty for none)
 * - `other-server`: the last code scanned was made by another Peerwatch server, at `origin`;
 *   its pairing link `url` can be opened there (scanning goes on meanwhile)
 */
type Mode =
  | { kind: 'loading' }
  | { kind: 'pairing'; problem: string }
  | { kind: 'other-server'; origin: string; url: string }
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
 *
 * A scanned code is claimed here when it comes from this server, whatever
 * address it names: its own origin, or this server's instance id (asked once
 * with `GET /api/server`). A code of another server offers to open its link
 * at that server's address.
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
  /** `GET /api/server`, asked at the first scanned pairing code; null until then or after a failure. */
  private serverInfo: Promise<ServerInfo> | null = null;

  override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || (changed.has('pairingToken') && this.pairingToken !== undefined)) void this.begin();
  }

  private async begin(): Promise<void> {
    if (this.pairingToken !== undefined) {
      if (isPairingToken(this.pairingToken)) await this.claim(this.pairingToken);
      else this.mode = { kind: 'pairing', problem: 'This pairing link is incomplete. Scan the code on your viewer.' };
      return;
    }
    const credential = await loadDeviceCredential().catch((error: unknown) => {
      log.warn('camera: the stored credential could not be read; pairing again', error);
      return undefined;
    });
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

  private async onScan(event: ScanEvent): Promise<void> {
    const link = parsePairingLink(event.text);
    if (link.kind === 'not-peerwatch') {
      this.mode = { kind: 'pairing', problem: NOT_A_PAIRING_CODE };
      return;
    }
    let instanceId: string;
    try {
      instanceId = (await (this.serverInfo ??= this.api.serverInfo())).instanceId;
    } catch (error) {
      this.serverInfo = null;
      const reason = error instanceof Error ? error.message : String(error);
      this.mode = { kind: 'pairing', problem: `This pairing code could not be checked with the server: ${reason}` };
      return;
    }
    if (this.mode.kind !== 'pairing' && this.mode.kind !== 'other-server') return;
    if (pairingLinkSource(link, { origin: location.origin, instanceId }) === 'this-server') void this.claim(link.token);
    else this.mode = { kind: 'other-server', origin: link.origin, url: link.url };
  }

  private async onRemoved(): Promise<void> {
    await clearDeviceCredential().catch((error: unknown) => {
      // It no longer works (the server removed this camera): the next start finds it refused again.
      log.warn('camera: the credential of a removed camera could not be deleted', error);
    });
    this.mode = { kind: 'removed' };
  }

  /** The pairing page: the scanner, and what was wrong with the last code scanned. */
  private pairingPanel(mode: Extract<Mode, { kind: 'pairing' | 'other-server' }>) {
    return html`<main>
      <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>Peerwatch</a>
      <section class="panel">
        <h1>Pair this camera</h1>
        <ol>
          <li>On your viewer, sign in and press <strong>Add camera</strong>.</li>
          <li>Hold the code shown there in front of this camera.</li>
        </ol>
        <pw-pairing-scan .problem=${mode.kind === 'pairing' ? mode.problem : ''} @scan=${this.onScan}></pw-pairing-scan>
        ${mode.kind === 'other-server'
          ? html`<div class="card panel" role="alert">
              <p>This pairing code belongs to another Peerwatch server, at ${mode.origin}.</p>
              <div class="row">
                <button class="primary" @click=${() => location.assign(mode.url)}>Pair with ${mode.origin}</button>
              </div>
            </div>`
          : nothing}
      </section>
    </main>`;
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
      case 'other-server':
        return this.pairingPanel(mode);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-camera-mode': PwCameraMode;
  }
}
