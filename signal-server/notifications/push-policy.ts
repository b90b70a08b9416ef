import type { NotificationContent, NotificationKind, PushPayload } from '../../protocol/index.js';
import type { PushMessage, PushUrgency } from './push-sender.js';

/**
 * How urgent each kind is and how long a push service keeps it for a browser
 * that is away (RFC 8030 §5.2 `TTL`, §5.3 `Urgency`), s. A camera going
 * offline may mean it was unplugged: high, kept an hour. A problem with
 * recording stays true for a while: normal, kept 6 h. Back online: normal.
 */
export const PUSH_POLICY: Record<NotificationKind, { urgency: PushUrgency; ttlS: number }> = {
  'camera-offline': { urgency: 'high', ttlS: 3_600 },
  'camera-online': { urgency: 'normal', ttlS: 3_600 },
  'recording-problem': { urgency: 'normal', ttlS: 6 * 3_600 },
};

/** The on-screen tag of a camera's notifications: a newer one about the camera replaces the older. */
export const notificationTag = (deviceId: string) => `camera-${deviceId}`;

/**
 * The push message of a notification. Its topic (RFC 8030 §5.4) is per camera
 * and subject (`<deviceId>-presence` for offline/online, `<deviceId>-recording`),
 * so "back online" replaces an "offline" still waiting at the push service.
 */
export function pushMessageOf(notification: NotificationContent): PushMessage {
  const payload: PushPayload = { notification, tag: notificationTag(notification.deviceId), url: '/viewer' };
  const subject = notification.kind === 'recording-problem' ? 'recording' : 'presence';
  return { payload: JSON.stringify(payload), ...PUSH_POLICY[notification.kind], topic: `${notification.deviceId}-${subject}` };
}
