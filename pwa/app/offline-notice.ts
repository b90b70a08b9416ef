import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { uiStyles } from './ui-styles.js';

/**
 * A thin bar at the top of the page while the browser is offline
 * (`navigator.onLine`, `online`/`offline` events): the app shell still works
 * from the service worker's cache, and the viewer and the camera reconnect by
 * themselves when the network is back.
 */
@customElement('pw-offline-notice')
export class PwOfflineNotice extends LitElement {
  static override styles = [
    uiStyles,
    css`
      .bar {
        padding: 0.45rem 1rem;
        background: var(--pw-surface-2);
        border-bottom: 1px solid var(--pw-border);
        color: var(--pw-text);
        font-size: 0.92rem;
        text-align: center;
      }
    `,
  ];

  @state() private offline = !navigator.onLine;

  private readonly onChange = () => (this.offline = !navigator.onLine);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onChange);
    window.addEventListener('offline', this.onChange);
    this.onChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onChange);
    window.removeEventListener('offline', this.onChange);
  }

  override render() {
    if (!this.offline) return nothing;
    return html`<p class="bar" role="status">
      <strong>You are offline.</strong> Peerwatch reconnects when the network is back.
    </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-offline-notice': PwOfflineNotice;
  }
}
