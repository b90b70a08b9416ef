import type { MotionEventKind, NotificationContent, PushPayload } from '../../protocol/index.js';
import type { PushMessage, PushUrgency } from './push-sender.js';

/** Urgency (RFC 8030 §5.3) and how long a push service keeps a message for a browser that is away (§5.2 `TTL`), s. */
interface PushPolicy {
  urgency: PushUrgency;
  ttlS: number;
}

/**
 * The push policy of each kind. A camera going offline may mean it was
 * unplugged: high, kept an hour. A problem with recording stays true for a
 * while: normal, kept 6 h. Back online: normal. A battery low: high (the
 * camera may soon stop), kept an hour.
 */
export const PUSH_POLICY: Record<Exclude<NotificationContent['kind'], 'camera-event'>, PushPolicy> = {
  'camera-offline': { urgency: 'high', ttlS: 3_600 },
  'camera-online': { urgency: 'normal', ttlS: 3_600 },
  'recording-problem': { urgency: 'normal', ttlS: 6 * 3_600 },
  'battery-low': { urgency: 'high', ttlS: 3_600 },
};

/**
 * The push policy of an event: high (wake the phone), and kept only briefly,
 * since an alert about motion minutes ago is stale: motion 5 min, a person 15 min.
 */
export const EVENT_PUSH_POLICY: Record<MotionEventKind, PushPolicy> = {
  motion: { urgency: 'high', ttlS: 300 },
  person: { urgency: 'high', ttlS: 900 },
};

/** The on-screen tag of a camera's notifications: a newer one about the camera replaces the older. */
export const notificationTag = (deviceId: string) => `camera-${deviceId}`;

/** The app URL a click on the notification opens: an event's own view, else the viewer. */
export const notificationUrl = (notification: NotificationContent) =>
  notification.kind === 'camera-event' ? `/viewer?event=${encodeURIComponent(notification.eventId)}` : '/viewer';

/** The topic of a camera's messages about one subject: presence, recording, events, battery. */
const TOPIC_SUBJECT: Record<NotificationContent['kind'], string> = {
  'camera-offline': 'presence',
  'camera-online': 'presence',
  'recording-problem': 'recording',
  'camera-event': 'events',
  'battery-low': 'battery',
};

/**
 * The push message of a notification, with `image` (an event's thumbnail
 * link) when there is one. Its topic (RFC 8030 §5.4) is per camera and
 * subject (`<deviceId>-presence` for offline/online, `-recording`, `-events`, `-battery`),
 * so "back online" replaces an "offline" still waiting at the push service.
 */
export function pushMessageOf(notification: NotificationContent, image?: string): PushMessage {
  const payload: PushPayload = {
    notification,
    tag: notificationTag(notification.deviceId),
    url: notificationUrl(notification),
    ...(image ? { image } : {}),
  };
  const policy = notification.kind === 'camera-event' ? EVENT_PUSH_POLICY[notification.eventKind] : PUSH_POLICY[notification.kind];
  return { payload: JSON.stringify(payload), ...policy, topic: `${notification.deviceId}-${TOPIC_SUBJECT[notification.kind]}` };
}
