import type { BrowserContext } from '@playwright/test';

/** A notification the service worker shows, as `registration.getNotifications()` reads it there. */
export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  /** The notification's image URL ('' for none). */
  image: string;
  data: unknown;
}

/**
 * Opens `<baseURL>/viewer` in `context` (a persistent profile, with
 * notifications allowed) until its service worker is ready, and returns how
 * to push to it as a push service would — CDP
 * `ServiceWorker.deliverPushMessage` with the decrypted `data` — and to read
 * what it shows, in the worker itself.
 */
export async function openServiceWorker(
  context: BrowserContext,
  baseURL: string,
): Promise<{ deliver: (data: string) => Promise<void>; shown: () => Promise<ShownNotification[]> }> {
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((registration) => registration.scopeURL.startsWith(baseURL) && !registration.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await page.goto(`${baseURL}/viewer`);
  // `ready` resolves once there is an active worker, which may still be activating; a push needs it activated.
  await page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active!;
    if (worker.state === 'activated') return;
    await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
  });
  const worker = context.serviceWorkers().find((sw) => sw.url().startsWith(baseURL)) ?? (await context.waitForEvent('serviceworker'));
  // The worker's console errors (e.g. a notification it could not show) go to the test's output.
  worker.on('console', (message) => {
    if (message.type() === 'error') console.error(`[service worker] ${message.text()}`);
  });
  return {
    async deliver(data) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseURL, registrationId: await registrationId, data });
    },
    shown: () =>
      worker.evaluate(async () => {
        const { registration } = self as unknown as { registration: ServiceWorkerRegistration };
        return (await registration.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          image: (n as Notification & { image?: string }).image ?? '',
          data: n.data as unknown,
        }));
      }),
  };
}
