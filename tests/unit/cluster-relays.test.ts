import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEnd } from '../../signal-server/auth/session-endings.js';
import { relayPeerClosing, relaySessionEndings } from '../../signal-server/cluster/cluster-relays.js';
import { RedisChannels } from '../../signal-server/cluster/redis-channels.js';
import { connectRedis, type RedisLink } from '../../signal-server/cluster/redis-connection.js';
import { newId } from '../../signal-server/util/ids.js';
import { RedisServer } from '../support/redis-server.js';
import { capturingLogger, eventually } from './cluster-support.js';

let redis: RedisServer;
const links: RedisLink[] = [];

before(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
});

after(async () => {
  await redis.stop();
});

/** An instance's channels on its own Redis link. */
async function channels(): Promise<{ channels: RedisChannels; link: RedisLink }> {
  const { logger } = capturingLogger();
  const link = connectRedis(redis.url, logger);
  links.push(link);
  await link.ready();
  return { channels: new RedisChannels(link, logger), link };
}

/** Resolves once `count` Redis subscriptions listen on `channel`. */
async function subscribed(link: RedisLink, channel: string, count: number): Promise<void> {
  await eventually(`${count} on ${channel}`, async () => (await link.publisher.pubSubNumSub(channel))[channel] === count);
}

test('a session ended on one instance closes its connections on every instance, each listener once, with the reason', async () => {
  const [a, b] = [await channels(), await channels()];
  const onA = relaySessionEndings(a.channels).endings;
  const onB = relaySessionEndings(b.channels).endings;
  await subscribed(a.link, 'peerwatch:session-endings', 2);
  const sessionId = newId();
  const heard: Array<[string, SessionEnd]> = [];
  onA.onEnd(sessionId, (why) => heard.push(['A', why]));
  onB.onEnd(sessionId, (why) => heard.push(['B stream', why]));
  onB.onEnd(sessionId, (why) => heard.push(['B socket', why]));
  onB.onEnd(newId(), (why) => heard.push(['another session', why]));

  onA.ended(sessionId, 'removed');
  assert.deepEqual(heard, [['A', 'removed']], 'at once on its own instance');
  await eventually('on B', () => heard.length === 3);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(heard, [
    ['A', 'removed'],
    ['B stream', 'removed'],
    ['B socket', 'removed'],
  ]);
});

test('a removed camera’s socket is closed on whichever instance holds it', async () => {
  const [a, b] = [await channels(), await channels()];
  const closed: string[] = [];
  const peersA = relayPeerClosing(a.channels, { closePeer: (peerId) => closed.push(`A ${peerId}`) }).peers;
  relayPeerClosing(b.channels, { closePeer: (peerId) => closed.push(`B ${peerId}`) });
  await subscribed(a.link, 'peerwatch:peer-closing', 2);

  peersA.closePeer('c-household-camera');
  assert.deepEqual(closed, ['A c-household-camera']);
  await eventually('on B', () => closed.length === 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(closed, ['A c-household-camera', 'B c-household-camera']);
});

test('a relay that stopped hears nothing more', async () => {
  const [a, b] = [await channels(), await channels()];
  const closed: string[] = [];
  const peersA = relayPeerClosing(a.channels, { closePeer: () => {} }).peers;
  const relayB = relayPeerClosing(b.channels, { closePeer: (peerId) => closed.push(peerId) });
  await subscribed(a.link, 'peerwatch:peer-closing', 2);
  relayB.stop();
  await subscribed(a.link, 'peerwatch:peer-closing', 1);
  peersA.closePeer('c-x');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(closed, []);
});
