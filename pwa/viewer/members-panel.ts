import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Invite, Member } from '../../protocol/index.js';
import { ROLES, type Role } from '../../protocol/roles.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { loadOrFail, type Loadable } from '../app/loadable.js';
import { panelHeading } from '../app/panel-heading.js';
import { panelStyles, uiStyles } from '../app/ui-styles.js';
import { qrCodeOf } from '../shared/qr-code.js';
import type { DeviceDirectory } from './device-directory.js';

/** The household's people as the panel knows them. */

/** The invitation being made. */
type Invitation =
  | { kind: 'choosing' }
  | { kind: 'creating' }
  | { kind: 'showing'; invite: Invite; qrDataUrl: string }
  | { kind: 'failed'; message: string };

/** A viewer's cameras: null for all of them, else the device ids. */
type Cameras = string[] | null;

const ROLE_NAMES: Record<Role, string> = { owner: 'Owner', member: 'Member', viewer: 'Viewer' };
const ROLE_HINTS: Record<Role, string> = {
  owner: 'everything, including people and cameras',
  member: 'watch, recordings, events, Record switch, camera names',
  viewer: 'watch live, recordings and events of the cameras given; changes nothing',
};

/**
 * "Members" (owners only; the server refuses anyone else): the household's
 * people (`GET /api/members`) with each one's role (a select, "Role of
 * <email>") and, for a viewer, their cameras ("All cameras for <email>" or
 * one checkbox per camera), "Remove <email>"; and "Create invite link"
 * (`POST /api/invites`) for a chosen role and cameras, shown as a link and a
 * QR code. Every change is sent at once; the server's answer is what the list
 * shows, and its error message is shown as an alert. Fires `close`.
 */
@customElement('pw-members-panel')
export class PwMembersPanel extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    css`
      h3 {
        font-size: 1rem;
      }
      ul {
        list-style: none;
        display: grid;
        gap: 0.75rem;
      }
      li,
      .invite {
        display: grid;
        gap: 0.5rem;
        padding: 0.75rem;
        border: 1px solid var(--pw-border);
        border-radius: 10px;
      }
      .cameras {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1rem;
      }
      .cameras label {
        display: inline-flex;
        gap: 0.35rem;
        align-items: center;
      }
      .link {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 1rem;
        align-items: center;
      }
      img {
        width: min(12rem, 60vw);
        height: auto;
        aspect-ratio: 1;
        image-rendering: pixelated;
        border-radius: 10px;
        background: #fff;
      }
      .url {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: 0.8rem;
        word-break: break-all;
        user-select: all;
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) directory!: DeviceDirectory;
  /** The signed-in owner's user id, marked "(you)" in the list. */
  @property() selfId = '';

  @state() private people: Loadable<Member[]> = { kind: 'loading' };
  @state() private invitation: Invitation = { kind: 'choosing' };
  @state() private inviteRole: Role = 'viewer';
  @state() private inviteCameras: Cameras = null;
  @state() private problem = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.people = await loadOrFail(() => this.api.call('GET /api/members', {}), 'The members could not be loaded.');
  }

  /** Sends a change of one person and shows the server's answer. */
  private async changeMember(member: Member, change: { role?: Role; deviceIds?: Cameras }): Promise<void> {
    this.problem = '';
    try {
      const updated = await this.api.call('PATCH /api/members/:userId', { params: { userId: member.userId }, body: change });
      this.replace(member.userId, updated);
    } catch (error) {
      this.problem = messageOf(error, 'That change could not be made.');
      void this.load();
    }
  }

  private async removeMember(member: Member): Promise<void> {
    this.problem = '';
    try {
      await this.api.call('DELETE /api/members/:userId', { params: { userId: member.userId } });
      this.replace(member.userId, undefined);
    } catch (error) {
      this.problem = messageOf(error, `${member.email} could not be removed.`);
    }
  }

  private replace(userId: string, member: Member | undefined): void {
    if (this.people.kind !== 'loaded') return;
    const members = this.people.value.flatMap((m) => (m.userId !== userId ? [m] : member ? [member] : []));
    this.people = { kind: 'loaded', value: members };
  }

  private async createInvite(): Promise<void> {
    this.invitation = { kind: 'creating' };
    try {
      const body = this.inviteRole === 'viewer' ? { role: this.inviteRole, deviceIds: this.inviteCameras } : { role: this.inviteRole };
      const invite = await this.api.call('POST /api/invites', { body });
      this.invitation = { kind: 'showing', invite, qrDataUrl: await qrCodeOf(invite.url) };
    } catch (error) {
      this.invitation = { kind: 'failed', message: messageOf(error, 'An invite link could not be made.') };
    }
  }

  override render() {
    return html`<section class="card" aria-labelledby="members-title">
      ${panelHeading(this, 'members-title', 'Members')}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing} ${this.renderPeople()}
      ${this.renderInvitation()}
    </section>`;
  }

  private renderPeople() {
    const people = this.people;
    if (people.kind === 'loading') return html`<p class="muted" role="status">Loading the members…</p>`;
    if (people.kind === 'failed') return html`<p class="error" role="alert">${people.message}</p>`;
    return html`<ul aria-label="Members">
      ${people.value.map(
        (member) => html`<li>
          <div class="row">
            <strong>${member.email}</strong>${member.userId === this.selfId ? html`<span class="muted">(you)</span>` : nothing}
          </div>
          <div class="row">
            ${this.roleSelect(`Role of ${member.email}`, member.role, (role) => void this.changeMember(member, { role }))}
            <button class="danger" aria-label="Remove ${member.email}" @click=${() => void this.removeMember(member)}>Remove</button>
          </div>
          ${member.role === 'viewer'
            ? this.cameraChoice(member.email, member.deviceIds, (deviceIds) => void this.changeMember(member, { deviceIds }))
            : nothing}
        </li>`,
      )}
    </ul>`;
  }

  private renderInvitation() {
    const invitation = this.invitation;
    return html`<div class="invite">
      <h3>Invite someone</h3>
      <div class="row">
        ${this.roleSelect('Role of the invited person', this.inviteRole, (role) => (this.inviteRole = role))}
        <button class="primary" ?disabled=${invitation.kind === 'creating'} @click=${() => void this.createInvite()}>
          Create invite link
        </button>
      </div>
      ${this.inviteRole === 'viewer'
        ? this.cameraChoice('the invited person', this.inviteCameras, (cameras) => (this.inviteCameras = cameras))
        : nothing}
      ${invitation.kind === 'failed' ? html`<p class="error" role="alert">${invitation.message}</p>` : nothing}
      ${invitation.kind === 'showing'
        ? html`<div class="link">
            <img src=${invitation.qrDataUrl} alt="Invitation QR code" width="512" height="512" />
            <div>
              <p>Send this link, or let them scan the code. It works once, until ${new Date(invitation.invite.expiresAtMs).toLocaleString()}.</p>
              <p class="url" aria-label="Invite link">${invitation.invite.url}</p>
            </div>
          </div>`
        : nothing}
    </div>`;
  }

  private roleSelect(label: string, role: Role, onChange: (role: Role) => void) {
    return html`<select
      aria-label=${label}
      .value=${role}
      @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value as Role)}
    >
      ${ROLES.map((r) => html`<option value=${r} ?selected=${r === role} title=${ROLE_HINTS[r]}>${ROLE_NAMES[r]}</option>`)}
    </select>`;
  }

  /** "All cameras for <whom>", else one checkbox per camera ("<camera> for <whom>"). */
  private cameraChoice(whom: string, cameras: Cameras, onChange: (cameras: Cameras) => void) {
    const devices = this.directory.list;
    const toggle = (deviceId: string, on: boolean) => {
      const chosen = new Set(cameras ?? []);
      if (on) chosen.add(deviceId);
      else chosen.delete(deviceId);
      onChange([...chosen]);
    };
    return html`<div class="cameras" role="group" aria-label="Cameras for ${whom}">
      <label>
        <input
          type="checkbox"
          .checked=${cameras === null}
          @change=${(event: Event) => onChange((event.target as HTMLInputElement).checked ? null : [])}
        />
        All cameras
      </label>
      ${cameras === null
        ? nothing
        : devices.map(
            (device) => html`<label>
              <input
                type="checkbox"
                .checked=${cameras.includes(device.id)}
                aria-label="${device.name} for ${whom}"
                @change=${(event: Event) => toggle(device.id, (event.target as HTMLInputElement).checked)}
              />
              ${device.name}
            </label>`,
          )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-members-panel': PwMembersPanel;
  }
}
