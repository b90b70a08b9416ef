import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HouseholdEvent } from '../../protocol/index.js';
import { RedisChannels } from '../../signal-server/cluster/redis-channels.js';
import { connectRedis, type RedisLink } from '../../signal-server/cluster/redis-connection.js';
import { HELD_EVENT_LIMITS, householdChannel, RedisEventHub } from '../../signal-server/events/redis-event-hub.js';
import { newId } from '../../signal-server/util/ids.js';
import { RedisServer } from '../support/redis-server.js';
import { capturingLogger, eventually } from './cluster-support.js';

let redis: RedisServer;
const links: RedisLink[] = [];

before(async () => {
  redis = await RedisServer.start();
});

after(async () => {
  await Promise.all(links.map((link) => link.close()));
  await redis.stop();
});

/** An instance's hub: its own Redis link, as a server process has. */
async function instance(
  limits = HELD_EVENT_LIMITS,
): Promise<{ hub: RedisEventHub; channels: RedisChannels; link: RedisLink; lines: ReturnType<typeof capturingLogger>['lines'] }> {
  const { logger, lines } = capturingLogger();
  const link = connectRedis(redis.url, logger);
  links.push(link);
  await link.ready();
  const channels = new RedisChannels(link, logger);
  return { hub: new RedisEventHub(channels, logger, limits), channels, link, lines };
}

const removed = (deviceId: string): HouseholdEvent => ({ type: 'device-removed', deviceId });

/** Resolves once `count` Redis subscriptions listen on the household's channel. */
async function subscribers(link: RedisLink, householdId: string, count: number): Promise<void> {
  await eventually(`${count} subscribers`, async () => (await link.publisher.pubSubNumSub(householdChannel(householdId)))[householdChannel(householdId)] === count);
}

/** Two instances with a listener each on one household, subscribed in Redis. */
async function twoListening(limits = HELD_EVENT_LIMITS) {
  const [a, b] = [await instance(limits), await instance(limits)];
  const householdId = newId();
  const onA: HouseholdEvent[] = [];
  const onB: HouseholdEvent[] = [];
  a.hub.subscribe(householdId, (event) => onA.push(event));
  b.hub.subscribe(householdId, (event) => onB.push(event));
  await subscribers(a.link, householdId, 2);
  return { a, b, householdId, onA, onB };
}

test('an event published on one instance reaches the household’s listeners on both, each once', async () => {
  const { a, b, householdId, onA, onB } = await twoListening();

  a.hub.publish(householdId, removed('cam-1'));
  assert.deepEqual(onA, [removed('cam-1')], 'delivered on its own instance at once');
  await eventually('on B', () => onB.length === 1);
  b.hub.publish(householdId, removed('cam-2'));
  await eventually('back on A', () => onA.length === 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(onA, [removed('cam-1'), removed('cam-2')]);
  assert.deepEqual(onB, [removed('cam-1'), removed('cam-2')]);
});

test('another household hears nothing', async () => {
  const a = await instance();
  const b = await instance();
  const [mine, theirs] = [newId(), newId()];
  const heard: HouseholdEvent[] = [];
  b.hub.subscribe(theirs, (event) => heard.push(event));
  const onMine: HouseholdEvent[] = [];
  b.hub.subscribe(mine, (event) => onMine.push(event));
  await subscribers(a.link, theirs, 1);
  await subscribers(a.link, mine, 1);
  a.hub.publish(mine, removed('cam-1'));
  await eventually('on B', () => onMine.length === 1);
  assert.deepEqual(heard, []);
});

test('one Redis subscription per household, ended with its last listener', async () => {
  const a = await instance();
  const householdId = newId();
  const stops = [a.hub.subscribe(householdId, () => {}), a.hub.subscribe(householdId, () => {})];
  await subscribers(a.link, householdId, 1);
  stops[0]!();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await subscribers(a.link, householdId, 1);
  stops[1]!();
  await subscribers(a.link, householdId, 0);
  assert.equal(a.channels.channelCount, 0);
});

test('a message that is not a household event is dropped with a warning', async () => {
  const a = await instance();
  const b = await instance();
  const householdId = newId();
  const heard: HouseholdEvent[] = [];
  b.hub.subscribe(householdId, (event) => heard.push(event));
  await subscribers(a.link, householdId, 1);
  await a.link.publisher.publish(householdChannel(householdId), JSON.stringify({ from: 'x', message: { type: 'device-removed' } }));
  await a.link.publisher.publish(householdChannel(householdId), 'not json');
  a.hub.publish(householdId, removed('cam-1'));
  await eventually('the valid one', () => heard.length === 1);
  assert.deepEqual(heard, [removed('cam-1')]);
  assert.equal(b.lines.filter((line) => line.level === 40 && /dropped/.test(line.msg)).length, 2);
});

test('Redis down for a while: each instance goes on delivering its own events; what the others missed reaches them in order once it is back', async () => {
  const limits = { ...HELD_EVENT_LIMITS, maxHeld: 4 };
  const { a, b, householdId, onA, onB } = await twoListening(limits);
  const names = (events: HouseholdEvent[]) => events.map((event) => event.type === 'device-removed' && event.deviceId);

  await redis.stop();
  await eventually('A down', () => a.link.health.state === 'down');
  for (const deviceId of ['overflowed', 'during-1', 'during-2', 'during-3']) a.hub.publish(householdId, removed(deviceId));
  assert.deepEqual(names(onA), ['overflowed', 'during-1', 'during-2', 'during-3'], 'its own listeners heard them at once');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(onB.length, 0, 'B could not hear them yet');

  await redis.start();
  const upAtMs = (await eventually('A up', () => (a.link.health.state === 'up' ? a.link.health : undefined), 10_000)).sinceMs;
  a.hub.publish(householdId, removed('settling'));
  await eventually('B heard what it missed', () => onB.length === 4, 10_000);
  assert.ok(Date.now() - upAtMs >= limits.settleMs, 'sent once the others could subscribe again');
  assert.deepEqual(names(onB), ['during-1', 'during-2', 'during-3', 'settling'], 'in order, the oldest beyond maxHeld dropped');
  assert.ok(a.lines.some((line) => /held while redis was away sent/.test(line.msg) && line.sent === 4 && line.overflowed === 1));

  a.hub.publish(householdId, removed('after'));
  b.hub.publish(householdId, removed('after-b'));
  await eventually('B hears A', () => names(onB).includes('after'));
  await eventually('A hears B', () => names(onA).includes('after-b'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(names(onA), ['overflowed', 'during-1', 'during-2', 'during-3', 'settling', 'after', 'after-b'], 'each once');
  assert.deepEqual(names(onB), ['during-1', 'during-2', 'during-3', 'settling', 'after-b', 'after'], 'its own at once, A’s through Redis');
});

test('an event held past maxAgeMs is news no more: it is not sent when Redis is back', async () => {
  const limits = { ...HELD_EVENT_LIMITS, maxAgeMs: HELD_EVENT_LIMITS.settleMs + 1_000 };
  const { a, householdId, onB } = await twoListening(limits);
  await redis.stop();
  await eventually('A down', () => a.link.health.state === 'down');
  a.hub.publish(householdId, removed('old'));
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await redis.start();
  await eventually('A up', () => a.link.health.state === 'up', 10_000);
  a.hub.publish(householdId, removed('fresh'));
  await eventually('B heard the fresh one', () => onB.length > 0, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(onB, [removed('fresh')]);
  assert.ok(a.lines.some((line) => /held while redis was away sent/.test(line.msg) && line.sent === 1 && line.tooOld === 1));
});
