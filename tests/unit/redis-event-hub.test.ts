import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HouseholdEvent } from '../../protocol/index.js';
import { RedisChannels } from '../../signal-server/cluster/redis-channels.js';
import { connectRedis, type RedisLink } from '../../signal-server/cluster/redis-connection.js';
import { householdChannel, RedisEventHub } from '../../signal-server/events/redis-event-hub.js';
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
async function instance(): Promise<{ hub: RedisEventHub; channels: RedisChannels; link: RedisLink; lines: ReturnType<typeof capturingLogger>['lines'] }> {
  const { logger, lines } = capturingLogger();
  const link = connectRedis(redis.url, logger);
  links.push(link);
  await link.ready();
  const channels = new RedisChannels(link, logger);
  return { hub: new RedisEventHub(channels), channels, link, lines };
}

const removed = (deviceId: string): HouseholdEvent => ({ type: 'device-removed', deviceId });

/** Resolves once `count` Redis subscriptions listen on the household's channel. */
async function subscribers(link: RedisLink, householdId: string, count: number): Promise<void> {
  await eventually(`${count} subscribers`, async () => (await link.publisher.pubSubNumSub(householdChannel(householdId)))[householdChannel(householdId)] === count);
}

/** Two instances with a listener each on one household, subscribed in Redis. */
async function twoListening() {
  const [a, b] = [await instance(), await instance()];
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

test('Redis down for a while: each instance goes on delivering its own events, and both hear each other again when it is back', async () => {
  const { a, b, householdId, onA, onB } = await twoListening();

  await redis.stop();
  await eventually('A down', () => a.link.health.state === 'down');
  a.hub.publish(householdId, removed('during-outage'));
  assert.deepEqual(onA, [removed('during-outage')]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(onB.length, 0, 'B could not hear it');

  await redis.start();
  await eventually('both up', () => a.link.health.state === 'up' && b.link.health.state === 'up', 10_000);
  await subscribers(a.link, householdId, 2);
  a.hub.publish(householdId, removed('after'));
  b.hub.publish(householdId, removed('after-b'));
  await eventually('B hears A', () => onB.some((event) => event.type === 'device-removed' && event.deviceId === 'after'));
  await eventually('A hears B', () => onA.some((event) => event.type === 'device-removed' && event.deviceId === 'after-b'));
  assert.deepEqual(onA, [removed('during-outage'), removed('after'), removed('after-b')]);
});
