import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AccountSession, Role } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { loadOrFail, type Loadable } from '../app/loadable.js';
import { panelHeading } from '../app/panel-heading.js';
import { panelStyles, uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import type { DeviceDirectory } from './device-directory.js';
import { timeAgo } from './relative-time.js';

/** A form's progress: filled in, sent, done (with what to say), or refused (with the server's message). */
type FormState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'done'; message: string }
  | { kind: 'failed'; message: string };


/**
 * What deleting the account does to the household, as far as the panel can
 * tell: an owner alone takes the household with them; the last owner of
 * people must hand over first; anyone else leaves the cameras to the rest.
 */
type Departure = { kind: 'unknown' } | { kind: 'alone' } | { kind: 'last-owner' } | { kind: 'others-stay' };

const IDLE: FormState = { kind: 'idle' };

/**
 * "Account", for everyone signed in: change the password (every other
 * session is signed out; this one stays), the person's sessions ("This
 * device" marked; "Sign out <browser>", "Sign out all other sessions"),
 * "Leave household" (not for a person alone in it; not for its last owner
 * while others remain) and "Delete my account" (the password confirms it; what it does to the
 * household is said first). The server's error messages are shown as
 * alerts. After a deletion this browser forgets the session (the page
 * returns to sign-in). Fires `close`.
 */
@customElement('pw-account-panel')
export class PwAccountPanel extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    css`
      h3 {
        font-size: 1rem;
      }
      form,
      .part {
        display: grid;
        gap: 0.75rem;
        padding: 0.75rem;
        border: 1px solid var(--pw-border);
        border-radius: 10px;
      }
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
      }
      .this-device {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;
  /** The person's role in their household. */
  @property({ attribute: false }) householdRole: Role = 'viewer';

  @state() private password: FormState = IDLE;
  @state() private sessions: Loadable<AccountSession[]> = { kind: 'loading' };
  @state() private sessionProblem = '';
  @state() private deletion: FormState = IDLE;
  @state() private leaving: FormState = IDLE;
  @state() private departure: Departure = { kind: 'unknown' };

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadSessions();
    void this.loadDeparture();
  }

  private async loadSessions(): Promise<void> {
    this.sessions = await loadOrFail(() => this.api.call('GET /api/account/sessions', {}), 'Your sessions could not be loaded.');
  }

  /** Only an owner can be alone or the last owner; the members list tells which. */
  private async loadDeparture(): Promise<void> {
    if (this.householdRole !== 'owner') {
      this.departure = { kind: 'others-stay' };
      return;
    }
    try {
      const members = await this.api.call('GET /api/members', {});
      const owners = members.filter((member) => member.role === 'owner').length;
      this.departure = members.length === 1 ? { kind: 'alone' } : owners === 1 ? { kind: 'last-owner' } : { kind: 'others-stay' };
    } catch (error) {
      // Without the list the panel cannot say which; the server still refuses what may not be done.
      log.warn('account: the members could not be loaded', error);
      this.departure = { kind: 'unknown' };
    }
  }

  private async changePassword(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const currentPassword = String(data.get('current-password') ?? '');
    const newPassword = String(data.get('new-password') ?? '');
    if (newPassword !== String(data.get('repeat-password') ?? '')) {
      this.password = { kind: 'failed', message: 'The two new passwords differ; type the same one twice.' };
      return;
    }
    this.password = { kind: 'sending' };
    try {
      await this.api.call('PUT /api/account/password', { body: { currentPassword, newPassword } });
      form.reset();
      this.password = { kind: 'done', message: 'Your password was changed. Every other device was signed out.' };
      void this.loadSessions();
    } catch (error) {
      this.password = { kind: 'failed', message: messageOf(error, 'Your password could not be changed.') };
    }
  }

  private async signOut(session: AccountSession | 'others'): Promise<void> {
    this.sessionProblem = '';
    try {
      if (session === 'others') await this.api.call('DELETE /api/account/sessions', {});
      else await this.api.call('DELETE /api/account/sessions/:id', { params: { id: session.id } });
    } catch (error) {
      this.sessionProblem = messageOf(error, 'That session could not be signed out.');
    }
    void this.loadSessions();
  }

  /** Leaves the household; the page then follows the person into a household of their own (the server says `access-changed`). */
  private async leaveHousehold(): Promise<void> {
    this.leaving = { kind: 'sending' };
    try {
      await this.api.call('POST /api/account/leave', {});
      this.leaving = { kind: 'done', message: 'You left the household. You now have a household of your own: add a camera to start.' };
    } catch (error) {
      this.leaving = { kind: 'failed', message: messageOf(error, 'You could not leave the household.') };
    }
  }

  private async deleteAccount(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const password = String(new FormData(event.target as HTMLFormElement).get('delete-password') ?? '');
    this.deletion = { kind: 'sending' };
    try {
      await this.api.call('DELETE /api/account', { body: { password } });
      this.api.auth.clear();
    } catch (error) {
      this.deletion = { kind: 'failed', message: messageOf(error, 'Your account could not be deleted.') };
    }
  }

  override render() {
    return html`<section class="card" aria-labelledby="account-title">
      ${panelHeading(this, 'account-title', 'Account')}
      ${this.renderPassword()} ${this.renderSessions()} ${this.renderLeaving()} ${this.renderDeletion()}
    </section>`;
  }

  private renderPassword() {
    const state = this.password;
    return html`<form aria-labelledby="password-title" @submit=${this.changePassword}>
      <h3 id="password-title">Change password</h3>
      <div class="field">
        <label for="current-password">Current password</label>
        <input id="current-password" name="current-password" type="password" autocomplete="current-password" required />
      </div>
      <div class="field">
        <label for="new-password">New password</label>
        <input id="new-password" name="new-password" type="password" autocomplete="new-password" minlength="8" required />
      </div>
      <div class="field">
        <label for="repeat-password">New password again</label>
        <input id="repeat-password" name="repeat-password" type="password" autocomplete="new-password" minlength="8" required />
      </div>
      <p class="muted">At least 8 characters. Your other devices will be signed out; this one stays signed in.</p>
      ${this.formMessage(state)}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${state.kind === 'sending'}>Change password</button>
      </div>
    </form>`;
  }

  private renderSessions() {
    const state = this.sessions;
    return html`<div class="part" role="group" aria-labelledby="sessions-title">
      <h3 id="sessions-title">Where you are signed in</h3>
      ${this.sessionProblem ? html`<p class="error" role="alert">${this.sessionProblem}</p>` : nothing}
      ${state.kind === 'loading' ? html`<p class="muted" role="status">Loading your sessions…</p>` : nothing}
      ${state.kind === 'failed' ? html`<p class="error" role="alert">${state.message}</p>` : nothing}
      ${state.kind === 'loaded'
        ? html`<ul aria-label="Sessions">
              ${state.value.map((session) => this.renderSession(session))}
            </ul>
            ${state.value.some((session) => !session.current)
              ? html`<div class="row"><button @click=${() => void this.signOut('others')}>Sign out all other sessions</button></div>`
              : html`<p class="muted">You are signed in on this device only.</p>`}`
        : nothing}
    </div>`;
  }

  private renderSession(session: AccountSession) {
    const name = session.browser ?? 'Unknown browser';
    const used = session.lastUsedAtMs === null ? 'last use unknown' : `last used ${timeAgo(session.lastUsedAtMs)}`;
    const signedIn = session.createdAtMs === null ? '' : `, signed in ${new Date(session.createdAtMs).toLocaleString()}`;
    return html`<li>
      <span>
        ${session.current ? html`<span class="this-device">This device · </span>` : nothing}${name}
        <span class="muted">${session.address ? `from ${session.address}, ` : ''}${used}${signedIn}</span>
      </span>
      ${session.current
        ? nothing
        : html`<button aria-label="Sign out ${name} (${used})" @click=${() => void this.signOut(session)}>Sign out</button>`}
    </li>`;
  }

  /** "Leave this household", unless the person is alone in it (there is nothing to leave). */
  private renderLeaving() {
    if (this.departure.kind === 'alone') return nothing;
    const state = this.leaving;
    const lastOwner = this.departure.kind === 'last-owner';
    return html`<div class="part" role="group" aria-labelledby="leave-title">
      <h3 id="leave-title">Leave this household</h3>
      <p>
        ${lastOwner
          ? 'You are the household’s only owner. Make someone else an owner under Members first; then you can leave.'
          : 'You stop seeing its cameras, recordings and events at once, and get a household of your own. Your account stays.'}
      </p>
      ${this.formMessage(state)}
      <div class="row">
        <button
          class="danger"
          ?disabled=${lastOwner || state.kind === 'sending' || state.kind === 'done'}
          @click=${() => void this.leaveHousehold()}
        >
          Leave household
        </button>
      </div>
    </div>`;
  }

  private renderDeletion() {
    const state = this.deletion;
    return html`<form aria-labelledby="delete-title" @submit=${this.deleteAccount}>
      <h3 id="delete-title">Delete my account</h3>
      <p>${this.departureText()}</p>
      <div class="field">
        <label for="delete-password">Your password, to confirm</label>
        <input id="delete-password" name="delete-password" type="password" autocomplete="current-password" required />
      </div>
      ${this.formMessage(state)}
      <div class="row">
        <button class="danger" type="submit" ?disabled=${state.kind === 'sending' || this.departure.kind === 'last-owner'}>
          Delete my account
        </button>
      </div>
    </form>`;
  }

  private departureText(): string {
    const cameras = this.directory.list.length;
    switch (this.departure.kind) {
      case 'alone':
        return cameras === 0
          ? 'You are the only person in this household, so it goes with your account, with its events and notifications.'
          : `You are the only person in this household, so it goes with your account: its ${cameras === 1 ? 'camera' : `${cameras} cameras`} and all their recordings and events are deleted for good.`;
      case 'last-owner':
        return 'You are the household’s only owner. Make someone else an owner under Members first; then you can delete your account.';
      case 'others-stay':
        return 'You are signed out everywhere and your notifications stop. The cameras, recordings and events stay with the household.';
      case 'unknown':
        return 'You are signed out everywhere. A household’s last owner must make someone else owner first.';
    }
  }

  private formMessage(state: FormState) {
    if (state.kind === 'failed') return html`<p class="error" role="alert">${state.message}</p>`;
    if (state.kind === 'done') return html`<p class="notice" role="status">${state.message}</p>`;
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-account-panel': PwAccountPanel;
  }
}
