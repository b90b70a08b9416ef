import { rmSync } from 'node:fs';
import { test, expect, type Browser, type BrowserContext } from '@playwright/test';
import { DEFAULT_CAMERA_SETTINGS, type CameraSettingsWrite, type PushPayload } from '../../protocol/index.js';
import { launchChromium, launchPersistentChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { tempDir } from '../support/media.js';
import { footageFile, stillMotionStill } from '../support/motion-footage.js';
import { usePushRig } from '../support/push-rig.js';
import { pairCamera } from '../support/recording-client.js';
import { openServiceWorker } from '../support/service-worker-push.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * A notification about motion, end to end from real footage: a camera page
 * in headless Chromium whose fake camera plays still → people walking →
 * still footage reports the event and its thumbnail; the real server pushes
 * it through `web-push` to the push service stand-in, which checks VAPID and
 * decrypts it. The decrypted message is then delivered to the real service
 * worker of the built app (CDP `ServiceWorker.deliverPushMessage`), which
 * shows it with the thumbnail; its click target opens that event in the viewer.
 */
const CAMERA = 'Hall';
const rig = usePushRig();
let cameraBrowser: Browser | undefined;
let context: BrowserContext | undefined;
const profile = tempDir('peerwatch-event-push-profile-');

test.afterAll(async () => {
  await cameraBrowser?.close();
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

test('motion in the footage is pushed with camera, kind and a thumbnail that loads; the service worker shows it and opens the event', async () => {
  const { server, push } = rig;
  const user = await server.register();
  const auth = `Bearer ${user.accessToken}`;
  const { id: subscriptionId, ...subscription } = push.subscribe();
  expect((await server.request('POST', '/api/push/subscriptions', { auth, body: { subscription, name: 'Phone' } })).status).toBe(201);

  cameraBrowser = await launchChromium({ fakeVideo: footageFile(stillMotionStill(6, 6, 60), 320, 240) });
  const camera = await (await cameraBrowser.newContext()).newPage();
  const { deviceId } = await pairCameraPage(server, user.accessToken, camera, CAMERA);
  // Motion only, before the people come 6 s in (a person found later is told again: tests/integration/event-notifications.spec.ts).
  const motionOnly: CameraSettingsWrite = {
    motion: { ...DEFAULT_CAMERA_SETTINGS.motion, personDetection: false },
    recording: { ...DEFAULT_CAMERA_SETTINGS.recording, mode: 'off' },
  };
  expect((await server.request('PUT', `/api/devices/${deviceId}/settings`, { auth, body: motionOnly })).status).toBe(200);

  await expect.poll(() => push.pushesFor(subscriptionId).length, { timeout: 40_000 }).toBeGreaterThanOrEqual(1);
  const received = push.pushesFor(subscriptionId)[0]!;
  const payload = received.payload as PushPayload;
  expect(payload.notification).toMatchObject({ kind: 'camera-event', deviceId, deviceName: CAMERA, eventKind: 'motion', title: `Motion on ${CAMERA}` });
  expect(received).toMatchObject({ urgency: 'high', ttlS: 300 });
  const eventId = payload.notification.kind === 'camera-event' ? payload.notification.eventId : '';
  expect(payload.url).toBe(`/viewer?event=${eventId}`);

  // The thumbnail link loads without credentials: a real picture the camera took.
  const image = await fetch(payload.image!);
  expect(image.status).toBe(200);
  expect(['image/webp', 'image/jpeg']).toContain(image.headers.get('content-type'));
  expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(500);

  // The camera's part is done.
  await cameraBrowser.close();
  cameraBrowser = undefined;

  // The service worker shows it with the thumbnail, the camera's tag and the event to open.
  context = await launchPersistentChromium(profile);
  await context.grantPermissions(['notifications'], { origin: server.baseURL });
  const worker = await openServiceWorker(context, server.baseURL);
  await worker.deliverUntilShown(JSON.stringify(payload));
  await expect.poll(worker.shown, { timeout: 20_000 }).toEqual([
    {
      title: `Motion on ${CAMERA}`,
      body: payload.notification.body,
      tag: `camera-${deviceId}`,
      image: payload.image,
      data: { url: `/viewer?event=${eventId}` },
    },
  ]);

  // What a click opens: the viewer with that event's snapshot open.
  const viewer = await context.newPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);
  await expect(viewer.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await viewer.goto(`${server.baseURL}/viewer?event=${eventId}`);
  await expect(viewer.getByRole('heading', { name: 'Events' })).toBeVisible();
  await expect(viewer.getByText(/^Motion · Hall /)).toBeVisible({ timeout: 20_000 });

  // The same item in the bell's list opens it too.
  await viewer.getByRole('button', { name: 'Close events' }).click();
  await expect(viewer.getByText(/^Motion · Hall /)).toHaveCount(0);
  await viewer.getByRole('button', { name: /^Notifications, 1 unread$/ }).click();
  await viewer.getByRole('list', { name: 'Notification list' }).getByRole('button', { name: /Motion on Hall/ }).click();
  await expect(viewer.getByText(/^Motion · Hall /)).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
});

test('the Notification settings panel saves kinds, cameras and quiet hours on the server, and snoozes a camera for the household', async () => {
  const { server } = rig;
  const user = await server.register();
  const auth = `Bearer ${user.accessToken}`;
  const garden = await pairCamera(server, user.accessToken, 'Garden');
  await pairCamera(server, user.accessToken, 'Porch');
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ timezoneId: 'Europe/Berlin' })).newPage();
    await signInToViewer(page, server.baseURL, user.user.email);
    await page.getByRole('button', { name: 'Notifications', exact: true }).click();
    await page.getByRole('button', { name: 'Notification settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Notifications' });

    const kinds = dialog.getByRole('group', { name: 'Push me about' });
    for (const kind of ['Motion', 'Person', 'Camera offline', 'Recording problems', 'Camera battery low']) {
      await expect(kinds.getByRole('checkbox', { name: kind })).toBeChecked();
    }
    await kinds.getByRole('checkbox', { name: 'Motion' }).uncheck();
    await kinds.getByRole('checkbox', { name: 'Camera battery low' }).uncheck();
    await dialog.getByRole('group', { name: 'From these cameras' }).getByRole('checkbox', { name: 'Garden' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'No pushes during quiet hours' }).check();
    await dialog.getByLabel('Quiet from').fill('23:15');
    await dialog.getByLabel('Quiet until').fill('06:45');
    await dialog.getByRole('button', { name: 'Save notification settings' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Notification settings saved.');
    expect((await server.request('GET', '/api/notifications/preferences', { auth })).body).toEqual({
      topics: { motion: false, person: true, offline: true, 'recording-problem': true, battery: false },
      mutedDeviceIds: [garden.deviceId],
      quietHours: { start: '23:15', end: '06:45', timeZone: 'Europe/Berlin' },
    });

    // A snooze applies at once, for the household; "Not snoozed" turns it back on.
    await dialog.getByRole('combobox', { name: 'Snooze Garden' }).selectOption({ label: '8 h' });
    await expect(dialog.getByText(/^Snoozed until /)).toBeVisible();
    const [snooze] = (await server.request('GET', '/api/notifications/snoozes', { auth })).body;
    expect(snooze).toMatchObject({ deviceId: garden.deviceId });
    expect(snooze.untilMs - snooze.snoozedAtMs).toBe(8 * 3_600_000);
    await dialog.getByRole('combobox', { name: 'Snooze Garden' }).selectOption({ label: 'Not snoozed' });
    await expect(dialog.getByText(/^Snoozed until /)).toHaveCount(0);
    expect((await server.request('GET', '/api/notifications/snoozes', { auth })).body).toEqual([]);

    // Opened again, the panel shows what the server keeps.
    await page.reload();
    await page.getByRole('button', { name: 'Notifications', exact: true }).click();
    await page.getByRole('button', { name: 'Notification settings' }).click();
    await expect(dialog.getByRole('checkbox', { name: 'Motion' })).not.toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: 'Camera battery low' })).not.toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: 'Garden' })).not.toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: 'Porch' })).toBeChecked();
    await expect(dialog.getByLabel('Quiet from')).toHaveValue('23:15');
  } finally {
    await browser.close();
  }
});
