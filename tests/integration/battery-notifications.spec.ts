import { test, expect } from '@playwright/test';
import type { AuthSession, NotificationList, NotificationPreferences, PushPayload } from '../../protocol/index.js';
import { pushesOf, subscribeBrowser, usePushRig } from '../support/push-rig.js';
import { pairCamera, type PairedCamera } from '../support/recording-client.js';
import { bearer } from '../support/server.js';

/**
 * Battery notifications end to end: a real server, a camera's device
 * credential sending health reports as the camera page does (`PUT
 * /api/devices/me/report`), the real `web-push` library pushing to the push
 * service stand-in, which checks the VAPID JWT and decrypts each message.
 */
const rig = usePushRig();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A camera's health report with `battery`, the rest as a phone on Wi-Fi sends it. */
function report(battery: { level: number; charging: boolean; notChargingForMs: number }) {
  return {
    battery,
    network: 'wifi',
    framesPerSecond: 30,
    droppedFramesPerSecond: 0,
    width: 1280,
    height: 720,
    maxHeight: 1080,
    sentHeight: null,
    videoSources: [],
    videoSourceId: null,
    torch: false,
    zoom: null,
  };
}

const MIN_MS = 60_000;
const LOW = { level: 0.15, charging: false, notChargingForMs: 5 * MIN_MS };
const LOWER = { level: 0.12, charging: false, notChargingForMs: 7 * MIN_MS };
const CHARGING = { level: 0.16, charging: true, notChargingForMs: 0 };

async function sendReport(camera: PairedCamera, battery: typeof LOW): Promise<void> {
  const res = await rig.server.request('PUT', '/api/devices/me/report', { auth: camera.auth, body: report(battery) });
  expect(res.status).toBe(200);
}

/** A user with a browser subscribed at the stand-in, and a camera paired to their household. */
async function household(cameraName: string): Promise<{ user: AuthSession; subscriptionId: string; camera: PairedCamera }> {
  const user = await rig.server.register();
  const subscriptionId = await subscribeBrowser(rig, user);
  return { user, subscriptionId, camera: await pairCamera(rig.server, user.accessToken, cameraName) };
}

async function notificationsOf(user: AuthSession): Promise<NotificationList> {
  return (await rig.server.request('GET', '/api/notifications', { auth: bearer(user) })).body as NotificationList;
}

/** Waits until the user's in-app list has `count` notifications (each was kept, and its pushes decided). */
async function listed(user: AuthSession, count: number): Promise<NotificationList> {
  await expect.poll(async () => (await notificationsOf(user)).notifications.length).toBe(count);
  return notificationsOf(user);
}

const kinds = (pushes: PushPayload[]) => pushes.map((p) => p.notification.kind === 'battery-low' && p.notification.alarm);

test('a camera on its battery below 20 % is pushed once per episode: not for a second low report, again after it charged', async () => {
  const home = await household('Kitchen');
  const neighbour = await household('Attic');

  await sendReport(home.camera, LOW);
  const [first] = await pushesOf(rig, home.subscriptionId, 1);
  expect(first!.notification).toMatchObject({
    kind: 'battery-low',
    alarm: 'low',
    deviceId: home.camera.deviceId,
    deviceName: 'Kitchen',
    title: 'Kitchen: battery low',
    body: 'Battery low, not charging, at 15 %. Plug the camera in.',
    batteryLevel: 0.15,
    notChargingForMs: 5 * MIN_MS,
  });
  expect(first!.tag).toBe(`camera-${home.camera.deviceId}`);
  expect(rig.push.pushesFor(home.subscriptionId)[0]).toMatchObject({ urgency: 'high', ttlS: 3_600, topic: `${home.camera.deviceId}-battery` });

  // Lower still, in the same episode: nothing new (the in-app list keeps one).
  await sendReport(home.camera, LOWER);
  await sleep(1_000);
  expect(rig.push.pushesFor(home.subscriptionId)).toHaveLength(1);
  expect((await notificationsOf(home.user)).notifications).toHaveLength(1);

  // Charged, then low again: a new episode, pushed again.
  await sendReport(home.camera, CHARGING);
  await sendReport(home.camera, LOW);
  const pushes = await pushesOf(rig, home.subscriptionId, 2);
  await sleep(500);
  expect(kinds(rig.push.pushesFor(home.subscriptionId).map((p) => p.payload as PushPayload))).toEqual(['low', 'low']);
  expect(pushes[1]!.notification.id).not.toBe(first!.notification.id);
  const list = await listed(home.user, 2);
  expect(list.notifications.map((n) => n.kind)).toEqual(['battery-low', 'battery-low']);

  // The other household heard nothing about this camera.
  expect(rig.push.pushesFor(neighbour.subscriptionId)).toEqual([]);
  expect((await notificationsOf(neighbour.user)).notifications).toEqual([]);
});

test('a camera unplugged for more than 10 min is pushed "not charging"; falling below 20 % is the same episode; a fine battery ends it', async () => {
  const home = await household('Landing');
  await sendReport(home.camera, { level: 0.6, charging: false, notChargingForMs: 9 * MIN_MS });
  await sleep(500);
  expect(rig.push.pushesFor(home.subscriptionId)).toEqual([]);

  await sendReport(home.camera, { level: 0.55, charging: false, notChargingForMs: 11 * MIN_MS });
  const [unplugged] = await pushesOf(rig, home.subscriptionId, 1);
  expect(unplugged!.notification).toMatchObject({
    kind: 'battery-low',
    alarm: 'not-charging',
    title: 'Landing is not charging',
    body: 'Not charging for 11 min, at 55 %. Plug the camera in.',
  });
  await sendReport(home.camera, { level: 0.18, charging: false, notChargingForMs: 40 * MIN_MS });
  // A report without a battery (no Battery Status API) neither tells nor ends the episode.
  const noBattery = await rig.server.request('PUT', '/api/devices/me/report', { auth: home.camera.auth, body: { ...report(LOW), battery: null } });
  expect(noBattery.status).toBe(200);
  await sendReport(home.camera, LOWER);
  await sleep(1_000);
  expect(rig.push.pushesFor(home.subscriptionId)).toHaveLength(1);

  // Charged back to 80 % and unplugged just now: fine, the episode ends; the next alarm is pushed.
  await sendReport(home.camera, { level: 0.8, charging: false, notChargingForMs: 0 });
  await sendReport(home.camera, LOW);
  expect(kinds(await pushesOf(rig, home.subscriptionId, 2))).toEqual(['not-charging', 'low']);
});

test('battery pushes honour the user’s topic and the camera’s snooze; the in-app list still gets them', async () => {
  const home = await household('Study');
  const auth = bearer(home.user);
  const preferences = (await rig.server.request('GET', '/api/notifications/preferences', { auth })).body as NotificationPreferences;
  expect(preferences.topics.battery).toBe(true);
  const off = { ...preferences, topics: { ...preferences.topics, battery: false } };
  expect((await rig.server.request('PUT', '/api/notifications/preferences', { auth, body: off })).status).toBe(200);
  await sendReport(home.camera, LOW);
  await listed(home.user, 1);

  // Topic on again, camera snoozed: still no push.
  expect((await rig.server.request('PUT', '/api/notifications/preferences', { auth, body: preferences })).status).toBe(200);
  const snooze = await rig.server.request('PUT', `/api/devices/${home.camera.deviceId}/notification-snooze`, { auth, body: { length: '1h' } });
  expect(snooze.status).toBe(200);
  await sendReport(home.camera, CHARGING);
  await sendReport(home.camera, LOW);
  await listed(home.user, 2);

  // Snooze over: the next episode is pushed.
  expect((await rig.server.request('DELETE', `/api/devices/${home.camera.deviceId}/notification-snooze`, { auth })).status).toBe(204);
  await sendReport(home.camera, CHARGING);
  await sendReport(home.camera, LOW);
  await listed(home.user, 3);
  expect(kinds(await pushesOf(rig, home.subscriptionId, 1))).toEqual(['low']);
  await sleep(500);
  expect(rig.push.pushesFor(home.subscriptionId)).toHaveLength(1);
});
