import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { centeredPageStyles, uiStyles } from '../app/ui-styles.js';

/**
 * Sign in or create an account (a new account owns a household of its own). The server's
 * error message is shown as an alert. On success the session lands in
 * `AuthState`, which the viewer page follows.
 */
@customElement('pw-sign-in')
export class PwSignIn extends LitElement {
  static override styles = [
    uiStyles,
    centeredPageStyles,
    css`
      form {
        width: min(100%, 26rem);
        display: grid;
        gap: 1rem;
      }
      h1 {
        font-size: 1.5rem;
      }
      .actions {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  /** The form's heading. */
  @property() heading = 'Watch your cameras';
  /** The line under the heading. */
  @property() intro = 'Sign in, or create an account for your household.';

  @state() private problem = '';
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const creating = (event.submitter as HTMLButtonElement | null)?.value === 'create';
    this.busy = true;
    this.problem = '';
    try {
      if (creating) await this.api.register(email, password);
      else await this.api.login(email, password);
    } catch (error) {
      this.problem = messageOf(error, 'That did not work. Try again.');
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<main>
      <form class="card" @submit=${this.submit}>
        <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>Peerwatch</a>
        <div>
          <h1>${this.heading}</h1>
          <p class="muted">${this.intro}</p>
        </div>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" value="login" ?disabled=${this.busy}>Sign in</button>
          <button type="submit" value="create" ?disabled=${this.busy}>Create account</button>
        </div>
        <p class="muted">New accounts need a password of at least 8 characters.</p>
      </form>
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-sign-in': PwSignIn;
  }
}
