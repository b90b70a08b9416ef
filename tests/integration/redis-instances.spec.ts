import { test, expect } from '@playwright/test';
import { createClient } from 'redis';
import type { AuthSession } from '../../protocol/index.js';
import { connectCamera } from '../support/camera-socket.js';
import { EventStreamReader, pairCamera } from '../support/recording-client.js';
import { RedisServer } from '../support/redis-server.js';
import { bearer, TestServer } from '../support/server.js';

/**
 * A real server process with REDIS_URL, and a plain Redis client beside it
 * that plays another instance on the same Redis (what it publishes, what it
 * hears, what presence keys it writes): the wire between instances as the
 * server really speaks it. Two full server processes need one shared store
 * (a household lives in one database), so they are tested where the
 * PostgreSQL store is.
 */
let redis: RedisServer;
let server: TestServer;
const logged: string[] = [];
/** The other instance's connections: commands, and what it hears. */
let other: ReturnType<typeof createClient>;
let heard: ReturnType<typeof createClient>;

async function openOther(): Promise<void> {
  other = createClient({ url: redis.url });
  await other.connect();
  heard = other.duplicate();
  await heard.connect();
}

const closeOther = () => Promise.all([other.close(), heard.close()]);

test.beforeAll(async () => {
  redis = await RedisServer.start();
  server = await TestServer.start({
    env: { REDIS_URL: redis.url, HTTPS: 'off' },
    onLogLine: (line) => logged.push(line),
  });
  await openOther();
});

test.afterAll(async () => {
  await server.stop();
  await closeOther();
  await redis.stop();
});

/** The household and session of an access token (its JWT claims `hid`, `sid`). */
function claimsOf(session: AuthSession): { hid: string; sid: string } {
  return JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString('utf8'));
}

/** Publishes `message` on `channel` as another instance would. */
async function publishAsOther(channel: string, message: unknown): Promise<void> {
  await other.publish(channel, JSON.stringify({ from: 'other-instance', message }));
}

/** The messages heard on `channel` from now on (their `message` part). */
async function listen(channel: string): Promise<unknown[]> {
  const messages: unknown[] = [];
  await heard.subscribe(channel, (raw) => messages.push((JSON.parse(raw) as { message: unknown }).message));
  return messages;
}

/** The presence key of the server's own instance: the one `peerwatch:presence:*` key that is not `other`'s. */
async function serverPresence(): Promise<Record<string, string>> {
  const keys = (await other.keys('peerwatch:presence:*')).filter((key) => key !== 'peerwatch:presence:other-instance');
  return keys.length === 1 ? await other.hGetAll(keys[0]!) : {};
}

async function deviceOnline(session: AuthSession, deviceId: string): Promise<boolean | undefined> {
  const res = await server.request('GET', '/api/devices', { auth: bearer(session) });
  return (res.body as Array<{ id: string; online: boolean }>).find((device) => device.id === deviceId)?.online;
}

test('events and presence go both ways between this instance and another one on the same Redis', async () => {
  expect(await server.request('GET', '/healthz')).toEqual({ status: 200, body: { ok: true, redis: 'up' } });
  const owner = await server.register();
  const { hid, sid } = claimsOf(owner);
  const stream = await EventStreamReader.open(server, bearer(owner));
  const outgoing = await listen(`peerwatch:household:${hid}`);

  // A camera on this instance: the other instance hears the event and sees the presence key.
  const here = await pairCamera(server, owner.accessToken, 'Porch');
  const socket = await connectCamera(server, here);
  await stream.next('presence', (event) => event.deviceId === here.deviceId && event.online);
  await expect.poll(() => outgoing.some((event: any) => event.type === 'presence' && event.deviceId === here.deviceId && event.online)).toBe(true);
  await expect.poll(async () => Object.keys(await serverPresence())).toEqual([here.deviceId]);

  // An event the other instance publishes reaches this instance's viewers.
  // One that is no household event is dropped.
  await publishAsOther(`peerwatch:household:${hid}`, { type: 'presence', online: true });
  await publishAsOther(`peerwatch:household:${hid}`, { type: 'presence', deviceId: 'on-other', online: true, lastSeenAtMs: 1 });
  await stream.next('presence', (event) => event.deviceId === 'on-other');
  expect(stream.events.filter((event) => event.type === 'presence' && event.data.deviceId === undefined)).toEqual([]);

  // A camera whose socket the other instance holds counts online here, until that instance dies (its key expires).
  const there = await pairCamera(server, owner.accessToken, 'Garden');
  const sinceMs = Date.now();
  await other.hSet('peerwatch:presence:other-instance', there.deviceId, JSON.stringify({ householdId: hid, sinceMs }));
  await other.pExpire('peerwatch:presence:other-instance', 10_000);
  await publishAsOther('peerwatch:presence', { processId: 'other-instance', householdId: hid, deviceId: there.deviceId, held: true, sinceMs });
  await expect.poll(() => deviceOnline(owner, there.deviceId), { timeout: 2_000 }).toBe(true);
  await other.del('peerwatch:presence:other-instance'); // as if it expired: no message
  const goneAtMs = Date.now();
  await stream.next('presence', (event) => event.deviceId === there.deviceId && !event.online, 5_000);
  expect(Date.now() - goneAtMs).toBeLessThan(4_000);
  expect(await deviceOnline(owner, there.deviceId)).toBe(false);
  const wentOffline = () => outgoing.filter((event: any) => event.type === 'presence' && event.deviceId === there.deviceId && !event.online);
  await expect.poll(() => wentOffline().length).toBe(1);

  // A sign-out on the other instance closes this session's stream here.
  await publishAsOther('peerwatch:session-endings', { sessionId: sid, why: 'signed-out' });
  await stream.ended;
  await socket.close();
});

test('Redis away for 10 s: the instance serves its own viewers, reports it, and recovers by itself', async () => {
  const owner = await server.register();
  const { hid } = claimsOf(owner);
  const stream = await EventStreamReader.open(server, bearer(owner));
  const camera = await pairCamera(server, owner.accessToken);
  let socket = await connectCamera(server, camera);
  await stream.next('presence', (event) => event.deviceId === camera.deviceId && event.online);
  const loggedBefore = logged.length;

  await closeOther();
  await redis.stop();
  await expect.poll(async () => (await server.request('GET', '/healthz')).status, { timeout: 5_000 }).toBe(503);
  const down = await server.request('GET', '/healthz');
  expect(down.body).toMatchObject({ ok: false, redis: 'down' });
  expect(typeof down.body.downSinceMs).toBe('number');
  // Its own camera and viewer go on: presence changes reach the viewer at once.
  await socket.close();
  await stream.next('presence', (event) => event.deviceId === camera.deviceId && !event.online, 3_000);
  const seen = stream.events.length;
  socket = await connectCamera(server, camera);
  await expect
    .poll(() => stream.events.slice(seen).some((event) => event.type === 'presence' && event.data.deviceId === camera.deviceId && event.data.online), { timeout: 3_000 })
    .toBe(true);
  expect(await deviceOnline(owner, camera.deviceId)).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 10_000));

  await redis.start(); // an empty Redis: this one keeps nothing on disk
  await expect.poll(async () => (await server.request('GET', '/healthz')).body, { timeout: 10_000 }).toEqual({ ok: true, redis: 'up' });
  // It announced its camera again, and events cross instances again.
  await openOther();
  await expect.poll(async () => Object.keys(await serverPresence()), { timeout: 5_000 }).toEqual([camera.deviceId]);
  const outgoing = await listen(`peerwatch:household:${hid}`);
  await socket.close();
  await expect.poll(() => outgoing.some((event: any) => event.type === 'presence' && event.deviceId === camera.deviceId && !event.online)).toBe(true);
  const messages = logged.slice(loggedBefore).map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '');
  expect(messages.filter((msg) => msg.startsWith('redis connection lost'))).toHaveLength(1);
  expect(messages.filter((msg) => msg === 'redis connection is up')).toHaveLength(1);
  expect(server.loggedErrors()).toEqual([]);
});
