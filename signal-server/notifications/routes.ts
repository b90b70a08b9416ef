import { DEFAULT_NOTIFICATION_PREFERENCES, type PushSubscriptionInfo, type SnoozeLength } from '../../protocol/index.js';
import type { ContractRouter } from '../http/contract-router.js';
import { ApiError, notFound } from '../http/errors.js';
import type { PushSubscriptionRecord, Store } from '../store/store.js';
import { newId } from '../util/ids.js';

/** Longest notification list answered, newest first. */
export const NOTIFICATION_LIST_LIMIT = 100;

/** How long each snooze length lasts, ms; null: until turned back on. */
export const SNOOZE_MS: Record<SnoozeLength, number | null> = {
  '30m': 30 * 60_000,
  '1h': 3_600_000,
  '8h': 8 * 3_600_000,
  'until-resumed': null,
};

/** The public view of a subscription (never its endpoint or keys). */
function toInfo(record: PushSubscriptionRecord): PushSubscriptionInfo {
  return { id: record.id, name: record.name, createdAtMs: record.createdAtMs, lastUsedAtMs: record.lastUsedAtMs };
}

/**
 * The notification routes (signed-in users only):
 *
 * - `GET /api/push/key` → the VAPID public key browsers subscribe with.
 * - `POST /api/push/subscriptions` → 201: this browser receives the user's pushes
 *   (400 `push_endpoint_refused` for an endpoint `endpointProblem` refuses).
 * - `GET /api/push/subscriptions`, `DELETE /api/push/subscriptions/:id` → 204: the user's browsers.
 * - `GET /api/notifications` → the household's notifications with this user's read state.
 * - `POST /api/notifications/read`, `POST /api/notifications/:id/read` → 204.
 * - `GET`/`PUT /api/notifications/preferences`: this user's topics, muted cameras, quiet hours.
 * - `GET /api/notifications/snoozes`, `PUT`/`DELETE /api/devices/:id/notification-snooze`:
 *   the household's snoozed cameras (another household's camera answers 404).
 */
export function notificationRoutes(
  api: ContractRouter,
  deps: { store: Store; vapidPublicKey: string; endpointProblem: (endpoint: string) => string | null },
): void {
  const { store } = deps;

  api.handle('GET /api/push/key', ({ reply }) => reply(200, { publicKey: deps.vapidPublicKey }));

  api.handle('POST /api/push/subscriptions', async ({ principal, body: { subscription, name }, reply }) => {
    const problem = deps.endpointProblem(subscription.endpoint);
    if (problem) throw new ApiError(400, 'push_endpoint_refused', `This push endpoint is refused: ${problem}.`);
    const stored = await store.pushSubscriptions.upsert({
      id: newId(),
      userId: principal.userId,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      name,
      createdAtMs: Date.now(),
      lastUsedAtMs: null,
    });
    reply(201, toInfo(stored));
  });

  api.handle('GET /api/push/subscriptions', async ({ principal, reply }) => {
    reply(200, (await store.pushSubscriptions.listByUser(principal.userId)).map(toInfo));
  });

  api.handle('DELETE /api/push/subscriptions/:id', async ({ principal, params, reply }) => {
    if (!(await store.pushSubscriptions.delete(params.id, principal.userId))) throw notFound('Push subscription');
    reply(204);
  });

  api.handle('GET /api/notifications', async ({ principal, reply }) => {
    reply(200, await store.notifications.listForUser(principal.householdId, principal.userId, NOTIFICATION_LIST_LIMIT));
  });

  api.handle('POST /api/notifications/read', async ({ principal, reply }) => {
    await store.notifications.markAllRead(principal.householdId, principal.userId, Date.now());
    reply(204);
  });

  api.handle('POST /api/notifications/:id/read', async ({ principal, params, reply }) => {
    const found = await store.notifications.markRead(principal.householdId, principal.userId, params.id, Date.now());
    if (!found) throw notFound('Notification');
    reply(204);
  });

  api.handle('GET /api/notifications/preferences', async ({ principal, reply }) => {
    reply(200, (await store.notificationPreferences.find(principal.userId)) ?? DEFAULT_NOTIFICATION_PREFERENCES);
  });

  api.handle('PUT /api/notifications/preferences', async ({ principal, body, reply }) => {
    const preferences = { ...body, mutedDeviceIds: [...new Set(body.mutedDeviceIds)] };
    await store.notificationPreferences.put(principal.userId, preferences, Date.now());
    reply(200, preferences);
  });

  api.handle('GET /api/notifications/snoozes', async ({ principal, reply }) => {
    reply(200, await store.cameraSnoozes.listActive(principal.householdId, Date.now()));
  });

  api.handle('PUT /api/devices/:id/notification-snooze', async ({ principal, params, body, reply }) => {
    const device = await store.devices.findById(params.id);
    if (device?.householdId !== principal.householdId) throw notFound('Camera');
    const nowMs = Date.now();
    const lengthMs = SNOOZE_MS[body.length];
    const snooze = { deviceId: device.id, snoozedAtMs: nowMs, untilMs: lengthMs === null ? null : nowMs + lengthMs };
    await store.cameraSnoozes.put(principal.householdId, snooze);
    reply(200, snooze);
  });

  api.handle('DELETE /api/devices/:id/notification-snooze', async ({ principal, params, reply }) => {
    const device = await store.devices.findById(params.id);
    if (device?.householdId !== principal.householdId) throw notFound('Camera');
    await store.cameraSnoozes.delete(principal.householdId, device.id);
    reply(204);
  });
}
