import type { NotificationContent, NotificationPreferences, NotificationTopic, QuietHours } from '../../protocol/index.js';

/** The preference topic a notification belongs to ("back online" goes with "offline"). */
export function topicOf(notification: NotificationContent): NotificationTopic {
  switch (notification.kind) {
    case 'camera-event':
      return notification.eventKind;
    case 'camera-offline':
    case 'camera-online':
      return 'offline';
    case 'recording-problem':
      return 'recording-problem';
    case 'battery-low':
      return 'battery';
  }
}

/** Minutes since local midnight of `atMs` in `timeZone` (IANA), 0..1439. */
export function minuteOfDay(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(atMs);
  const value = (type: 'hour' | 'minute') => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Whether `atMs` falls in the quiet hours: from `start` (included) to `end`
 * (excluded), local time of their time zone; a start after the end spans midnight.
 */
export function inQuietHours(hours: QuietHours, atMs: number): boolean {
  const now = minuteOfDay(atMs, hours.timeZone);
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** Why a user's browsers get no push of a notification: topic off, camera muted, quiet hours; or null: they do. */
export type PushSkip = 'topic-off' | 'camera-muted' | 'quiet-hours' | null;

/** Whether a user with `preferences` is pushed `notification` at `atMs` (ms since epoch). */
export function pushSkip(preferences: NotificationPreferences, notification: NotificationContent, atMs: number): PushSkip {
  if (!preferences.topics[topicOf(notification)]) return 'topic-off';
  if (preferences.mutedDeviceIds.includes(notification.deviceId)) return 'camera-muted';
  if (preferences.quietHours && inQuietHours(preferences.quietHours, atMs)) return 'quiet-hours';
  return null;
}
