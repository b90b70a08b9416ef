import type { PushSubscriptionInfo } from '../../protocol/index.js';
import type { ContractRouter } from '../http/contract-router.js';
import { notFound } from '../http/errors.js';
import type { PushSubscriptionRecord, Store } from '../store/store.js';
import { newId } from '../util/ids.js';

/** Longest notification list answered, newest first. */
export const NOTIFICATION_LIST_LIMIT = 100;

/** The public view of a subscription (never its endpoint or keys). */
function toInfo(record: PushSubscriptionRecord): PushSubscriptionInfo {
  return { id: record.id, name: record.name, createdAtMs: record.createdAtMs, lastUsedAtMs: record.lastUsedAtMs };
}

/**
 * The notification routes (signed-in users only):
 *
 * - `GET /api/push/key` → the VAPID public key browsers subscribe with.
 * - `POST /api/push/subscriptions` → 201: this browser receives the user's pushes.
 * - `GET /api/push/subscriptions`, `DELETE /api/push/subscriptions/:id` → 204: the user's browsers.
 * - `GET /api/notifications` → the household's notifications with this user's read state.
 * - `POST /api/notifications/read`, `POST /api/notifications/:id/read` → 204.
 */
export function notificationRoutes(api: ContractRouter, deps: { store: Store; vapidPublicKey: string }): void {
  const { store } = deps;

  api.handle('GET /api/push/key', ({ reply }) => reply(200, { publicKey: deps.vapidPublicKey }));

  api.handle('POST /api/push/subscriptions', async ({ principal, body: { subscription, name }, reply }) => {
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
}
