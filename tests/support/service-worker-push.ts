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

/** Pushing to the app's service worker and reading what it shows (see `openServiceWorker`). */
export interface ServiceWorkerPush {
  /**
   * Delivers `data` and waits (up to 5 000 ms) until what is shown passes
   * `shows` (default: any notification); delivers the same message again,
   * up to 3 times in all, when it did not. Headless Chromium now and then
   * drops a shown notification (one with an `image` in about one run of six):
   * `showNotification` resolves, no error is logged, and `getNotifications()`
   * does not list it. The same message delivered again then shows; the
   * notification's tag makes a repeat replace, not add. The caller then
   * checks exactly what is shown.
   */
  deliverUntilShown(data: string, shows?: (shown: ShownNotification[]) => boolean): Promise<void>;
  /** The notifications shown now. */
  shown(): Promise<ShownNotification[]>;
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
): Promise<ServiceWorkerPush> {
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
  /** Delivers one push message with decrypted `data`, as a push service would. */
  const deliver = async (data: string) => {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: baseURL, registrationId: await registrationId, data });
  };
  const shown = () =>
    worker.evaluate(async () => {
      const { registration } = self as unknown as { registration: ServiceWorkerRegistration };
      return (await registration.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        image: (n as Notification & { image?: string }).image ?? '',
        data: n.data as unknown,
      }));
    });
  return {
    shown,
    async deliverUntilShown(data, shows = (list) => list.length > 0) {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await deliver(data);
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline) {
          if (shows(await shown())) return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        console.warn(`push delivered ${attempt} time(s), no notification shown yet`);
      }
    },
  };
}
