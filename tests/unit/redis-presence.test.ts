import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HouseholdEvent } from '../../protocol/index.js';
import { RedisChannels } from '../../signal-server/cluster/redis-channels.js';
import { connectRedis, type RedisLink } from '../../signal-server/cluster/redis-connection.js';
import { RedisEventHub } from '../../signal-server/events/redis-event-hub.js';
import { PresenceTracker, type PresenceChange } from '../../signal-server/presence/presence-tracker.js';
import { PRESENCE_TIMINGS, RedisPresence, type PresenceTimings } from '../../signal-server/presence/redis-presence.js';
import { newId } from '../../signal-server/util/ids.js';
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
  const hub = new RedisEventHub(channels);
  const tracker = new PresenceTracker(store, hub, logger);
  const presence = new RedisPresence(tracker, link, channels, logger, timings);
  const changes: PresenceChange[] = [];
  tracker.onChange((change) => changes.push(change));
  const events: HouseholdEvent[] = [];
  hub.subscribe(householdId, (event) => events.push(event));
  cleanups.push(async () => {
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
  assert.ok(tookMs <= PRESENCE_TIMINGS.ttlMs + PRESENCE_TIMINGS.refreshMs + 500, `offline after ${tookMs} ms`);
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
