import type { Logger } from 'pino';
import type { NotificationContent } from '../../protocol/index.js';
import type { EventHub } from '../events/event-hub.js';
import type { Store } from '../store/store.js';
import { pushMessageOf } from './push-policy.js';
import type { PushSender } from './push-sender.js';

/**
 * Tells a household's users about something: keeps the notification in their
 * list (the store), publishes it live on the household stream (`notification`
 * event) and pushes it to every browser any of them enabled. Nothing here
 * waits for a push service.
 */
export class Notifier {
  constructor(
    private readonly deps: { store: Store; hub: EventHub; sender: PushSender; logger: Logger },
  ) {}

  /** @throws Error (from the store) when the notification cannot be kept; push failures are the sender's (logged). */
  async notify(householdId: string, notification: NotificationContent): Promise<void> {
    const { store, hub, sender, logger } = this.deps;
    await store.notifications.insert(householdId, notification);
    hub.publish(householdId, { type: 'notification', notification: { ...notification, readAtMs: null } });
    const message = pushMessageOf(notification);
    const subscriptions = await store.pushSubscriptions.listByHousehold(householdId, notification.deviceId);
    for (const subscription of subscriptions) void sender.send(subscription, message);
    logger.info(
      { notificationId: notification.id, kind: notification.kind, deviceId: notification.deviceId, pushes: subscriptions.length },
      'notification',
    );
  }
}
