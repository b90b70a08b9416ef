import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiClient } from '../api/api-client.js';
import { AuthState } from '../api/auth-state.js';
import { navigate, routeOf, watchRoute, type Route } from './router.js';
import { uiStyles } from './ui-styles.js';
import { loadDeviceCredential } from '../camera/device-credential.js';
import './start-page.js';
import '../viewer/viewer-page.js';
import '../viewer/join-household.js';
import { log } from '../shared/logger.js';

/**
 * The app shell and router. Pages:
 * - `/`: start page; a paired camera goes straight to `/camera`, a signed-in viewer to `/viewer`
 * - `/viewer`: sign-in, cameras, live view
 * - `/camera`: camera mode (pairing scan when not paired yet)
 * - `/pair?server=<instance id>#<token>`: claims a pairing token, then camera mode
 * - `/invite#<token>`: sign in or sign up, join the household of the invitation, then the viewer
 */
@customElement('pw-app')
export class PwApp extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        min-height: 100vh;
      }
      .not-found {
        max-width: 32rem;
        margin: 4rem auto;
        display: grid;
        gap: 1rem;
        text-align: center;
      }
    `,
  ];

  private readonly auth = new AuthState();
  private readonly api = new ApiClient(this.auth);
  private stopWatching: (() => void) | null = null;

  @state() private route: Route = routeOf(location);
  /** Camera mode's code, loaded when first needed (most devices are viewers, which never load it). */
  @state() private cameraMode: { kind: 'not-loaded' } | { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string } = {
    kind: 'not-loaded',
  };
  /** Whether `/` has decided where this device belongs. */
  @state() private startChecked = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stopWatching = watchRoute((route) => (this.route = route));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopWatching?.();
  }

  /** Decides where `/` leads after each render that shows it undecided (the first one included). */
  override updated(): void {
    if (this.route.page === 'start' && !this.startChecked) void this.routeStart();
    if ((this.route.page === 'camera' || this.route.page === 'pair') && this.cameraMode.kind === 'not-loaded') {
      void this.loadCameraMode();
    }
  }

  /** Loads camera mode's code (a chunk of its own, precached by the service worker for offline use). */
  private async loadCameraMode(): Promise<void> {
    this.cameraMode = { kind: 'loading' };
    try {
      await import('../camera/camera-mode.js');
      this.cameraMode = { kind: 'ready' };
    } catch (error) {
      log.warn('app: camera mode could not be loaded', error);
      this.cameraMode = { kind: 'failed', message: 'Camera mode could not be loaded. Check the connection and reload the page.' };
    }
  }

  /** A paired camera opens straight into camera mode; a signed-in viewer into the viewer. */
  private async routeStart(): Promise<void> {
    if (this.route.page !== 'start') return;
    const credential = await loadDeviceCredential().catch((error: unknown) => {
      log.warn('start: the camera credential could not be read; treated as not paired', error);
      return undefined;
    });
    if (this.route.page !== 'start') return;
    if (credential) navigate('/camera', { replace: true });
    else if (this.auth.session) navigate('/viewer', { replace: true });
    this.startChecked = true;
  }

  override render(): TemplateResult {
    const route = this.route;
    switch (route.page) {
      case 'start':
        return this.startChecked ? html`<pw-start-page></pw-start-page>` : html``;
      case 'viewer':
        return html`<pw-viewer-page .api=${this.api}></pw-viewer-page>`;
      case 'invite':
        return html`<pw-join-household .api=${this.api} token=${route.token}></pw-join-household>`;
      case 'camera':
      case 'pair':
        if (this.cameraMode.kind === 'failed') {
          return html`<main class="not-found"><p class="error" role="alert">${this.cameraMode.message}</p></main>`;
        }
        // Rendered at once: the element upgrades (keeping these properties) when its code has loaded.
        return html`<pw-camera-mode
          .api=${this.api}
          .pairingToken=${route.page === 'pair' ? route.token : undefined}
        ></pw-camera-mode>`;
      case 'not-found':
        return html`<main class="not-found">
          <h1>Page not found</h1>
          <p class="muted">There is no page at ${location.pathname}.</p>
          <p><a class="button primary" href="/">Go to the start page</a></p>
        </main>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-app': PwApp;
  }
}
