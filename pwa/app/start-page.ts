import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { uiStyles } from './ui-styles.js';
import { navigate } from './router.js';

/** The start page of a device that is neither paired nor signed in: become a viewer or a camera. */
@customElement('pw-start-page')
export class PwStartPage extends LitElement {
  static override styles = [
    uiStyles,
    css`
      main {
        max-width: 46rem;
        margin: 0 auto;
        padding: 3rem 1.25rem 2rem;
        display: grid;
        gap: 2rem;
      }
      header {
        display: grid;
        gap: 0.75rem;
      }
      h1 {
        font-size: clamp(1.8rem, 5vw, 2.5rem);
        letter-spacing: -0.02em;
      }
      .lead {
        font-size: 1.1rem;
      }
      .choices {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 1rem;
      }
      .choice {
        display: grid;
        gap: 0.75rem;
        align-content: start;
      }
      .choice .button {
        justify-self: start;
      }
      .icon {
        width: 2.5rem;
        height: 2.5rem;
        padding: 0.45rem;
        border-radius: 10px;
        background: var(--pw-accent-soft);
        fill: none;
        stroke: var(--pw-accent);
        stroke-width: 1.7;
        stroke-linecap: round;
        stroke-linejoin: round;
      }
    `,
  ];

  override render() {
    return html`<main>
      <header>
        <span class="brand"><span class="brand-mark" aria-hidden="true"></span>Peerwatch</span>
        <h1>Your own cameras, on any browser.</h1>
        <p class="lead muted">
          Turn an old phone or laptop into a camera and watch it live from anywhere else. Video goes straight between
          your devices.
        </p>
      </header>
      <div class="choices">
        <section class="card choice">
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <rect x="2.5" y="4" width="19" height="12.5" rx="2" />
            <path d="M8 20h8M12 16.5V20" />
          </svg>
          <h2>Watch</h2>
          <p class="muted">Sign in to see your cameras live, add new ones and manage them.</p>
          <button class="button primary" @click=${() => navigate('/viewer')}>Watch cameras</button>
        </section>
        <section class="card choice">
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M4 7.5h3l1.6-2.5h6.8L17 7.5h3a1.5 1.5 0 0 1 1.5 1.5v9A1.5 1.5 0 0 1 20 19.5H4A1.5 1.5 0 0 1 2.5 18V9A1.5 1.5 0 0 1 4 7.5Z" />
            <circle cx="12" cy="13" r="3.6" />
          </svg>
          <h2>Be a camera</h2>
          <p class="muted">Pair this device with your household by scanning the code shown on your viewer.</p>
          <button class="button" @click=${() => navigate('/camera')}>Use this device as a camera</button>
        </section>
      </div>
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-start-page': PwStartPage;
  }
}
