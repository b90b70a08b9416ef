import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { messageOf } from '../app/error-message.js';
import { uiStyles } from '../app/ui-styles.js';
import { log } from '../shared/logger.js';
import type { DeviceDirectory } from './device-directory.js';
import type { NotificationInbox } from './notification-inbox.js';
import { enablePush, pushAvailability, type PushAvailability } from './push-enrolment.js';
import { timeAgo } from './relative-time.js';

/** What the push control says for each availability (nothing for `ready`: it shows its button). */
const AVAILABILITY_TEXT: Record<Exclude<PushAvailability, 'ready'>, string> = {
  unsupported: 'This browser cannot show notifications from Peerwatch.',
  'needs-install': 'On iPhone and iPad, add Peerwatch to the Home Screen (Share → Add to Home Screen) and open it from there to get notifications.',
  denied: 'Notifications are blocked for Peerwatch in this browser’s settings.',
  enabled: 'This device gets notifications.',
};

/** Sent (bubbling, composed) when an event's notification is pressed in the list: open that event. */
export class OpenEventEvent extends Event {
  constructor(readonly eventId: string) {
    super('open-event', { bubbles: true, composed: true });
  }
}

/**
 * The viewer's bell: the unread count, and when pressed the notification list
 * (newest first; pressing one marks it read, and an event's also opens that
 * event: `OpenEventEvent`; "Mark all read"), with the
 * "Enable notifications on this device" control, which asks the browser's
 * permission only when pressed, and "Notification settings" (kinds,
 * cameras, quiet hours, snoozes; `pw-notification-settings`).
 */
@customElement('pw-notification-bell')
export class PwNotificationBell extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        position: relative;
      }
      .count {
        display: inline-block;
        min-width: 1.2rem;
        margin-left: 0.3rem;
        padding: 0 0.3rem;
        border-radius: 0.6rem;
        background: var(--pw-danger, #c62828);
        color: white;
        font-size: 0.8rem;
      }
      [role='dialog'] {
        position: absolute;
        right: 0;
        top: calc(100% + 0.4rem);
        width: min(22rem, 90vw);
        max-height: 70vh;
        overflow: auto;
        padding: 0.75rem;
        display: grid;
        gap: 0.6rem;
        background: var(--pw-surface);
        border: 1px solid var(--pw-border);
        border-radius: 0.5rem;
        box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.2);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.4rem;
      }
      li button {
        width: 100%;
        text-align: left;
        display: grid;
        gap: 0.15rem;
      }
      li.unread button {
        border-left: 3px solid var(--pw-accent, #1565c0);
      }
    `,
  ];

  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) inbox!: NotificationInbox;
  @property({ attribute: false }) directory!: DeviceDirectory;

  @state() private open = false;
  /** Whether the dialog shows the notification settings instead of the list. */
  @state() private settingsOpen = false;
  @state() private availability: PushAvailability | null = null;
  @state() private problem: string | null = null;
  private offChange: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.offChange = this.inbox.on('change', () => this.requestUpdate());
    pushAvailability().then(
      (availability) => (this.availability = availability),
      (error: unknown) => log.warn('notifications: push availability unknown', error),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offChange?.();
    this.offChange = null;
  }

  private async act(action: () => Promise<unknown>, fallback: string): Promise<void> {
    this.problem = null;
    try {
      await action();
    } catch (error) {
      log.warn('notifications:', fallback, error);
      this.problem = messageOf(error, fallback);
    }
  }

  /** An item pressed: it is read; an event's notification also opens that event (and the list closes). */
  private pressed(item: NotificationInbox['list'][number]): void {
    void this.act(() => this.inbox.markRead(item.id), 'Could not mark it read.');
    if (item.kind !== 'camera-event') return;
    this.open = false;
    this.dispatchEvent(new OpenEventEvent(item.eventId));
  }

  /** Shows or hides the settings; their code loads the first time (it stays out of the app's first download). */
  private toggleSettings(): void {
    this.settingsOpen = !this.settingsOpen;
    if (this.settingsOpen) {
      import('./notification-settings.js').catch((error: unknown) => {
        log.warn('notifications: the settings could not be loaded', error);
        this.problem = messageOf(error, 'The notification settings could not be loaded.');
      });
    }
  }

  private enable(): Promise<void> {
    return this.act(async () => (this.availability = await enablePush(this.api)), 'Notifications could not be turned on.');
  }

  override render() {
    const unread = this.inbox.unreadCount;
    const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
    return html`
      <button aria-label=${label} aria-expanded=${this.open} @click=${() => (this.open = !this.open)}>
        <span aria-hidden="true">🔔</span>${unread > 0 ? html`<span class="count" aria-hidden="true">${unread}</span>` : nothing}
      </button>
      ${this.open ? this.renderPanel() : nothing}
    `;
  }

  private renderPanel() {
    const items = this.inbox.list;
    return html`<div role="dialog" aria-label="Notifications">
      <div class="row">
        <button @click=${() => void this.act(() => this.inbox.markAllRead(), 'Could not mark them read.')} ?disabled=${this.inbox.unreadCount === 0}>
          Mark all read
        </button>
        ${this.availability === 'ready'
          ? html`<button class="primary" @click=${() => void this.enable()}>Enable notifications on this device</button>`
          : nothing}
      </div>
      ${this.availability && this.availability !== 'ready' ? html`<p class="muted" role="status">${AVAILABILITY_TEXT[this.availability]}</p>` : nothing}
      ${this.problem ? html`<p role="alert">${this.problem}</p>` : nothing}
      <button aria-expanded=${this.settingsOpen} @click=${() => this.toggleSettings()}>Notification settings</button>
      ${this.settingsOpen
        ? html`<pw-notification-settings .api=${this.api} .directory=${this.directory}></pw-notification-settings>`
        : this.renderList(items)}
    </div>`;
  }

  private renderList(items: NotificationInbox['list']) {
    return html`${items.length === 0
        ? html`<p class="muted">No notifications yet.</p>`
        : html`<ul aria-label="Notification list">
            ${items.map(
              (item) => html`<li class=${item.readAtMs === null ? 'unread' : ''}>
                <button @click=${() => this.pressed(item)}>
                  <strong>${item.title}</strong>
                  <span>${item.body}</span>
                  <span class="muted">${timeAgo(item.createdAtMs)}${item.readAtMs === null ? ' · unread' : ''}</span>
                </button>
              </li>`,
            )}
          </ul>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-notification-bell': PwNotificationBell;
  }
}
