import { z } from 'zod';
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
};

/**
 * A notification, by kind: a camera offline past the grace period
 * (`camera-offline`), the same camera back (`camera-online`), or a camera
 * asked to record that cannot (`recording-problem`, with the reason).
 */
export const notificationContentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...notificationBase, ...notificationKinds.offline }),
  z.strictObject({ ...notificationBase, ...notificationKinds.online }),
  z.strictObject({ ...notificationBase, ...notificationKinds.problem }),
]);
export type NotificationContent = z.infer<typeof notificationContentSchema>;
export type NotificationKind = NotificationContent['kind'];

const readAtMs = z.number().int().nullable().describe('When this user marked it read, or null.');

/** A notification as one user's list shows it: with when that user read it. */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...notificationBase, ...notificationKinds.offline, readAtMs }),
  z.strictObject({ ...notificationBase, ...notificationKinds.online, readAtMs }),
  z.strictObject({ ...notificationBase, ...notificationKinds.problem, readAtMs }),
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
 * the older on screen, and the app URL a click opens.
 */
export const pushPayloadSchema = z.strictObject({
  notification: notificationContentSchema,
  tag: z.string(),
  url: z.string(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;
