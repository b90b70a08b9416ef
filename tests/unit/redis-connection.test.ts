import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectRedis, reconnectDelayMs, type RedisHealth } from '../../signal-server/cluster/redis-connection.js';
import { RedisServer } from '../support/redis-server.js';
import { capturingLogger, eventually } from './cluster-support.js';

let redis: RedisServer;

before(async () => {
  redis = await RedisServer.start();
});

after(async () => {
  await redis.stop();
});

test('reconnect waits grow from 50 ms, stay at most 2 s plus jitter, and never give up', () => {
  assert.ok(reconnectDelayMs(0) >= 50 && reconnectDelayMs(0) < 150);
  assert.ok(reconnectDelayMs(3) >= 400 && reconnectDelayMs(3) < 500);
  for (const retries of [6, 100, 10_000]) {
    const delay = reconnectDelayMs(retries);
    assert.ok(delay >= 2_000 && delay < 2_100, `retry ${retries}: ${delay} ms`);
  }
});

test('both connections work: a message published reaches the subscriber', async () => {
  const link = connectRedis(redis.url, capturingLogger().logger);
  try {
    assert.equal(link.health.state, 'down');
    await link.ready();
    assert.equal(link.health.state, 'up');
    const heard = new Promise<string>((resolve) => void link.subscriber.subscribe('test:hello', resolve));
    await eventually('subscribed', async () => (await link.publisher.publish('test:hello', 'hi')) === 1);
    assert.equal(await heard, 'hi');
  } finally {
    await link.close();
  }
});

test('a link to a Redis that is not there starts down and comes up once Redis starts', async () => {
  const late = await RedisServer.start();
  await late.stop();
  const { logger, lines } = capturingLogger();
  const link = connectRedis(late.url, logger);
  try {
    await eventually('warned', () => lines.some((line) => line.level === 40 && line.msg.startsWith('redis not reachable yet')), 3_000);
    assert.equal(link.health.state, 'down');
    await late.start();
    await link.ready();
    assert.equal(link.health.state, 'up');
    assert.equal(lines.filter((line) => line.msg === 'redis connection is up').length, 1);
  } finally {
    await link.close();
    await late.stop();
  }
});

test('Redis gone for a while: health goes down then up once each, logged once each, and pub/sub works again', async () => {
  const { logger, lines } = capturingLogger();
  const link = connectRedis(redis.url, logger);
  try {
    await link.ready();
    const changes: RedisHealth[] = [];
    link.onChange((health) => changes.push(health));
    const heard: string[] = [];
    await link.subscriber.subscribe('test:again', (message) => heard.push(message));

    await redis.stop();
    await eventually('health down', () => link.health.state === 'down');
    const down = link.health;
    assert.equal(down.state, 'down');
    assert.ok(down.state === 'down' && down.error.length > 0);
    await assert.rejects(link.publisher.publish('test:again', 'lost'), 'a command while down fails at once');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.start();
    await eventually('health up', () => link.health.state === 'up', 10_000);

    assert.deepEqual(
      changes.map((health) => health.state),
      ['down', 'up'],
    );
    assert.equal(lines.filter((line) => line.msg.startsWith('redis connection lost')).length, 1);
    assert.equal(lines.filter((line) => line.msg === 'redis connection is up').length, 2, 'the first connection, then the recovery');
    // The subscriber subscribed again by itself.
    await eventually('resubscribed', async () => (await link.publisher.publish('test:again', 'back')) === 1);
    await eventually('message after recovery', () => heard.includes('back'));
    assert.deepEqual(heard, ['back']);
  } finally {
    await link.close();
  }
});

test('every process gets its own id', async () => {
  const first = connectRedis(redis.url, capturingLogger().logger);
  const second = connectRedis(redis.url, capturingLogger().logger);
  try {
    assert.match(first.processId, /^[A-Za-z0-9_-]{16}$/);
    assert.notEqual(first.processId, second.processId);
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
});
