import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApiClient } from '../api/api-client.js';
import { panelStyles, uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import type { CameraChosenEvent } from './camera-list.js';
import { ViewerHousehold } from './household.js';
import type { OpenEventEvent } from './notification-bell.js';
import './recordings/recordings-view.js';
import './add-camera.js';
import './events-view.js';
import './camera-list.js';
import './dashboard-view.js';
import './live-tile.js';
import './notification-bell.js';
import './sign-in.js';

/**
 * The viewer: sign-in when signed out; otherwise the household's cameras
 * (live presence), "Add camera", and a wall of live tiles ("Watch <name>"
 * adds one camera, "Watch all" every online camera); each camera's "Record"
 * switch, and its recordings ("Recordings <name>"); the notification bell;
 * "Members" and "Audit log" for owners; the overview (dashboard) at the top for
 * owners and members; "Account" for everyone. What it offers follows the person's role
 * (`HouseholdAccount`); the server enforces it. When the server says the
 * person was removed from the household, the page stops everything and says
 * "You no longer have access".
 */
@customElement('pw-viewer-page')
export class PwViewerPage extends LitElement {
  static override styles = [
    uiStyles,
    panelStyles,
    css`
      header {
        position: sticky;
        top: 0;
        z-index: 1;
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        padding: 0.6rem max(1rem, env(safe-area-inset-left));
        background: color-mix(in srgb, var(--pw-surface) 92%, transparent);
        backdrop-filter: blur(8px);
        border-bottom: 1px solid var(--pw-border);
      }
      .account {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        min-width: 0;
      }
      .email {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: 0.92rem;
      }
      @media (max-width: 30rem) {
        .email {
          display: none;
        }
      }
      main {
        max-width: 72rem;
        margin: 0 auto;
        padding: 1.25rem 1rem 3rem;
        display: grid;
        gap: 2rem;
      }
      h2 {
        font-size: 1.25rem;
      }
      .wall {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
        gap: 1rem;
      }
      .wall.single {
        grid-template-columns: minmax(0, 52rem);
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;

  @state() private household: ViewerHousehold | null = null;
  @state() private adding = false;
  /** Device ids shown on the live wall, in the order they were opened. */
  @state() private watching: string[] = [];
  /** The camera whose recordings are open, if any. */
  @state() private recordingsOf: string | null = null;
  /** The event asked to open: by a notification (`/viewer?event=<id>`, read when the page opens) or pressed in the bell. */
  @state() private requestedEventId = new URL(location.href).searchParams.get('event');
  /** Whether the household's events are shown (at once when a notification opened the page at an event). */
  @state() private eventsOpen = this.requestedEventId !== null;
  /** The camera whose motion settings are open, if any. */
  @state() private settingsOf: string | null = null;
  /** Whether the Members panel is open. */
  @state() private membersOpen = false;
  /** Whether the Audit log panel is open. */
  @state() private auditOpen = false;
  /** Whether the Account panel is open. */
  @state() private accountOpen = false;
  /** True once the server said this person was removed from the household (until they sign in again). */
  @state() private accessLost = false;

  private readonly onAuthChange = () => this.follow();
  /** A closing page hangs up at once, so cameras count their viewers right (PeerJS closes calls on the remote side). */
  private readonly onPageHide = () => this.leave();
  /** Ends the listeners of the household shown now. */
  private householdListeners: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.api.auth.addEventListener('change', this.onAuthChange);
    window.addEventListener('pagehide', this.onPageHide);
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.api.auth.removeEventListener('change', this.onAuthChange);
    window.removeEventListener('pagehide', this.onPageHide);
    this.leave();
  }

  /** Starts or ends the household's services as the session comes and goes. */
  private follow(): void {
    const signedIn = this.api.auth.session !== null;
    if (signedIn && !this.household && !this.accessLost) {
      const household = new ViewerHousehold(this.api);
      const { directory, account } = household;
      const listeners = new AbortController();
      this.householdListeners = listeners;
      const { signal } = listeners;
      directory.on(
        'change',
        () => {
          this.watching = this.watching.filter((id) => directory.get(id) !== undefined);
          if (this.recordingsOf && !directory.get(this.recordingsOf)) this.recordingsOf = null;
          if (this.settingsOf && !directory.get(this.settingsOf)) this.settingsOf = null;
          this.requestUpdate();
        },
        signal,
      );
      directory.on(
        'household-event',
        (event) => {
          if (event.type === 'access-changed' && event.change === 'removed') this.lostAccess();
        },
        signal,
      );
      account.on('change', () => this.requestUpdate(), signal);
      household.start();
      this.household = household;
    } else if (!signedIn && this.household) {
      this.leave();
    }
  }

  private leave(): void {
    const household = this.household;
    if (!household) return;
    this.householdListeners?.abort();
    this.householdListeners = null;
    household.stop();
    this.household = null;
    this.watching = [];
    this.recordingsOf = null;
    this.settingsOf = null;
    this.eventsOpen = false;
    this.membersOpen = false;
    this.auditOpen = false;
    this.accountOpen = false;
    this.adding = false;
  }

  /** Shows the events with one of them open. */
  private openEvent(eventId: string): void {
    this.eventsOpen = true;
    this.requestedEventId = eventId;
  }

  /** Shows or hides the events; either way, the event a notification asked for has been seen. */
  private toggleEvents(): void {
    this.eventsOpen = !this.eventsOpen;
    this.requestedEventId = null;
  }

  /** Opens or closes the Members panel (owners only: its module is loaded when first opened). */
  private async toggleMembers(): Promise<void> {
    this.membersOpen = !this.membersOpen && (await loaded('Members', () => import('./members-panel.js')));
  }

  /** Opens or closes the Audit log panel (owners only: its module is loaded when first opened). */
  private async toggleAudit(): Promise<void> {
    this.auditOpen = !this.auditOpen && (await loaded('Audit log', () => import('./audit-panel.js')));
  }

  /** Opens or closes the Account panel (its module is loaded when first opened). */
  private async toggleAccount(): Promise<void> {
    this.accountOpen = !this.accountOpen && (await loaded('Account', () => import('./account-panel.js')));
  }

  /** The person was removed from the household: everything stops (live calls hang up) and the page says so. */
  private lostAccess(): void {
    this.accessLost = true;
    this.leave();
  }

  /** From the "no longer have access" notice to the sign-in form (the session has ended on the server). */
  private signInAgain(): void {
    this.accessLost = false;
    this.api.auth.clear();
    this.follow();
  }

  private watch(deviceId: string): void {
    if (!this.watching.includes(deviceId)) this.watching = [...this.watching, deviceId];
  }

  private watchAll(): void {
    const online = this.household?.directory.list.filter((device) => device.online).map((device) => device.id) ?? [];
    this.watching = [...this.watching, ...online.filter((id) => !this.watching.includes(id))];
  }

  /** Opens a camera's motion settings, loading their code first (it is not part of the initial bundle). */
  private async openSettings(deviceId: string): Promise<void> {
    try {
      await import('./motion-settings/motion-settings-view.js');
      this.settingsOf = deviceId;
    } catch (error) {
      log.error('viewer: the motion settings could not be loaded', error);
    }
  }

  /** Closes a camera's live tile (which hangs up its call) and tells the server, whose audit log ends the live view. */
  private hangUp(deviceId: string): void {
    this.watching = this.watching.filter((id) => id !== deviceId);
    this.tellHangUp([deviceId]);
  }

  private stopWatching(): void {
    this.tellHangUp(this.watching);
    this.watching = [];
  }

  /** Tells the server this page hung up on these cameras (best effort: the view also ends when signaling closes). */
  private tellHangUp(deviceIds: readonly string[]): void {
    const peerId = this.household?.session.peerId;
    if (!peerId) return;
    for (const deviceId of deviceIds) {
      this.api.hangUp(peerId, deviceId).catch((error: unknown) => log.warn('viewer: the hang-up could not be told', error));
    }
  }

  override render() {
    if (this.accessLost) {
      return html`<main>
        <section class="card" role="alert" aria-labelledby="access-lost-title">
          <h2 id="access-lost-title">You no longer have access</h2>
          <p>An owner of the household removed you, so its cameras are no longer shown here.</p>
          <div class="row"><button class="primary" @click=${this.signInAgain}>Sign in again</button></div>
        </section>
      </main>`;
    }
    const household = this.household;
    if (!household) return html`<pw-sign-in .api=${this.api}></pw-sign-in>`;
    const { directory, session, recordingStates, account } = household;
    const recordingsDevice = this.recordingsOf ? directory.get(this.recordingsOf) : undefined;
    const settingsDevice = this.settingsOf ? directory.get(this.settingsOf) : undefined;
    const anyOnline = directory.list.some((device) => device.online);
    return html`
      <header>
        <a class="brand" href="/viewer"><span class="brand-mark" aria-hidden="true"></span>Peerwatch</a>
        <div class="account">
          <span class="email muted">${this.api.auth.session?.user.email}</span>
          <pw-notification-bell
            .api=${this.api}
            .inbox=${household.inbox}
            .directory=${directory}
            @open-event=${(event: OpenEventEvent) => this.openEvent(event.eventId)}
          ></pw-notification-bell>
          <button aria-pressed=${this.eventsOpen} @click=${() => this.toggleEvents()}>Events</button>
          ${account.may('members')
            ? html`<button aria-pressed=${this.membersOpen} @click=${this.toggleMembers}>Members</button>`
            : nothing}
          ${account.may('audit')
            ? html`<button aria-pressed=${this.auditOpen} @click=${this.toggleAudit}>Audit log</button>`
            : nothing}
          <button aria-pressed=${this.accountOpen} @click=${this.toggleAccount}>Account</button>
          <button @click=${() => void this.api.logout()}>Sign out</button>
        </div>
      </header>
      <main>
        ${account.may('dashboard') ? html`<pw-dashboard .api=${this.api} .directory=${directory}></pw-dashboard>` : nothing}
        ${this.membersOpen && account.may('members')
          ? html`<pw-members-panel
              .api=${this.api}
              .directory=${directory}
              selfId=${account.current?.userId ?? ''}
              @close=${() => (this.membersOpen = false)}
            ></pw-members-panel>`
          : nothing}
        ${this.auditOpen && account.may('audit')
          ? html`<pw-audit-panel .api=${this.api} .directory=${directory} @close=${() => (this.auditOpen = false)}></pw-audit-panel>`
          : nothing}
        ${this.accountOpen && account.current
          ? html`<pw-account-panel
              .api=${this.api}
              .directory=${directory}
              .householdRole=${account.current.role}
              @close=${() => (this.accountOpen = false)}
            ></pw-account-panel>`
          : nothing}
        ${this.eventsOpen
          ? html`<pw-events-view
              .api=${this.api}
              .directory=${directory}
              .initialEventId=${this.requestedEventId}
              @close=${() => this.toggleEvents()}
            ></pw-events-view>`
          : nothing}
        ${this.watching.length > 0
          ? html`<section aria-labelledby="live-title">
              <div class="head">
                <h2 id="live-title">Live</h2>
                <button @click=${this.stopWatching}>Stop watching</button>
              </div>
              <div class="wall ${this.watching.length === 1 ? 'single' : ''}">
                ${repeat(this.watching, (id) => id, (id) => {
                  const device = directory.get(id);
                  return device
                    ? html`<pw-live-tile
                        .session=${session}
                        .device=${device}
                        .talker=${this.api.auth.session?.user.email ?? ''}
                        .controlStates=${household.controlStates}
                        .mayPause=${account.may('pause')}
                        .mayControl=${account.may('control')}
                        .lastMotion=${household.lastMotion}
                        @hang-up=${() => this.hangUp(id)}
                        @call-paused=${() => this.tellHangUp([id])}
                      ></pw-live-tile>`
                    : nothing;
                })}
              </div>
            </section>`
          : nothing}
        <section aria-labelledby="cameras-title">
          <div class="head">
            <h2 id="cameras-title">Cameras</h2>
            <div class="row">
              <button @click=${this.watchAll} ?disabled=${!anyOnline}>Watch all</button>
              ${account.may('cameras')
                ? html`<button class="primary" @click=${() => (this.adding = true)} ?disabled=${this.adding}>Add camera</button>`
                : nothing}
            </div>
          </div>
          ${session.state !== 'unsupported'
            ? nothing
            : html`<p class="muted" role="note">
                Live video needs WebRTC, which this browser lacks. Recordings and events work here.
              </p>`}
          ${this.adding
            ? html`<pw-add-camera
                .api=${this.api}
                .directory=${directory}
                @close=${() => (this.adding = false)}
              ></pw-add-camera>`
            : nothing}
          <pw-camera-list
            .directory=${directory}
            .recordingStates=${recordingStates}
            .lastMotion=${household.lastMotion}
            .controlStates=${household.controlStates}
            .watching=${new Set(this.watching)}
            ?mayControl=${account.may('control')}
            ?mayRemove=${account.may('cameras')}
            @watch=${(event: CameraChosenEvent) => this.watch(event.deviceId)}
            @recordings=${(event: CameraChosenEvent) => (this.recordingsOf = event.deviceId)}
            @motion-settings=${(event: CameraChosenEvent) => void this.openSettings(event.deviceId)}
          ></pw-camera-list>
        </section>
        ${settingsDevice
          ? keyed(
              settingsDevice.id,
              html`<pw-motion-settings
                .api=${this.api}
                .session=${session}
                .device=${settingsDevice}
                @close=${() => (this.settingsOf = null)}
              ></pw-motion-settings>`,
            )
          : nothing}
        ${recordingsDevice
          ? html`<pw-recordings-view
              .api=${this.api}
              .device=${recordingsDevice}
              .states=${recordingStates}
              @close=${() => (this.recordingsOf = null)}
            ></pw-recordings-view>`
          : nothing}
      </main>
    `;
  }
}

/** Loads a panel's module (not part of the initial bundle). @returns whether it loaded (a failure is logged). */
async function loaded(panel: string, load: () => Promise<unknown>): Promise<boolean> {
  try {
    await load();
    return true;
  } catch (error) {
    log.warn(`viewer: the ${panel} panel could not be loaded`, error);
    return false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-viewer-page': PwViewerPage;
  }
}
