import { z } from 'zod';
import { motionEventKindSchema } from './motion-events.js';
import { recordingProblemSchema } from './recordings.js';

// Notifications: the in-app list of a household's notable moments, and the same
// items as Web Push messages (RFC 8030 delivery, RFC 8291 message encryption,
// RFC 8292 VAPID) to every browser its users enabled.

/** A base64url string without padding (RFC 4648 §5), as the Push API gives keys. */
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');

/** `GET /api/push/key`: the server's VAPID public key (RFC 8292 §3.2), for `PushManager.subscribe({applicationServerKey})`. */
export const pushKeySchema = z.strictObject({
  publicKey: base64url.describe('Uncompressed P-256 point (65 bytes), base64url.'),
});
export type PushKey = z.infer<typeof pushKeySchema>;

/** A browser's `PushSubscription.toJSON()` (W3C Push API §3.3). */
export const browserPushSubscriptionSchema = z.object({
  endpoint: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .describe('The push service URL of this subscription (HTTPS).'),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: base64url.max(200).describe('The browser’s P-256 ECDH public key (RFC 8291 §3.1), base64url.'),
    auth: base64url.max(100).describe('The 16-byte authentication secret (RFC 8291 §3.2), base64url.'),
  }),
});
export type BrowserPushSubscription = z.infer<typeof browserPushSubscriptionSchema>;

/** `POST /api/push/subscriptions`: this browser's subscription and a name for it. */
export const createPushSubscriptionRequestSchema = z.strictObject({
  subscription: browserPushSubscriptionSchema,
  name: z.string().trim().min(1).max(60).describe('The device and browser, e.g. "Pixel 7 · Chrome".'),
});
export type CreatePushSubscriptionRequest = z.infer<typeof createPushSubscriptionRequestSchema>;

/** A browser that receives the user's push notifications. */
export const pushSubscriptionSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  createdAtMs: z.number().int(),
  lastUsedAtMs: z.number().int().nullable().describe('When a push last reached its push service, or null if never.'),
});
export type PushSubscriptionInfo = z.infer<typeof pushSubscriptionSchema>;
export const pushSubscriptionListSchema = z.array(pushSubscriptionSchema);

/** Path parameters naming a push subscription. */
export const pushSubscriptionParamsSchema = z.object({ id: z.string().max(64) });

/** What every notification says: about which camera, when, and the text shown. */
const notificationBase = {
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  title: z.string(),
  body: z.string(),
  createdAtMs: z.number().int(),
};

/** The fields of each kind of notification besides the common ones. */
const notificationKinds = {
  /** A camera offline for longer than the grace period. */
  offline: { kind: z.literal('camera-offline'), offlineSinceMs: z.number().int() },
  /** A camera reported offline is back. */
  online: { kind: z.literal('camera-online'), offlineForMs: z.number().int() },
  /** A camera asked to record reports that it cannot, and why. */
  problem: { kind: z.literal('recording-problem'), problem: recordingProblemSchema },
  /**
   * A camera on its battery needs a charger (`battery-alarm.ts`): below 20 %
   * (`low`) or not charging for more than 10 min (`not-charging`). Once per
   * episode: not again until the camera charged or its battery is fine.
   */
  battery: {
    kind: z.literal('battery-low'),
    alarm: z.enum(['low', 'not-charging']),
    batteryLevel: z.number().min(0).max(1).describe('The battery level reported, 0–1.'),
    notChargingForMs: z.number().int().min(0).describe('How long the camera had run on its battery, ms.'),
  },
  /**
   * A camera saw motion or a person: the event (the newest, when a burst of
   * them within the camera's cooldown was folded into one notification) and
   * how many events the notification tells of.
   */
  event: {
    kind: z.literal('camera-event'),
    eventId: z.string(),
    eventKind: motionEventKindSchema,
    eventCount: z.number().int().min(1).describe('Events this notification tells of (more than 1 for a folded burst).'),
  },
};

/**
 * A notification, by kind: a camera offline past the grace period
 * (`camera-offline`), the same camera back (`camera-online`), a camera
 * asked to record that cannot (`recording-problem`, with the reason), a
 * camera that saw motion or a person (`camera-event`), or a camera whose
 * battery needs a charger (`battery-low`).
 */
export const notificationContentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...notificationBase, ...notificationKinds.offline }),
  z.strictObject({ ...notificationBase, ...notificationKinds.online }),
  z.strictObject({ ...notificationBase, ...notificationKinds.problem }),
  z.strictObject({ ...notificationBase, ...notificationKinds.event }),
  z.strictObject({ ...notificationBase, ...notificationKinds.battery }),
]);
export type NotificationContent = z.infer<typeof notificationContentSchema>;
export type NotificationKind = NotificationContent['kind'];

const readAtMs = z.number().int().nullable().describe('When this user marked it read, or null.');

/** A notification as one user's list shows it: with when that user read it. */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...notificationBase, ...notificationKinds.offline, readAtMs }),
  z.strictObject({ ...notificationBase, ...notificationKinds.online, readAtMs }),
  z.strictObject({ ...notificationBase, ...notificationKinds.problem, readAtMs }),
  z.strictObject({ ...notificationBase, ...notificationKinds.event, readAtMs }),
  z.strictObject({ ...notificationBase, ...notificationKinds.battery, readAtMs }),
]);
export type UserNotification = z.infer<typeof notificationSchema>;

/** `GET /api/notifications`: the newest notifications first, and how many of all are unread. */
export const notificationListSchema = z.strictObject({
  notifications: z.array(notificationSchema),
  unreadCount: z.number().int(),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

/** Path parameters naming a notification. */
export const notificationParamsSchema = z.object({ id: z.string().max(64) });

/**
 * The JSON a push message carries (decrypted by the service worker): the
 * notification, the tag that makes a newer one about the same camera replace
 * the older on screen, the app URL a click opens (an event's notification
 * opens that event) and, for an event, its thumbnail as a short-lived link.
 */
export const pushPayloadSchema = z.strictObject({
  notification: notificationContentSchema,
  tag: z.string(),
  url: z.string(),
  image: z.url().optional().describe('The event’s thumbnail with a short-lived `?token=`, for the notification’s image.'),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

/**
 * What a user can choose to be pushed about: motion, a person, a camera
 * offline (and back), a camera that cannot record, a camera's battery low.
 */
export const notificationTopicSchema = z.enum(['motion', 'person', 'offline', 'recording-problem', 'battery']);
export type NotificationTopic = z.infer<typeof notificationTopicSchema>;

/** A local time of day, `HH:MM` (24 h). */
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00–23:59)');

/** Whether `Intl` knows a time zone name (IANA, e.g. `Europe/Berlin`). */
function knownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Hours in which the user's browsers get no pushes (the in-app list still
 * gets everything): from `start` to `end`, local time of `timeZone`; a span
 * past midnight (22:00–07:00) is allowed.
 */
export const quietHoursSchema = z
  .strictObject({
    start: timeOfDay,
    end: timeOfDay,
    timeZone: z.string().max(64).refine(knownTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
  })
  .refine((hours) => hours.start !== hours.end, { message: 'must differ from start', path: ['end'] })
  .describe('Local times (HH:MM) in the user’s time zone; start after end spans midnight.');
export type QuietHours = z.infer<typeof quietHoursSchema>;

/**
 * One user's push preferences, kept on the server: which topics, which
 * cameras not (`mutedDeviceIds`: a camera paired later is pushed about), and
 * quiet hours (null: none).
 */
export const notificationPreferencesSchema = z
  .strictObject({
    topics: z.strictObject({
      motion: z.boolean(),
      person: z.boolean(),
      offline: z.boolean(),
      'recording-problem': z.boolean(),
      battery: z.boolean().default(true).describe('A camera’s battery low; true when left out (it came after the others).'),
    }),
    mutedDeviceIds: z.array(z.string().max(64)).max(500).describe('Cameras this user gets no pushes about.'),
    quietHours: quietHoursSchema.nullable(),
  })
  .describe('What the user’s browsers are pushed about.');
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** A user's preferences before they change any: every topic, every camera, no quiet hours. */
export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  topics: { motion: true, person: true, offline: true, 'recording-problem': true, battery: true },
  mutedDeviceIds: [],
  quietHours: null,
};

/** How long a camera's pushes are snoozed: 30 min, 1 h, 8 h, or until someone turns them back on. */
export const snoozeLengthSchema = z.enum(['30m', '1h', '8h', 'until-resumed']);
export type SnoozeLength = z.infer<typeof snoozeLengthSchema>;

/** Body of `PUT /api/devices/:id/notification-snooze`. */
export const snoozeRequestSchema = z.strictObject({ length: snoozeLengthSchema });

/** A camera whose pushes are snoozed for the whole household. */
export const cameraSnoozeSchema = z
  .strictObject({
    deviceId: z.string(),
    snoozedAtMs: z.number().int(),
    untilMs: z.number().int().nullable().describe('When pushes resume, ms since the epoch; null: until turned back on.'),
  })
  .describe('A camera snoozed for the household.');
export type CameraSnooze = z.infer<typeof cameraSnoozeSchema>;
export const cameraSnoozeListSchema = z.array(cameraSnoozeSchema);
