import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HouseholdEvent } from '../../protocol/index.js';
import { RedisChannels } from '../../signal-server/cluster/redis-channels.js';
import { connectRedis, type RedisLink } from '../../signal-server/cluster/redis-connection.js';
import { RedisEventHub } from '../../signal-server/events/redis-event-hub.js';
import { PresenceTracker, type PresenceChange } from '../../signal-server/presence/presence-tracker.js';
import { PRESENCE_TIMINGS, RedisPresence, type PresenceTimings } from '../../signal-server/presence/redis-presence.js';
import { newId } from '../../signal-server/util/ids.js';
import { Notifier } from '../../signal-server/notifications/notifier.js';
import { OfflineWatch } from '../../signal-server/notifications/offline-watch.js';
import { PushSender } from '../../signal-server/notifications/push-sender.js';
import webPush from 'web-push';
import { createClient } from 'redis';
import { RedisServer } from '../support/redis-server.js';
import { capturingLogger, eventually } from './cluster-support.js';
import { addUser, tempStore } from './support.js';

let redis: RedisServer;
const cleanups: Array<() => Promise<void>> = [];

before(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

after(async () => {
  await redis.stop();
});

/** Timings of most tests here: short, so that a test that waits for a refresh is quick. */
const QUICK: PresenceTimings = { ttlMs: 1_500, refreshMs: 300 };
/** The offline notifications' grace period here, ms. */
const GRACE_MS = 500;
const vapid = { ...webPush.generateVAPIDKeys(), subject: 'mailto:test@peerwatch.invalid' };

/**
 * One server instance's presence as `createPeerwatchServer` wires it: its own
 * store, Redis link, event hub and tracker; what its tracker told (`changes`)
 * and what its household heard (`events`, for `householdId`).
 */
async function instance(householdId: string, timings: PresenceTimings = QUICK) {
  const { logger } = capturingLogger();
  const { store } = tempStore();
  const link = connectRedis(redis.url, logger);
  await link.ready();
  const channels = new RedisChannels(link, logger);
  const hub = new RedisEventHub(channels, logger);
  const tracker = new PresenceTracker(store, hub, logger);
  const presence = new RedisPresence(tracker, link, channels, logger, timings);
  const changes: PresenceChange[] = [];
  tracker.onChange((change) => changes.push(change));
  const sender = new PushSender({ vapid, subscriptions: store.pushSubscriptions, logger, endpointProblem: () => 'none in this test' });
  const offline = new OfflineWatch({ graceMs: GRACE_MS, store, notifier: new Notifier({ store, hub, sender, logger }), logger });
  tracker.onChange((change) => offline.changed(change));
  const events: HouseholdEvent[] = [];
  hub.subscribe(householdId, (event) => events.push(event));
  cleanups.push(async () => {
    offline.close();
    await presence.close();
    await link.close();
    await store.close();
  });
  await presence.refresh();
  return { tracker, presence, link, store, changes, events };
}

const presenceEvents = (events: HouseholdEvent[]) => events.filter((event) => event.type === 'presence');
const owned = (...instances: Array<{ changes: PresenceChange[] }>) => instances.flatMap(({ changes }) => changes.filter((change) => change.owned));

/** A SIGKILL as Redis sees it: the instance's connections drop and nothing of it cleans up. */
function kill(link: RedisLink): void {
  link.publisher.destroy();
  link.subscriber.destroy();
}

test('a camera whose socket instance A holds is online on B at once, and offline there once A lets it go; each change is acted on once', async () => {
  const householdId = newId();
  const a = await instance(householdId);
  const b = await instance(householdId);
  const deviceId = newId();
  const before = b.tracker.onlineCount;

  a.tracker.connected(householdId, deviceId);
  assert.equal(a.tracker.isOnline(deviceId), true);
  await eventually('online on B', () => b.tracker.isOnline(deviceId), 1_000);
  assert.equal(b.tracker.onlineCount, before + 1);
  await eventually('the event on B', () => presenceEvents(b.events).length === 1);
  assert.deepEqual(
    owned(a, b).map((change) => [change.deviceId, change.online]),
    [[deviceId, true]],
    'A owns it',
  );
  assert.equal(a.changes.filter((change) => change.owned).length, 1);

  a.tracker.disconnected(householdId, deviceId);
  await eventually('offline on B', () => !b.tracker.isOnline(deviceId), 1_000);
  await eventually('the second event on B', () => presenceEvents(b.events).length === 2);
  await new Promise((resolve) => setTimeout(resolve, 2 * QUICK.refreshMs));
  for (const { events } of [a, b]) {
    assert.deepEqual(
      presenceEvents(events).map((event) => event.type === 'presence' && event.online),
      [true, false],
      'each household stream heard each change once',
    );
  }
  assert.equal(owned(a, b).length, 2);
  assert.ok(owned(a, b).every((change) => a.changes.includes(change)));
});

/** Registers camera `deviceId` in `store`, in a new household. @returns that household's id */
async function registerCamera(store: PresenceStore, deviceId: string): Promise<string> {
  const owner = (await addUser(store)).householdId;
  const pairing = { id: newId(), householdId: owner, tokenHash: newId(), name: 'Porch', createdAtMs: Date.now(), expiresAtMs: Date.now() + 60_000, claimedAtMs: null, deviceId: null };
  await store.pairings.insert(pairing);
  await store.pairings.claim(pairing.tokenHash, Date.now(), { id: deviceId, name: null, tokenHash: newId(), createdAtMs: Date.now(), lastSeenAtMs: null });
  return owner;
}
type PresenceStore = Awaited<ReturnType<typeof instance>>['store'];

/** Puts the same person and camera into every instance's store (as one shared database would hold them). @returns the person's id */
async function sameCamera(stores: PresenceStore[], householdId: string, deviceId: string): Promise<string> {
  const userId = newId();
  for (const store of stores) {
    await store.users.create({ id: userId, householdId, email: `${userId}@example.com`, passwordHash: 'x', createdAtMs: Date.now() });
    const pairing = { id: newId(), householdId, tokenHash: newId(), name: 'Porch', createdAtMs: Date.now(), expiresAtMs: Date.now() + 60_000, claimedAtMs: null, deviceId: null };
    await store.pairings.insert(pairing);
    await store.pairings.claim(pairing.tokenHash, Date.now(), { id: deviceId, name: null, tokenHash: newId(), createdAtMs: Date.now(), lastSeenAtMs: null });
  }
  return userId;
}

/** The kinds of the notifications each instance made (its store), oldest first. */
async function notified(instances: Array<{ store: PresenceStore }>, householdId: string, userId: string): Promise<string[][]> {
  return Promise.all(
    instances.map(async ({ store }) => (await store.notifications.listForUser(householdId, userId, 10)).notifications.map((n) => n.kind).reverse()),
  );
}

test('the last-seen time is stored by the instance that holds the socket, and only there', async () => {
  const a = await instance(newId());
  const b = await instance(newId());
  const deviceId = newId();
  const householdId = await registerCamera(a.store, deviceId);
  a.tracker.connected(householdId, deviceId);
  await eventually('last seen stored on A', async () => (await a.store.devices.findById(deviceId))?.lastSeenAtMs);
  await eventually('online on B', () => b.tracker.isOnline(deviceId), 1_000);
  a.tracker.disconnected(householdId, deviceId);
  await eventually('offline on B', () => !b.tracker.isOnline(deviceId), 1_000);
  assert.equal(owned(b).length, 0, 'B stored nothing, told nobody');
});

test('a camera held on two instances stays online until both let it go', async () => {
  const householdId = newId();
  const a = await instance(householdId);
  const b = await instance(householdId);
  const c = await instance(householdId);
  const deviceId = newId();
  a.tracker.connected(householdId, deviceId);
  await eventually('online on C', () => c.tracker.isOnline(deviceId), 1_000);
  b.tracker.connected(householdId, deviceId);
  await eventually('B seen on C', () => c.tracker.heldElsewhere().get(deviceId)?.holders.size === 2, 1_000);
  a.tracker.disconnected(householdId, deviceId);
  await new Promise((resolve) => setTimeout(resolve, 2 * QUICK.refreshMs));
  assert.equal(c.tracker.isOnline(deviceId), true);
  b.tracker.disconnected(householdId, deviceId);
  await eventually('offline on C', () => !c.tracker.isOnline(deviceId), 1_000);
  assert.equal(presenceEvents(c.events).length, 2, 'online once, offline once');
});

test('an instance that dies takes its cameras offline everywhere within ttl + refresh (13 s), acted on by one survivor', async () => {
  const householdId = newId();
  const a = await instance(householdId, PRESENCE_TIMINGS);
  const b = await instance(householdId, PRESENCE_TIMINGS);
  const c = await instance(householdId, PRESENCE_TIMINGS);
  const deviceId = newId();
  a.tracker.connected(householdId, deviceId);
  await eventually('online on B and C', () => b.tracker.isOnline(deviceId) && c.tracker.isOnline(deviceId), 1_000);

  kill(a.link);
  const killedAtMs = Date.now();
  await eventually('offline on B and C', () => !b.tracker.isOnline(deviceId) && !c.tracker.isOnline(deviceId), 16_000);
  const tookMs = Date.now() - killedAtMs;
  assert.ok(tookMs <= PRESENCE_TIMINGS.ttlMs + PRESENCE_TIMINGS.refreshMs + 1_000, `offline after ${tookMs} ms`);
  await new Promise((resolve) => setTimeout(resolve, PRESENCE_TIMINGS.refreshMs + 200));
  const offline = owned(b, c).filter((change) => !change.online);
  assert.equal(offline.length, 1, 'exactly one survivor acts on it');
  for (const { events } of [b, c]) {
    assert.deepEqual(
      presenceEvents(events).map((event) => event.type === 'presence' && event.online),
      [true, false],
    );
  }
});

test('Redis away for 10 s: each instance keeps its own cameras, and all is shared again when it is back', async () => {
  const householdId = newId();
  const a = await instance(householdId);
  const b = await instance(householdId);
  const [before, during] = [newId(), newId()];
  a.tracker.connected(householdId, before);
  await eventually('online on B', () => b.tracker.isOnline(before), 1_000);

  await redis.stop();
  await eventually('A knows', () => a.link.health.state === 'down');
  a.tracker.connected(householdId, during);
  assert.equal(a.tracker.isOnline(during), true, 'its own sockets count at once');
  assert.deepEqual(
    presenceEvents(a.events).map((event) => event.type === 'presence' && event.deviceId),
    [before, during],
    'its own viewers heard it',
  );
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  assert.equal(b.tracker.isOnline(before), true, 'B keeps what it knew');
  assert.equal(b.tracker.isOnline(during), false);

  await redis.start(); // empty: this Redis keeps nothing on disk
  await eventually('both up', () => a.link.health.state === 'up' && b.link.health.state === 'up', 10_000);
  await eventually('B sees the camera that came meanwhile', () => b.tracker.isOnline(during), 3_000);
  assert.equal(b.tracker.isOnline(before), true);
  await eventually('B’s household told', () => presenceEvents(b.events).some((event) => event.type === 'presence' && event.deviceId === during));
  a.tracker.disconnected(householdId, before);
  await eventually('messages flow again', () => !b.tracker.isOnline(before), 1_000);
});

/** Two instances with the same camera and person in their stores; the camera was online on A, and A just let it go. */
async function cameraLeftA() {
  const householdId = newId();
  const [a, b] = [await instance(householdId), await instance(householdId)];
  const deviceId = newId();
  const userId = await sameCamera([a.store, b.store], householdId, deviceId);
  a.tracker.connected(householdId, deviceId);
  await eventually('online on B', () => b.tracker.isOnline(deviceId), 1_000);
  a.tracker.disconnected(householdId, deviceId);
  return { householdId, a, b, deviceId, userId };
}

test('a camera offline past the grace period is reported once, by the instance that held it, and back online by that one too', async () => {
  const { householdId, a, b, deviceId, userId } = await cameraLeftA();
  await eventually('reported', async () => (await notified([a], householdId, userId))[0]!.length === 1, 3_000);
  b.tracker.connected(householdId, deviceId); // back, through the other instance
  await eventually('back online reported', async () => (await notified([a], householdId, userId))[0]!.length === 2, 3_000);
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 200));
  assert.deepEqual(await notified([a, b], householdId, userId), [['camera-offline', 'camera-online'], []]);
});

test('a camera that comes back through another instance within the grace period is not reported', async () => {
  const { householdId, a, b, deviceId, userId } = await cameraLeftA();
  b.tracker.connected(householdId, deviceId);
  await new Promise((resolve) => setTimeout(resolve, 2 * GRACE_MS));
  assert.deepEqual(await notified([a, b], householdId, userId), [[], []]);
});

test('the cameras of an instance that died are reported offline once, by one survivor', async () => {
  const householdId = newId();
  const [a, b, c] = [await instance(householdId), await instance(householdId), await instance(householdId)];
  const deviceId = newId();
  const userId = await sameCamera([a.store, b.store, c.store], householdId, deviceId);
  a.tracker.connected(householdId, deviceId);
  await eventually('online on B and C', () => b.tracker.isOnline(deviceId) && c.tracker.isOnline(deviceId), 1_000);
  kill(a.link);
  await eventually('offline on B and C', () => !b.tracker.isOnline(deviceId) && !c.tracker.isOnline(deviceId), QUICK.ttlMs + 2 * QUICK.refreshMs);
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 500));
  const [onB, onC] = await notified([b, c], householdId, userId);
  assert.deepEqual([...onB!, ...onC!], ['camera-offline']);
});

test('after Redis comes back empty, another instance’s camera stays online until it has had time to announce itself again', async () => {
  const householdId = newId();
  const b = await instance(householdId);
  const x = await instance(householdId); // stands in for an instance that will be slow to come back
  const [slow, gone] = [newId(), newId()];
  x.tracker.connected(householdId, slow);
  x.tracker.connected(householdId, gone);
  await eventually('online on B', () => b.tracker.isOnline(slow) && b.tracker.isOnline(gone), 1_000);
  await redis.stop();
  await eventually('X knows', () => x.link.health.state === 'down');
  kill(x.link); // X announces nothing more: the test writes its key itself below
  await redis.start(); // empty
  const upAtMs = (await eventually('B up', () => (b.link.health.state === 'up' ? b.link.health : undefined), 10_000)).sinceMs;
  await new Promise((resolve) => setTimeout(resolve, QUICK.ttlMs / 2));
  assert.equal(b.tracker.isOnline(slow), true, 'not offline while X may still be announcing itself');
  // X is back, with one of its two cameras.
  const raw = createClient({ url: redis.url });
  await raw.connect();
  cleanups.push(async () => {
    await raw.del(`peerwatch:presence:${x.link.processId}`);
    await raw.close();
  });
  await raw.hSet(`peerwatch:presence:${x.link.processId}`, slow, JSON.stringify({ householdId, sinceMs: 1 }));
  await raw.pExpire(`peerwatch:presence:${x.link.processId}`, 60_000);
  await eventually('the other goes offline once the window is over', () => !b.tracker.isOnline(gone), QUICK.ttlMs + 2 * QUICK.refreshMs);
  assert.ok(Date.now() - upAtMs >= QUICK.ttlMs);
  assert.equal(b.tracker.isOnline(slow), true);
  assert.deepEqual(
    b.changes.filter((change) => change.deviceId === slow).map((change) => change.online),
    [true],
    'it never blinked',
  );
});
