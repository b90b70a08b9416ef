import type { HouseholdEvent, UserNotification } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * The signed-in user's notification list as the viewer knows it
 * (`GET /api/notifications`, newest first, kept current by `notification`
 * events of the household stream), with the unread count, and the way to mark
 * them read. Emits `change` whenever the list or the count changes.
 */
export class NotificationInbox extends Emitter<{ change: void }> {
  private items: UserNotification[] = [];
  private unread = 0;

  constructor(private readonly api: ApiClient) {
    super();
  }

  get list(): readonly UserNotification[] {
    return this.items;
  }

  get unreadCount(): number {
    return this.unread;
  }

  /** Loads the list (after the stream (re)subscribed: events may have been missed). Keeps the old one if it fails. */
  async load(): Promise<void> {
    try {
      const { notifications, unreadCount } = await this.api.notifications();
      this.items = notifications;
      this.unread = unreadCount;
      this.emit('change');
    } catch (error) {
      log.warn('notifications: the list could not be loaded', error);
    }
  }

  /** Applies one household event (others are ignored). */
  apply(event: HouseholdEvent): void {
    if (event.type !== 'notification' || this.items.some((item) => item.id === event.notification.id)) return;
    this.items = [event.notification, ...this.items];
    this.unread += 1;
    this.emit('change');
  }

  /** Marks one read. @throws ApiRequestError */
  async markRead(id: string): Promise<void> {
    const item = this.items.find((candidate) => candidate.id === id);
    if (!item || item.readAtMs !== null) return;
    await this.api.markNotificationRead(id);
    this.items = this.items.map((candidate) => (candidate.id === id ? { ...candidate, readAtMs: Date.now() } : candidate));
    this.unread = Math.max(0, this.unread - 1);
    this.emit('change');
  }

  /** Marks every notification read. @throws ApiRequestError */
  async markAllRead(): Promise<void> {
    await this.api.markAllNotificationsRead();
    const nowMs = Date.now();
    this.items = this.items.map((item) => (item.readAtMs === null ? { ...item, readAtMs: nowMs } : item));
    this.unread = 0;
    this.emit('change');
  }
}
