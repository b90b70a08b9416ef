import { test, expect } from '@playwright/test';
import { WebSocket } from 'ws';
import { createClient, type RedisClientType } from 'redis';
import type { AuthSession, SignalingTicket } from '../../protocol/index.js';
import type { ServerMessage } from '../../bench/support/peer-socket.js';
import { instanceChannel } from '../../signal-server/signaling/cluster-signaling.js';
import { cameraPeerId, parsePeerId } from '../../signal-server/signaling/peer-ids.js';
import { PeerwatchInstance, startInstances } from '../support/cluster-instances.js';
import { RedisServer } from '../support/redis-server.js';
import { pairCamera, type PairedCamera } from '../support/recording-client.js';
import { bearer, registerAt } from '../support/server.js';
import { offerTo, openSignalingSocket, type SignalingSocket } from '../support/signaling-client.js';

/**
 * Signaling across two Peerwatch instances on one Redis (the real
 * `createPeerwatchServer` twice, sharing a store and the JWT secret, each
 * on its own loopback port), driven by PeerJS-protocol clients (`ws`):
 * messages reach peers on the other instance and come back, without the
 * stock server's false EXPIRE; households stay apart on both sides; a peer
 * id and a ticket are held once across the instances.
 */

/** Longer than the PeerServer's `expire_timeout` (5 000 ms) plus its check interval (1 000 ms). */
const PAST_EXPIRY_MS = 7_000;

let redis: RedisServer;
let a: PeerwatchInstance;
let b: PeerwatchInstance;
/** A plain client beside the instances, to look at and write what they keep in Redis. */
let probe: RedisClientType;
const probeErrors: Error[] = [];
let owner: AuthSession;
let camera: PairedCamera;

test.beforeAll(async () => {
  redis = await RedisServer.start();
  [a, b] = (await startInstances(2, redis.url)) as [PeerwatchInstance, PeerwatchInstance];
  probe = createClient({ url: redis.url });
  // It reconnects by itself when Redis is back; meanwhile its connection errors are kept, not thrown.
  probe.on('error', (err: Error) => probeErrors.push(err));
  await probe.connect();
  owner = await registerAt(a);
  camera = await pairCamera(a, owner.accessToken);
});
test.afterEach(() => {
  // pino's level 50 is error: nothing a test does may make an instance log one.
  for (const instance of [a, b]) expect(instance.logged().filter((entry) => (entry.level as number) >= 50)).toEqual([]);
});
test.afterAll(async () => {
  await probe?.close();
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ofType = (socket: SignalingSocket, type: string) => socket.received.filter((m) => m.type === type);
const householdOf = (peerId: string) => parsePeerId(peerId)!.householdId;
const send = (socket: SignalingSocket, message: object) => socket.ws.send(JSON.stringify(message));

/** A Redis client subscribed to the channel of instance `instanceId`, as a live instance is. */
async function listeningInstance(instanceId: string): Promise<RedisClientType> {
  const client = probe.duplicate();
  await client.connect();
  await client.subscribe(instanceChannel(instanceId), () => {});
  return client;
}

async function closeAll(...sockets: SignalingSocket[]): Promise<void> {
  for (const socket of sockets) socket.ws.close();
  await Promise.all(sockets.map((socket) => socket.closed));
}

test('OFFER, ANSWER, CANDIDATEs and LEAVE cross between instances, in order, with no EXPIRE', async () => {
  const cam = await openSignalingSocket(b, camera.auth);
  const viewer = await openSignalingSocket(a, bearer(owner));

  viewer.ws.send(offerTo(cam.peerId));
  for (let i = 0; i < 5; i++) send(viewer, { type: 'CANDIDATE', dst: cam.peerId, payload: { candidate: `viewer ${i}` } });
  await expect.poll(() => cam.received.length).toBe(6);
  expect(cam.received.map((m) => m.type)).toEqual(['OFFER', 'CANDIDATE', 'CANDIDATE', 'CANDIDATE', 'CANDIDATE', 'CANDIDATE']);
  expect(cam.received.every((m) => m.src === viewer.peerId && m.dst === cam.peerId)).toBe(true);
  expect(ofType(cam, 'CANDIDATE').map((m) => (m.payload as { candidate: string }).candidate)).toEqual([0, 1, 2, 3, 4].map((i) => `viewer ${i}`));

  send(cam, { type: 'ANSWER', dst: viewer.peerId, payload: { sdp: { type: 'answer', sdp: 'v=0' }, type: 'media', connectionId: 'mc_1' } });
  send(cam, { type: 'CANDIDATE', dst: viewer.peerId, payload: { candidate: 'camera 0' } });
  await expect.poll(() => viewer.received.map((m) => m.type)).toEqual(['ANSWER', 'CANDIDATE']);
  expect(viewer.received.every((m) => m.src === cam.peerId)).toBe(true);

  await sleep(PAST_EXPIRY_MS);
  expect([...ofType(viewer, 'EXPIRE'), ...ofType(cam, 'EXPIRE')]).toEqual([]);

  send(viewer, { type: 'LEAVE', dst: cam.peerId });
  await expect.poll(() => ofType(cam, 'LEAVE').map((m) => m.src)).toEqual([viewer.peerId]);
  await closeAll(cam, viewer);
});

test('a message for a peer on no instance is answered EXPIRE', async () => {
  const viewer = await openSignalingSocket(a, bearer(owner));
  const absent = await pairCamera(a, owner.accessToken);
  const absentPeerId = cameraPeerId(householdOf(viewer.peerId), absent.deviceId);
  viewer.ws.send(offerTo(absentPeerId));
  await expect.poll(() => ofType(viewer, 'EXPIRE'), { timeout: PAST_EXPIRY_MS + 2_000 }).toEqual([{ type: 'EXPIRE', src: absentPeerId, dst: viewer.peerId }]);
  await closeAll(viewer);
});

test("another household's viewer reaches no camera on another instance", async () => {
  const cam = await openSignalingSocket(b, camera.auth);
  const stranger = await registerAt(a);
  const viewer = await openSignalingSocket(a, bearer(stranger));
  viewer.ws.send(offerTo(cam.peerId));
  // A message the stranger's instance forged, with the camera's household on it, is refused where it lands too.
  const forged = { type: 'OFFER', src: viewer.peerId, dst: cam.peerId, payload: {}, householdId: householdOf(cam.peerId), fromInstanceId: 'a' };
  expect(await probe.publish(b.signalingChannel, JSON.stringify(forged))).toBe(1);
  await expect.poll(() => b.logged().map((entry) => entry.msg)).toContain('forwarded signaling message across households dropped');
  await sleep(1_000);
  expect(cam.received).toEqual([]);
  await closeAll(cam, viewer);
});

test('a peer id held on one instance is refused on the other (ID-TAKEN), and free there once it closed', async () => {
  const cam = await openSignalingSocket(a, camera.auth);
  await expect(openSignalingSocket(b, camera.auth)).rejects.toThrow(/^ID-TAKEN instead of OPEN/);
  expect(cam.ws.readyState).toBe(WebSocket.OPEN);
  await closeAll(cam);
  await expect.poll(async () => probe.exists(`signal:peer:${cam.peerId}`)).toBe(0);
  const again = await openSignalingSocket(b, camera.auth);
  expect(again.peerId).toBe(cam.peerId);
  await closeAll(again);
});

test('a ticket that opened a socket on one instance opens none on the other', async () => {
  const res = await a.request('POST', '/api/signaling/tickets', { auth: camera.auth, body: {} });
  expect(res.status).toBe(201);
  const { peerId, ticket, path, key } = res.body as SignalingTicket;
  const url = (port: number) => `ws://127.0.0.1:${port}${path}/peerjs?${new URLSearchParams({ key, id: peerId, token: ticket })}`;
  const first = new WebSocket(url(a.port));
  const messages: ServerMessage[] = [];
  first.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  await expect.poll(() => messages.map((m) => m.type)).toEqual(['OPEN']);
  first.close();
  await new Promise((resolve) => first.once('close', resolve));

  const reused = new WebSocket(url(b.port));
  reused.on('error', () => {});
  const status = await new Promise<number>((resolve) =>
    reused.once('unexpected-response', (req, response) => {
      resolve(response.statusCode ?? 0);
      req.destroy();
    }),
  );
  expect(status).toBe(401);
  expect(b.logged().filter((entry) => entry.msg === 'signaling socket refused')).toEqual([
    expect.objectContaining({ peerId, reason: 'reused' }),
  ]);
});

test('a message forwarded to an instance its addressee has left is answered EXPIRE to its sender', async () => {
  const viewer = await openSignalingSocket(a, bearer(owner));
  const gonePeerId = cameraPeerId(householdOf(viewer.peerId), camera.deviceId);
  // As a would forward it had the directory still named b when the camera left b.
  const fromInstanceId = a.signalingChannel.slice(instanceChannel('').length);
  const late = { type: 'OFFER', src: viewer.peerId, dst: gonePeerId, payload: {}, householdId: householdOf(viewer.peerId), fromInstanceId };
  expect(await probe.publish(b.signalingChannel, JSON.stringify(late))).toBe(1);
  await expect.poll(() => ofType(viewer, 'EXPIRE')).toEqual([{ type: 'EXPIRE', src: gonePeerId, dst: viewer.peerId }]);
  await closeAll(viewer);
});

test('a socket whose peer id another live instance took over (its claim had lapsed) is closed at its next heartbeat', async () => {
  const cam = await openSignalingSocket(b, camera.auth);
  send(cam, { type: 'HEARTBEAT' });
  await sleep(200);
  expect(cam.ws.readyState).toBe(WebSocket.OPEN);
  const other = await listeningInstance('another-instance');
  await probe.set(`signal:peer:${cam.peerId}`, 'another-instance');
  send(cam, { type: 'HEARTBEAT' });
  await cam.closed;
  expect(await probe.get(`signal:peer:${cam.peerId}`)).toBe('another-instance');
  await probe.del(`signal:peer:${cam.peerId}`);
  await other.close();
});

test('a peer id held by an instance that is gone (no subscriber on its channel) is taken over at once', async () => {
  const res = await a.request('POST', '/api/signaling/tickets', { auth: camera.auth, body: {} });
  const { peerId } = res.body as SignalingTicket;
  await probe.set(`signal:peer:${peerId}`, 'killed-instance', { expiration: { type: 'PX', value: 60_000 } });
  const cam = await openSignalingSocket(a, camera.auth);
  expect(await probe.get(`signal:peer:${peerId}`)).toBe(a.signalingChannel.slice(instanceChannel('').length));
  await closeAll(cam);
});

test('Redis away: an instance opens new sockets and relays between its own; once back, heartbeats rebuild the directory', async () => {
  const viewerA = await openSignalingSocket(a, bearer(owner));
  const camB = await openSignalingSocket(b, camera.auth);
  await redis.stop();
  await expect.poll(async () => (await b.request('GET', '/healthz')).status).toBe(503);

  const viewerB = await openSignalingSocket(b, bearer(owner));
  viewerB.ws.send(offerTo(camB.peerId));
  await expect.poll(() => ofType(camB, 'OFFER').map((m) => m.src)).toEqual([viewerB.peerId]);

  await redis.start(); // empty: it keeps nothing on disk
  await expect.poll(async () => (await a.request('GET', '/healthz')).status, { timeout: 10_000 }).toBe(200);
  await expect.poll(async () => (await b.request('GET', '/healthz')).status, { timeout: 10_000 }).toBe(200);
  send(camB, { type: 'HEARTBEAT' });
  await expect.poll(async () => probe.exists(`signal:peer:${camB.peerId}`), { timeout: 5_000 }).toBe(1);
  viewerA.ws.send(offerTo(camB.peerId, 'mc_2'));
  await expect.poll(() => ofType(camB, 'OFFER').map((m) => m.src)).toEqual([viewerB.peerId, viewerA.peerId]);
  expect(ofType(viewerA, 'EXPIRE')).toEqual([]);
  await closeAll(viewerA, viewerB, camB);
});
