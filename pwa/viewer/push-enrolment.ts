import type { ApiClient } from '../api/api-client.js';

/**
 * Whether this browser can receive push notifications, as the "Enable
 * notifications on this device" control shows it: `unsupported` (no Push
 * API), `needs-install` (iOS Safari: Web Push only in an app added to the
 * Home Screen), `denied` (the user or browser refused permission), `ready`
 * (it may ask), `enabled` (this browser is subscribed).
 */
export type PushAvailability = 'unsupported' | 'needs-install' | 'denied' | 'ready' | 'enabled';

/** iOS/iPadOS Safari outside an installed (standalone) app. */
function isIosBrowserTab(): boolean {
  const ios = /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.maxTouchPoints > 1 && /Macintosh/.test(navigator.userAgent));
  return ios && !window.matchMedia('(display-mode: standalone)').matches;
}

/** What this browser allows now, without asking anything. */
export async function pushAvailability(): Promise<PushAvailability> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return isIosBrowserTab() ? 'needs-install' : 'unsupported';
  }
  if (Notification.permission === 'denied') return 'denied';
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  return subscription && Notification.permission === 'granted' ? 'enabled' : 'ready';
}

/** A name for this device and browser, e.g. "Android · Chrome". */
export function deviceName(): string {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'Mac' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'Device';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  return `${os} · ${browser}`;
}

/**
 * Asks for permission (call it only from a user's press), subscribes this
 * browser with the server's VAPID key (W3C Push API `subscribe`,
 * `userVisibleOnly`) and registers the subscription with the server.
 * @returns the availability afterwards (`denied` when the user refused)
 * @throws ApiRequestError when the server refuses; DOMException when the browser cannot subscribe
 */
export async function enablePush(api: ApiClient): Promise<PushAvailability> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const registration = await navigator.serviceWorker.ready;
  const applicationServerKey = await api.pushKey();
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  await api.addPushSubscription(subscription.toJSON(), deviceName());
  return 'enabled';
}
