import { test, expect } from '@playwright/test';
import type { AuthSession, NotificationList, PushPayload } from '../../protocol/index.js';
import { connectCamera } from '../support/camera-socket.js';
import { usePushRig } from '../support/push-rig.js';
import type { PushServiceStandIn } from '../support/push-service.js';
import { EventStreamReader, pairCamera, type PairedCamera } from '../support/recording-client.js';
import type { TestServer } from '../support/server.js';

/**
 * Notifications end to end: a real server pushes through the real `web-push`
 * library to a push service stand-in on loopback that checks the VAPID JWT and
 * decrypts each message; cameras go online and offline over real signaling sockets.
 */
const GRACE_MS = 1_500;

const rig = usePushRig({ NOTIFY_OFFLINE_GRACE_MS: String(GRACE_MS) });
let server: TestServer;
let push: PushServiceStandIn;
test.beforeAll(() => ({ server, push } = rig));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bearer = (session: AuthSession) => `Bearer ${session.accessToken}`;

/** A user with a browser subscribed to the stand-in, and a camera paired to their household. */
async function household(cameraName: string): Promise<{ user: AuthSession; subscriptionId: string; camera: PairedCamera }> {
  const user = await server.register();
  const subscription = push.subscribe();
  const { id, ...json } = subscription;
  const res = await server.request('POST', '/api/push/subscriptions', {
    auth: bearer(user),
    body: { subscription: json, name: 'Test phone · Chromium' },
  });
  expect(res.status).toBe(201);
  return { user, subscriptionId: id, camera: await pairCamera(server, user.accessToken, cameraName) };
}

/** Waits until the subscription has received `count` pushes; returns their payloads. */
async function pushesOf(subscriptionId: string, count: number): Promise<PushPayload[]> {
  await expect.poll(() => push.pushesFor(subscriptionId).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  return push.pushesFor(subscriptionId).map((received) => received.payload as PushPayload);
}

async function notificationsOf(user: AuthSession): Promise<NotificationList> {
  const res = await server.request('GET', '/api/notifications', { auth: bearer(user) });
  expect(res.status).toBe(200);
  return res.body as NotificationList;
}

test('a camera offline past the grace period is pushed "offline", then "back online", to its household only', async () => {
  const home = await household('Front door');
  const neighbour = await household('Garage');
  const stream = await EventStreamReader.open(server, bearer(home.user));
  const socket = await connectCamera(server, home.camera);
  await socket.close();
  const wentOfflineAtMs = Date.now();

  const [offline] = await pushesOf(home.subscriptionId, 1);
  expect(Date.now() - wentOfflineAtMs).toBeGreaterThanOrEqual(GRACE_MS - 100);
  expect(offline!.notification).toMatchObject({
    kind: 'camera-offline',
    deviceId: home.camera.deviceId,
    deviceName: 'Front door',
    title: 'Front door is offline',
  });
  expect(offline!.tag).toBe(`camera-${home.camera.deviceId}`);
  const received = push.pushesFor(home.subscriptionId)[0]!;
  expect(received).toMatchObject({ urgency: 'high', ttlS: 3_600, topic: `${home.camera.deviceId}-presence` });

  const back = await connectCamera(server, home.camera);
  const [, online] = await pushesOf(home.subscriptionId, 2);
  expect(online!.notification).toMatchObject({ kind: 'camera-online', title: 'Front door is back online' });
  expect(push.pushesFor(home.subscriptionId)[1]).toMatchObject({ urgency: 'normal', topic: `${home.camera.deviceId}-presence` });

  // The same items are in the in-app list, newest first, and came live on the household stream.
  const list = await notificationsOf(home.user);
  expect(list.notifications.map((n) => n.kind)).toEqual(['camera-online', 'camera-offline']);
  expect(list.notifications.map((n) => n.id)).toEqual([online!.notification.id, offline!.notification.id]);
  expect(list.unreadCount).toBe(2);
  await stream.next('notification', (event) => event.notification.kind === 'camera-online');
  stream.close();
  // A push that reached the push service marks the browser as used.
  const browsers = await server.request('GET', '/api/push/subscriptions', { auth: bearer(home.user) });
  expect(browsers.body[0].lastUsedAtMs).toBeGreaterThanOrEqual(wentOfflineAtMs);

  // The other household heard nothing about this camera.
  expect(push.pushesFor(neighbour.subscriptionId)).toEqual([]);
  expect((await notificationsOf(neighbour.user)).notifications).toEqual([]);
  await back.close();
});

test('a camera back within the grace period sends nothing', async () => {
  const home = await household('Hallway');
  const first = await connectCamera(server, home.camera);
  await first.close();
  await sleep(GRACE_MS / 3);
  const again = await connectCamera(server, home.camera);
  await sleep(GRACE_MS + 1_000);
  expect(push.pushesFor(home.subscriptionId)).toEqual([]);
  expect(await notificationsOf(home.user)).toEqual({ notifications: [], unreadCount: 0 });
  await again.close();
});

test('a camera asked to record that reports a problem is pushed once; read marks count per user', async () => {
  const home = await household('Porch');
  const enable = await server.request('PUT', `/api/devices/${home.camera.deviceId}/recording`, {
    auth: bearer(home.user),
    body: { enabled: true },
  });
  expect(enable.status).toBe(200);
  const report = (body: object) => server.request('PUT', '/api/devices/me/recording-status', { auth: home.camera.auth, body });
  expect((await report({ recording: true })).status).toBe(200);
  expect((await report({ recording: false, problem: 'storage-low' })).status).toBe(200);

  const [problem] = await pushesOf(home.subscriptionId, 1);
  expect(problem!.notification).toMatchObject({
    kind: 'recording-problem',
    problem: 'storage-low',
    title: 'Porch cannot record',
    body: 'Its storage is almost full.',
  });
  expect(push.pushesFor(home.subscriptionId)[0]).toMatchObject({ urgency: 'normal', topic: `${home.camera.deviceId}-recording` });

  // The same problem reported again is not news; a different one is.
  expect((await report({ recording: false, problem: 'storage-low' })).status).toBe(200);
  expect((await report({ recording: false, problem: 'recorder-failed' })).status).toBe(200);
  const pushes = await pushesOf(home.subscriptionId, 2);
  await sleep(500);
  expect(pushes.map((p) => p.notification.kind === 'recording-problem' && p.notification.problem)).toEqual([
    'storage-low',
    'recorder-failed',
  ]);

  // Mark one read, then all; another household cannot mark this one.
  const list = await notificationsOf(home.user);
  expect(list.unreadCount).toBe(2);
  const [newest, oldest] = list.notifications;
  const stranger = await server.register();
  expect((await server.request('POST', `/api/notifications/${oldest!.id}/read`, { auth: bearer(stranger) })).status).toBe(404);
  expect((await server.request('POST', `/api/notifications/${oldest!.id}/read`, { auth: bearer(home.user) })).status).toBe(204);
  const afterOne = await notificationsOf(home.user);
  expect(afterOne.unreadCount).toBe(1);
  expect(afterOne.notifications.find((n) => n.id === oldest!.id)?.readAtMs).toBeGreaterThan(0);
  expect(afterOne.notifications.find((n) => n.id === newest!.id)?.readAtMs).toBeNull();
  expect((await server.request('POST', '/api/notifications/read', { auth: bearer(home.user) })).status).toBe(204);
  expect((await notificationsOf(home.user)).unreadCount).toBe(0);
});

test('a 410 from the push service deletes the subscription; a 500 is retried and delivered', async () => {
  const home = await household('Back yard');
  const second = push.subscribe();
  const { id: secondId, ...secondJson } = second;
  expect(
    (await server.request('POST', '/api/push/subscriptions', { auth: bearer(home.user), body: { subscription: secondJson, name: 'Laptop' } }))
      .status,
  ).toBe(201);
  push.answerNext(home.subscriptionId, 410);
  push.answerNext(secondId, 500);

  await server.request('PUT', `/api/devices/${home.camera.deviceId}/recording`, { auth: bearer(home.user), body: { enabled: true } });
  await server.request('PUT', '/api/devices/me/recording-status', {
    auth: home.camera.auth,
    body: { recording: false, problem: 'cannot-record' },
  });

  await pushesOf(home.subscriptionId, 1);
  const names = async () =>
    ((await server.request('GET', '/api/push/subscriptions', { auth: bearer(home.user) })).body as { name: string }[]).map((s) => s.name);
  await expect.poll(names).toEqual(['Laptop']);

  // The failing push service got the message again after the first backoff, and took it.
  await expect.poll(() => push.pushesFor(secondId).map((p) => p.status), { timeout: 10_000 }).toEqual([500, 201]);
});

test('subscriptions: list, remove, only one’s own, only HTTPS endpoints', async () => {
  const home = await household('Shed');
  const auth = bearer(home.user);
  const list = await server.request('GET', '/api/push/subscriptions', { auth });
  expect(list.body).toEqual([{ id: expect.any(String), name: 'Test phone · Chromium', createdAtMs: expect.any(Number), lastUsedAtMs: null }]);
  const id = list.body[0].id as string;

  const other = await server.register();
  expect((await server.request('DELETE', `/api/push/subscriptions/${id}`, { auth: bearer(other) })).status).toBe(404);
  const plain = { ...push.subscribe(), endpoint: 'http://127.0.0.1:1/push/x' };
  const refused = await server.request('POST', '/api/push/subscriptions', { auth, body: { subscription: plain, name: 'Old' } });
  expect(refused.body.error.code).toBe('invalid_body');
  expect((await server.request('DELETE', `/api/push/subscriptions/${id}`, { auth })).status).toBe(204);
  expect((await server.request('GET', '/api/push/subscriptions', { auth })).body).toEqual([]);
});
