import { rmSync } from 'node:fs';
import { test, expect, type BrowserContext } from '@playwright/test';
import type { PushPayload } from '../../protocol/index.js';
import { launchChromium, launchPersistentChromium } from '../support/browser.js';
import { tempDir } from '../support/media.js';
import { PushServiceStandIn } from '../support/push-service.js';
import { openServiceWorker } from '../support/service-worker-push.js';
import { pairCamera } from '../support/recording-client.js';
import { TestServer, TEST_PASSWORD } from '../support/server.js';
import { registerInViewer } from '../support/viewer-page.js';

/**
 * Notifications in the app. The service worker shows Web Push messages. Chromium cannot subscribe
 * without Google's push service, so the messages are made by the real server
 * (a camera that cannot record), received and decrypted by the push service
 * stand-in, and delivered to the real service worker of the built app with
 * CDP `ServiceWorker.deliverPushMessage`, as a push service would. The
 * viewer's bell shows the in-app list live and subscribes this browser.
 */
let server: TestServer;
let push: PushServiceStandIn;
let context: BrowserContext | undefined;
const profile = tempDir('peerwatch-push-profile-');

test.beforeAll(async () => {
  push = await PushServiceStandIn.start();
  server = await TestServer.start({ env: { HTTPS: 'off', ...push.serverEnv } });
});
test.afterAll(async () => {
  await context?.close();
  await server?.stop();
  await push?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** Two real push payloads about one camera: "storage low", then "recorder failed". */
async function payloadsFromServer(): Promise<PushPayload[]> {
  const user = await server.register();
  const auth = `Bearer ${user.accessToken}`;
  push.serverPublicKey = (await server.request('GET', '/api/push/key', { auth })).body.publicKey;
  const { id, ...subscription } = push.subscribe();
  await server.request('POST', '/api/push/subscriptions', { auth, body: { subscription, name: 'Chromium' } });
  const camera = await pairCamera(server, user.accessToken, 'Front door');
  await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth, body: { enabled: true } });
  for (const problem of ['storage-low', 'recorder-failed']) {
    await server.request('PUT', '/api/devices/me/recording-status', { auth: camera.auth, body: { recording: false, problem } });
    await expect.poll(() => push.pushesFor(id).length).toBeGreaterThan(problem === 'storage-low' ? 0 : 1);
  }
  return push.pushesFor(id).map((received) => received.payload as PushPayload);
}

test('the service worker shows each push with its title, body and camera tag; a newer one about the camera replaces the older', async () => {
  const [first, second] = await payloadsFromServer();
  context = await launchPersistentChromium(profile);
  await context.grantPermissions(['notifications'], { origin: server.baseURL });
  const worker = await openServiceWorker(context, server.baseURL);
  const shown = async () => (await worker.shown()).map(({ title, body, tag }) => ({ title, body, tag }));
  const bodyShown = (body: string) => (list: { body: string }[]) => list.some((n) => n.body === body);

  await worker.deliverUntilShown(JSON.stringify(first));
  const tag = `camera-${first!.notification.deviceId}`;
  await expect.poll(shown).toEqual([{ title: 'Front door cannot record', body: 'Its storage is almost full.', tag }]);

  await worker.deliverUntilShown(JSON.stringify(second), bodyShown('Its recorder stopped with an error.'));
  await expect.poll(shown).toEqual([{ title: 'Front door cannot record', body: 'Its recorder stopped with an error.', tag }]);

  // A message it cannot read still shows something (browsers revoke subscriptions whose pushes show nothing).
  await worker.deliverUntilShown('not json', (list) => list.some((n) => n.tag === 'peerwatch'));
  await expect.poll(async () => (await shown()).map((n) => n.tag).sort()).toEqual([tag, 'peerwatch'].sort());
});

test('the bell counts unread notifications live; "Enable notifications on this device" asks only when pressed', async () => {
  const { id: _id, ...browserSubscription } = push.subscribe();
  const browser = await launchChromium();
  try {
    const viewer = await browser.newContext();
    await viewer.grantPermissions(['notifications'], { origin: server.baseURL });
    // Chromium cannot subscribe without Google's push service: only `subscribe` is stubbed, to the stand-in's subscription.
    await viewer.addInitScript((json) => {
      const w = window as unknown as { permissionRequests: number };
      w.permissionRequests = 0;
      const request = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = () => {
        w.permissionRequests++;
        return request();
      };
      let subscribed = false;
      PushManager.prototype.subscribe = async () => {
        subscribed = true;
        return { endpoint: json.endpoint, toJSON: () => json } as unknown as PushSubscription;
      };
      PushManager.prototype.getSubscription = async () =>
        (subscribed ? { endpoint: json.endpoint, toJSON: () => json } : null) as unknown as PushSubscription | null;
    }, browserSubscription);
    const page = await viewer.newPage();
    const email = `bell-${Date.now()}@example.com`;
    await registerInViewer(page, server.baseURL, email);
    const session = (await server.request('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } })).body;
    const auth = `Bearer ${session.accessToken}`;
    const camera = await pairCamera(server, session.accessToken, 'Garden');
    await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth, body: { enabled: true } });
    await server.request('PUT', '/api/devices/me/recording-status', {
      auth: camera.auth,
      body: { recording: false, problem: 'cannot-record' },
    });

    const bell = page.getByRole('button', { name: 'Notifications, 1 unread' });
    await expect(bell).toBeVisible();
    await bell.click();
    const list = page.getByRole('list', { name: 'Notification list' });
    await expect(list.getByText('Garden cannot record')).toBeVisible();
    await expect(list.getByText('Its browser cannot record video.')).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { permissionRequests: number }).permissionRequests)).toBe(0);

    await page.getByRole('button', { name: 'Enable notifications on this device' }).click();
    await expect(page.getByRole('dialog', { name: 'Notifications' }).getByRole('status')).toHaveText('This device gets notifications.');
    expect(await page.evaluate(() => (window as unknown as { permissionRequests: number }).permissionRequests)).toBe(1);
    const browsers = await server.request('GET', '/api/push/subscriptions', { auth });
    expect(browsers.body).toEqual([expect.objectContaining({ name: 'Linux · Chrome' })]);

    await page.getByRole('button', { name: 'Mark all read' }).click();
    await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
    expect((await server.request('GET', '/api/notifications', { auth })).body.unreadCount).toBe(0);
  } finally {
    await browser.close();
  }
});
