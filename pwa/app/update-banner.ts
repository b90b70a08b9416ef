import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { uiStyles } from './ui-styles.js';

/**
 * A small banner at the bottom of the screen, "Update available — Reload",
 * shown while a new version of the app waits (`activate` set, see
 * `registerServiceWorker`). "Reload" calls `activate`; "Later" hides the
 * banner until the next new version. The app never reloads on its own.
 */
@customElement('pw-update-banner')
export class PwUpdateBanner extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        position: fixed;
        z-index: 10;
        left: 50%;
        bottom: max(1rem, env(safe-area-inset-bottom));
        transform: translateX(-50%);
        width: max-content;
        max-width: calc(100vw - 2rem);
      }
      .banner {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.5rem 0.5rem 0.5rem 1rem;
        border: 1px solid var(--pw-border);
        border-radius: var(--pw-radius);
        background: var(--pw-surface);
        box-shadow: var(--pw-shadow);
      }
      .text {
        font-weight: 600;
      }
    `,
  ];

  /** Switches to the waiting version (and reloads); null while there is none. */
  @property({ attribute: false }) activate: (() => void) | null = null;

  @state() private reloading = false;

  private reload(): void {
    this.reloading = true;
    this.activate?.();
  }

  override render() {
    if (!this.activate) return nothing;
    return html`<div class="banner" role="status">
      <span class="text">Update available</span>
      <button class="primary" ?disabled=${this.reloading} @click=${this.reload}>Reload</button>
      <button ?disabled=${this.reloading} @click=${() => (this.activate = null)}>Later</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-update-banner': PwUpdateBanner;
  }
}
