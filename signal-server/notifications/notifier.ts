import type { Logger } from 'pino';
import { DEFAULT_NOTIFICATION_PREFERENCES, type NotificationContent } from '../../protocol/index.js';
import type { EventHub } from '../events/event-hub.js';
import type { Store } from '../store/store.js';
import { pushSkip } from './push-filter.js';
import { pushMessageOf } from './push-policy.js';
import type { PushSender } from './push-sender.js';

/**
 * Tells a household's users about something: keeps the notification in their
 * list (the store), publishes it live on the household stream (`notification`
 * event) and pushes it to the browsers its users enabled — unless the camera
 * is snoozed for the household, or a user's preferences (topics, muted
 * cameras, quiet hours) say no for that user's browsers. Nothing here waits
 * for a push service.
 */
export class Notifier {
  constructor(
    private readonly deps: { store: Store; hub: EventHub; sender: PushSender; logger: Logger },
  ) {}

  /**
   * @param image a link to an image for the push (an event's thumbnail), if any
   * @throws Error (from the store) when the notification cannot be kept; push failures are the sender's (logged).
   */
  async notify(householdId: string, notification: NotificationContent, image?: string): Promise<void> {
    const { store, hub, sender, logger } = this.deps;
    await store.notifications.insert(householdId, notification);
    hub.publish(householdId, { type: 'notification', notification: { ...notification, readAtMs: null } });
    const nowMs = Date.now();
    const snoozed = (await store.cameraSnoozes.listActive(householdId, nowMs)).some((s) => s.deviceId === notification.deviceId);
    // Only the subscriptions of people who may see the camera.
    const subscriptions = snoozed ? [] : await store.pushSubscriptions.listByHousehold(householdId, notification.deviceId);
    const preferences = subscriptions.length > 0 ? await store.notificationPreferences.listByHousehold(householdId) : new Map();
    const message = pushMessageOf(notification, image);
    let pushes = 0;
    for (const subscription of subscriptions) {
      if (pushSkip(preferences.get(subscription.userId) ?? DEFAULT_NOTIFICATION_PREFERENCES, notification, nowMs)) continue;
      void sender.send(subscription, message);
      pushes++;
    }
    logger.info(
      { notificationId: notification.id, kind: notification.kind, deviceId: notification.deviceId, snoozed, pushes },
      'notification',
    );
  }
}
