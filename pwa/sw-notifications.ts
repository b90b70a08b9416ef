/// <reference lib="webworker" />
/**
 * Web Push in the service worker: shows each push message as a notification
 * and opens the app when one is clicked. Every `push` event waits
 * (`event.waitUntil`) on a shown notification, even for a message it cannot
 * read: browsers may revoke a subscription whose pushes show nothing (iOS
 * does, after a few). Each camera has one tag, so a newer notification about
 * it replaces the older instead of stacking. An event's notification shows its
 * thumbnail (`image`) and a click opens that event (`/viewer?event=<id>`).
 */
import type { PushPayload } from '../protocol/index.js';

/** What a notification shows: its text, tag, the app URL a click opens, and an image (an event's thumbnail) if any. */
interface ShownPush {
  title: string;
  body: string;
  tag: string;
  url: string;
  image?: string;
}

/** Shown when a push message cannot be read (no data, not the expected JSON). */
const FALLBACK: ShownPush = { title: 'Peerwatch', body: 'Something happened; open Peerwatch to see it.', tag: 'peerwatch', url: '/viewer' };

/** Title, body, tag, URL and image of a push message's data, or the fallback. */
function readPush(data: PushMessageData | null): ShownPush {
  try {
    const payload = data?.json() as Partial<PushPayload> | undefined;
    const notification = payload?.notification;
    if (typeof notification?.title !== 'string' || typeof payload?.tag !== 'string') return FALLBACK;
    return {
      title: notification.title,
      body: typeof notification.body === 'string' ? notification.body : '',
      tag: payload.tag,
      url: typeof payload.url === 'string' && payload.url.startsWith('/') ? payload.url : FALLBACK.url,
      ...(typeof payload.image === 'string' && /^https?:\/\//.test(payload.image) ? { image: payload.image } : {}),
    };
  } catch (error) {
    console.warn('push message without readable JSON', error);
    return FALLBACK;
  }
}

/** Focuses a window of the app (on `url`), or opens one when there is none. */
async function focusOrOpen(scope: ServiceWorkerGlobalScope, url: string): Promise<void> {
  const target = new URL(url, scope.location.origin).href;
  const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === scope.location.origin);
  if (!open) {
    await scope.clients.openWindow(target);
    return;
  }
  const focused = await open.focus();
  if (focused.url !== target) await focused.navigate(target);
}

/** Adds the `push` and `notificationclick` handlers to the service worker `scope`. */
export function handlePushNotifications(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('push', (event) => {
    const { title, body, tag, url, image } = readPush(event.data);
    // `image` is in the Notifications API standard (§2.6) but not yet in TypeScript's NotificationOptions.
    const options: NotificationOptions & { image?: string } = {
      body,
      tag,
      data: { url },
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      ...(image ? { image } : {}),
    };
    event.waitUntil(
      scope.registration.showNotification(title, options).catch((error: unknown) => {
        // Logged where the worker's console is read (DevTools), then the push counts as failed.
        console.error('push: the notification could not be shown', error);
        throw error;
      }),
    );
  });
  scope.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const url = (event.notification.data as { url?: unknown } | null)?.url;
    event.waitUntil(focusOrOpen(scope, typeof url === 'string' ? url : FALLBACK.url));
  });
}
