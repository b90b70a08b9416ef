import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { navigate } from '../app/router.js';
import { centeredPageStyles, uiStyles } from '../app/ui-styles.js';
import './sign-in.js';

/** Where joining stands: waiting for a sign-in, accepting, or refused (`message` is meant for people). */
type Joining = { kind: 'signing-in' } | { kind: 'joining' } | { kind: 'failed'; message: string };

/**
 * `/invite#<token>`: an invitation link. A signed-out person first signs in
 * or creates an account (`pw-sign-in`); then the invitation is accepted
 * (`POST /api/invites/accept`) and the viewer opens in the new household. A
 * used, revoked or expired invitation says so (the server's message).
 */
@customElement('pw-join-household')
export class PwJoinHousehold extends LitElement {
  static override styles = [
    uiStyles,
    centeredPageStyles,
    css`
      .card {
        width: min(100%, 26rem);
        display: grid;
        gap: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** The invitation token from the link's fragment. */
  @property() token = '';

  @state() private joining: Joining = { kind: 'signing-in' };

  private readonly onAuthChange = () => void this.joinOnceSignedIn();

  override connectedCallback(): void {
    super.connectedCallback();
    this.api.auth.addEventListener('change', this.onAuthChange);
    void this.joinOnceSignedIn();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.api.auth.removeEventListener('change', this.onAuthChange);
  }

  private async joinOnceSignedIn(): Promise<void> {
    if (this.api.auth.session === null || this.joining.kind !== 'signing-in') return;
    this.joining = { kind: 'joining' };
    try {
      await this.api.call('POST /api/invites/accept', { body: { token: this.token } });
      navigate('/viewer', { replace: true });
    } catch (error) {
      this.joining = { kind: 'failed', message: messageOf(error, 'The invitation could not be accepted.') };
    }
  }

  override render() {
    const joining = this.joining;
    switch (joining.kind) {
      case 'signing-in':
        return html`<pw-sign-in
          .api=${this.api}
          heading="You are invited to a Peerwatch household"
          intro="Sign in, or create an account, to join it."
        ></pw-sign-in>`;
      case 'joining':
        return html`<main><p class="card" role="status">Joining the household…</p></main>`;
      case 'failed':
        return html`<main>
          <section class="card">
            <h1>This invitation cannot be used</h1>
            <p class="error" role="alert">${joining.message}</p>
            <p><a class="button primary" href="/viewer">Open your cameras</a></p>
          </section>
        </main>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-join-household': PwJoinHousehold;
  }
}
