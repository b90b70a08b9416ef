import { rmSync } from 'node:fs';
import { test, expect, type BrowserContext } from '@playwright/test';
import type { PushPayload } from '../../protocol/index.js';
import { launchPersistentChromium } from '../support/browser.js';
import { tempDir } from '../support/media.js';
import { PushServiceStandIn } from '../support/push-service.js';
import { pairCamera } from '../support/recording-client.js';
import { TestServer } from '../support/server.js';

/**
 * The service worker shows Web Push messages. Chromium cannot subscribe
 * without Google's push service, so the messages are made by the real server
 * (a camera that cannot record), received and decrypted by the push service
 * stand-in, and delivered to the real service worker of the built app with
 * CDP `ServiceWorker.deliverPushMessage`, as a push service would.
 */
let server: TestServer;
let push: PushServiceStandIn;
let context: BrowserContext | undefined;
const profile = tempDir('peerwatch-push-profile-');

test.beforeAll(async () => {
  push = await PushServiceStandIn.start();
  server = await TestServer.start({ env: { HTTPS: 'off', PUSH_EXTRA_CA_FILE: push.caFile } });
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
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((registration) => registration.scopeURL.startsWith(server.baseURL) && !registration.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await page.goto(`${server.baseURL}/viewer`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const deliver = async (data: string) =>
    cdp.send('ServiceWorker.deliverPushMessage', { origin: server.baseURL, registrationId: await registrationId, data });
  const worker = context.serviceWorkers().find((sw) => sw.url().startsWith(server.baseURL)) ?? (await context.waitForEvent('serviceworker'));
  // Read in the worker itself: `registration.getNotifications()` there lists what it showed.
  const shown = () =>
    worker.evaluate(async () =>
      (await (self as unknown as { registration: ServiceWorkerRegistration }).registration.getNotifications()).map(({ title, body, tag }) => ({ title, body, tag })),
    );

  await deliver(JSON.stringify(first));
  const tag = `camera-${first!.notification.deviceId}`;
  await expect.poll(shown).toEqual([{ title: 'Front door cannot record', body: 'Its storage is almost full.', tag }]);

  await deliver(JSON.stringify(second));
  await expect.poll(shown).toEqual([{ title: 'Front door cannot record', body: 'Its recorder stopped with an error.', tag }]);

  // A message it cannot read still shows something (browsers revoke subscriptions whose pushes show nothing).
  await deliver('not json');
  await expect.poll(async () => (await shown()).map((n) => n.tag).sort()).toEqual([tag, 'peerwatch'].sort());
});
