import { test, expect } from '@playwright/test';
import type { AuthSession, MotionEventWrite, NotificationList, NotificationPreferences, PushPayload } from '../../protocol/index.js';
import { footageFrame } from '../support/media.js';
import { usePushRig } from '../support/push-rig.js';
import type { PushServiceStandIn } from '../support/push-service.js';
import { newEventId, pairCamera, type PairedCamera } from '../support/recording-client.js';
import type { TestServer } from '../support/server.js';

/**
 * Notifications about camera events, end to end over the real API: a camera
 * reports an event and uploads its thumbnail as the camera page does, the
 * real server pushes through `web-push` to the push service stand-in, which
 * checks VAPID and decrypts. Also the per-camera cooldown, snooze, quiet
 * hours, topics and muted cameras, and the SSRF guard on subscriptions.
 */
const COOLDOWN_MS = 2_000;

const rig = usePushRig({ NOTIFY_EVENT_COOLDOWN_MS: String(COOLDOWN_MS) });
let server: TestServer;
let push: PushServiceStandIn;
test.beforeAll(() => ({ server, push } = rig));

const bearer = (session: AuthSession) => `Bearer ${session.accessToken}`;

/** A user with one browser subscribed to the stand-in. */
async function subscribedUser(): Promise<{ user: AuthSession; subscriptionId: string }> {
  const user = await server.register();
  const { id, ...subscription } = push.subscribe();
  const res = await server.request('POST', '/api/push/subscriptions', { auth: bearer(user), body: { subscription, name: 'Phone' } });
  expect(res.status).toBe(201);
  return { user, subscriptionId: id };
}

/** Reports a new event as the camera page does: the event, then its thumbnail. @returns its id */
async function cameraSees(camera: PairedCamera, kind: MotionEventWrite['kind'] = 'motion'): Promise<string> {
  const id = newEventId();
  const event: MotionEventWrite = { kind, startedAtMs: Date.now(), endedAtMs: null, score: 0.5, box: { x: 0, y: 0, width: 0.5, height: 0.5 } };
  expect((await server.request('PUT', `/api/events/${id}`, { auth: camera.auth, body: event })).status).toBe(201);
  const res = await fetch(`${server.baseURL}/api/events/${id}/thumbnail`, {
    method: 'PUT',
    headers: { authorization: camera.auth, 'content-type': 'image/jpeg' },
    body: new Uint8Array(footageFrame(2, 'jpg', 180)),
  });
  expect(res.status).toBe(201);
  return id;
}

async function pushesOf(subscriptionId: string, count: number): Promise<PushPayload[]> {
  await expect.poll(() => push.pushesFor(subscriptionId).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return push.pushesFor(subscriptionId).map((received) => received.payload as PushPayload);
}

async function notificationsOf(user: AuthSession): Promise<NotificationList> {
  return (await server.request('GET', '/api/notifications', { auth: bearer(user) })).body as NotificationList;
}

/** Waits until the user's in-app list has `count` notifications (each was kept, and its pushes decided). */
async function listed(user: AuthSession, count: number): Promise<NotificationList> {
  await expect.poll(async () => (await notificationsOf(user)).notifications.length, { timeout: 15_000 }).toBe(count);
  return notificationsOf(user);
}

async function setPreferences(user: AuthSession, preferences: NotificationPreferences) {
  const res = await server.request('PUT', '/api/notifications/preferences', { auth: bearer(user), body: preferences });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as NotificationPreferences;
}

const ALL_TOPICS = { motion: true, person: true, offline: true, 'recording-problem': true, battery: true };

test('an event is pushed at once to its household with camera, kind, time, a thumbnail link that loads and the event to open', async () => {
  const home = await subscribedUser();
  const neighbour = await subscribedUser();
  const hall = await pairCamera(server, home.user.accessToken, 'Hall');
  const eventId = await cameraSees(hall);

  const [received] = await pushesOf(home.subscriptionId, 1);
  expect(received!.notification).toMatchObject({
    kind: 'camera-event',
    deviceId: hall.deviceId,
    deviceName: 'Hall',
    title: 'Motion on Hall',
    eventId,
    eventKind: 'motion',
    eventCount: 1,
  });
  expect(received!.notification.body).toMatch(/^Seen at \d\d:\d\d:\d\d\.$/);
  expect(received!.tag).toBe(`camera-${hall.deviceId}`);
  expect(received!.url).toBe(`/viewer?event=${eventId}`);
  expect(push.pushesFor(home.subscriptionId)[0]).toMatchObject({ urgency: 'high', ttlS: 300, topic: `${hall.deviceId}-events` });

  // The thumbnail link loads without any credential, as the service worker's notification fetches it.
  const image = await fetch(received!.image!);
  expect(image.status).toBe(200);
  expect(image.headers.get('content-type')).toBe('image/jpeg');
  expect([...Buffer.from(await image.arrayBuffer()).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

  // The same item is in the in-app list.
  const list = await listed(home.user, 1);
  expect(list.notifications[0]).toMatchObject({ kind: 'camera-event', eventId, readAtMs: null });

  // A person is told as such, kept longer by the push service.
  const porch = await pairCamera(server, home.user.accessToken, 'Porch');
  await cameraSees(porch, 'person');
  const [, person] = await pushesOf(home.subscriptionId, 2);
  expect(person!.notification.title).toBe('Person on Porch');
  expect(push.pushesFor(home.subscriptionId)[1]).toMatchObject({ urgency: 'high', ttlS: 900 });

  // Another household never hears about these cameras.
  expect(push.pushesFor(neighbour.subscriptionId)).toEqual([]);
  expect((await notificationsOf(neighbour.user)).notifications).toEqual([]);
});

test('an event told as motion that turns out to be about a person is told again as "Person", replacing the first on screen', async () => {
  const home = await subscribedUser();
  const hall = await pairCamera(server, home.user.accessToken, 'Hall');
  const eventId = await cameraSees(hall);
  const [motion] = await pushesOf(home.subscriptionId, 1);
  expect(motion!.notification).toMatchObject({ title: 'Motion on Hall', eventId, eventKind: 'motion' });

  // The camera's person model found a person: it reports the event again with its new kind, later with its end.
  const event: MotionEventWrite = { kind: 'person', startedAtMs: Date.now() - 2_000, endedAtMs: null, score: 0.5, box: { x: 0, y: 0, width: 0.5, height: 0.5 } };
  expect((await server.request('PUT', `/api/events/${eventId}`, { auth: hall.auth, body: event })).status).toBe(200);
  const [, person] = await pushesOf(home.subscriptionId, 2);
  expect(person!.notification).toMatchObject({ title: 'Person on Hall', eventId, eventKind: 'person', eventCount: 1 });
  expect(person!.tag).toBe(motion!.tag);
  const ended = { ...event, endedAtMs: Date.now() };
  expect((await server.request('PUT', `/api/events/${eventId}`, { auth: hall.auth, body: ended })).status).toBe(200);

  // Told once as a person: the end says nothing more (another camera's event marks when it would have come).
  const porch = await pairCamera(server, home.user.accessToken, 'Porch');
  await cameraSees(porch);
  await pushesOf(home.subscriptionId, 3);
  expect((await listed(home.user, 3)).notifications.map((n) => n.title).sort()).toEqual(['Motion on Hall', 'Motion on Porch', 'Person on Hall']);
});

test('a burst of events on one camera within the cooldown folds into one notification that says how many', async () => {
  const home = await subscribedUser();
  const hall = await pairCamera(server, home.user.accessToken, 'Hall');
  const first = await cameraSees(hall);
  await pushesOf(home.subscriptionId, 1);
  await cameraSees(hall);
  const last = await cameraSees(hall);

  const [told, folded] = await pushesOf(home.subscriptionId, 2);
  expect(told!.notification).toMatchObject({ title: 'Motion on Hall', eventId: first, eventCount: 1 });
  expect(folded!.notification).toMatchObject({ title: '3 events on Hall', eventId: last, eventCount: 3 });
  // Same tag: on screen the folded one replaces the first.
  expect(folded!.tag).toBe(told!.tag);
  expect(folded!.image).toContain(`/api/events/${last}/thumbnail?token=`);
  expect((await listed(home.user, 2)).notifications.map((n) => n.title)).toEqual(['3 events on Hall', 'Motion on Hall']);

});

test('a snoozed camera pushes nothing until it is turned back on; the in-app list still gets it', async () => {
  const home = await subscribedUser();
  const hall = await pairCamera(server, home.user.accessToken, 'Hall');
  const garden = await pairCamera(server, home.user.accessToken, 'Garden');
  const auth = bearer(home.user);

  const snoozed = await server.request('PUT', `/api/devices/${hall.deviceId}/notification-snooze`, { auth, body: { length: '30m' } });
  expect(snoozed.status).toBe(200);
  expect(snoozed.body.untilMs - snoozed.body.snoozedAtMs).toBe(30 * 60_000);
  expect((await server.request('GET', '/api/notifications/snoozes', { auth })).body).toEqual([snoozed.body]);

  await cameraSees(hall);
  await listed(home.user, 1);
  // Another camera's event afterwards is pushed, and is the only push.
  await cameraSees(garden);
  const pushes = await pushesOf(home.subscriptionId, 1);
  await listed(home.user, 2);
  expect(pushes.map((p) => p.notification.deviceName)).toEqual(['Garden']);

  // "Until turned back on" replaces the 30 min; turning it back on pushes again.
  const forever = await server.request('PUT', `/api/devices/${hall.deviceId}/notification-snooze`, { auth, body: { length: 'until-resumed' } });
  expect(forever.body.untilMs).toBeNull();
  expect((await server.request('DELETE', `/api/devices/${hall.deviceId}/notification-snooze`, { auth })).status).toBe(204);
  expect((await server.request('GET', '/api/notifications/snoozes', { auth })).body).toEqual([]);
  // (Within Hall's cooldown, so it comes folded with the snoozed one, when the window ends.)
  await cameraSees(hall);
  const [, hallAgain] = await pushesOf(home.subscriptionId, 2);
  expect(hallAgain!.notification).toMatchObject({ deviceName: 'Hall', title: '2 events on Hall' });

  // Another household cannot snooze this camera, nor name a camera that does not exist.
  const stranger = await server.register();
  for (const method of ['PUT', 'DELETE'] as const) {
    const res = await server.request(method, `/api/devices/${hall.deviceId}/notification-snooze`, {
      auth: bearer(stranger),
      ...(method === 'PUT' ? { body: { length: '1h' } } : {}),
    });
    expect(res.status).toBe(404);
  }
  expect((await server.request('PUT', `/api/devices/${hall.deviceId}/notification-snooze`, { auth, body: { length: '2h' } })).status).toBe(400);
});

/** `HH:MM` of `atMs` in `timeZone`. */
const localTime = (atMs: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(atMs);

test('quiet hours in the user’s time zone hold back pushes; topics and muted cameras filter them', async () => {
  const home = await subscribedUser();
  const hall = await pairCamera(server, home.user.accessToken, 'Hall');
  const garden = await pairCamera(server, home.user.accessToken, 'Garden');
  const porch = await pairCamera(server, home.user.accessToken, 'Porch');
  const shed = await pairCamera(server, home.user.accessToken, 'Shed');
  expect((await server.request('GET', '/api/notifications/preferences', { auth: bearer(home.user) })).body).toEqual({
    topics: ALL_TOPICS,
    mutedDeviceIds: [],
    quietHours: null,
  });

  // Quiet from an hour ago to an hour from now, in Kolkata time (UTC+5:30): now is quiet there.
  const nowMs = Date.now();
  const timeZone = 'Asia/Kolkata';
  const quietHours = { start: localTime(nowMs - 3_600_000, timeZone), end: localTime(nowMs + 3_600_000, timeZone), timeZone };
  await setPreferences(home.user, { topics: ALL_TOPICS, mutedDeviceIds: [], quietHours });
  await cameraSees(hall);
  await listed(home.user, 1);

  // Person only, Garden muted: motion on Porch and anything on Garden push nothing; a person on Porch does.
  await setPreferences(home.user, {
    topics: { ...ALL_TOPICS, motion: false },
    mutedDeviceIds: [garden.deviceId, garden.deviceId],
    quietHours: { start: localTime(nowMs + 3_600_000, timeZone), end: localTime(nowMs + 7_200_000, timeZone), timeZone },
  });
  await cameraSees(porch);
  await cameraSees(garden, 'person');
  await listed(home.user, 3);
  await cameraSees(shed, 'person');
  const pushes = await pushesOf(home.subscriptionId, 1);
  await listed(home.user, 4);
  expect(pushes.map((p) => p.notification.title)).toEqual(['Person on Shed']);
  expect((await server.request('GET', '/api/notifications/preferences', { auth: bearer(home.user) })).body.mutedDeviceIds).toEqual([
    garden.deviceId,
  ]);

  // Bad preferences are refused with the field named.
  const bad = await server.request('PUT', '/api/notifications/preferences', {
    auth: bearer(home.user),
    body: { topics: ALL_TOPICS, mutedDeviceIds: [], quietHours: { start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' } },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('timeZone');
});

test('subscriptions on loopback, private or link-local addresses are refused (SSRF); a public one is kept', async () => {
  const { user } = await subscribedUser();
  const { id: _id, ...subscription } = push.subscribe();
  for (const endpoint of [
    'https://localhost/push/x',
    'https://127.0.0.2:8443/push/x',
    'https://10.1.2.3/push/x',
    'https://192.168.1.1/push/x',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/push/x',
    'https://[fd00::1]/push/x',
    'https://[::ffff:10.0.0.1]/push/x',
  ]) {
    const res = await server.request('POST', '/api/push/subscriptions', { auth: bearer(user), body: { subscription: { ...subscription, endpoint }, name: 'X' } });
    expect(res.status, endpoint).toBe(400);
    expect(res.body.error.code, endpoint).toBe('push_endpoint_refused');
  }
  const pub = { ...subscription, endpoint: 'https://fcm.googleapis.com/fcm/send/abc' };
  expect((await server.request('POST', '/api/push/subscriptions', { auth: bearer(user), body: { subscription: pub, name: 'Y' } })).status).toBe(201);
});
