import { test, expect } from '@playwright/test';
import { WebSocket } from 'ws';
import type { AuthSession, SignalingTicket } from '../../protocol/index.js';
import { TestServer } from '../support/server.js';
import { pairCamera, type PairedCamera } from '../support/recording-client.js';
import {
  clientTextFrame,
  connectRaw,
  expectHealthy,
  signalingPath,
  sleep,
  upgradeRequest,
  type RawConnection,
} from './raw-connection.js';

/**
 * Who may hold a signaling socket, attacked over raw sockets: concurrent
 * connects under one peer id, removed cameras, reused and stale tickets,
 * signed-out viewers.
 */

/** Connects at once, as an attacker racing the server would. */
const CONCURRENT = 11;
/** Time given to the server to settle concurrent connects, ms. */
const SETTLE_MS = 1_000;

let server: TestServer;
let owner: AuthSession;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off' } });
  owner = await server.register();
});
test.afterAll(async () => server?.stop());
test.afterEach(async () => expectHealthy(server));

async function ticketFor(auth: string): Promise<SignalingTicket> {
  const res = await server.request('POST', '/api/signaling/tickets', { auth, body: {} });
  expect(res.status).toBe(201);
  return res.body as SignalingTicket;
}

/** Opens `tickets.length` TCP connections first, then sends every upgrade request in one go. */
async function connectTogether(tickets: SignalingTicket[]): Promise<RawConnection[]> {
  const connections = await Promise.all(tickets.map(() => connectRaw(server, 'http')));
  connections.forEach((raw, i) => raw.stream.write(upgradeRequest(signalingPath(tickets[i]!.peerId, tickets[i]!.ticket))));
  await sleep(SETTLE_MS);
  return connections;
}

/** The connections that are open WebSockets that PeerJS's OPEN reached. */
const openSockets = (connections: RawConnection[]) =>
  connections.filter((raw) => !raw.isClosed() && /^HTTP\/1\.1 101 /.test(raw.received()) && /"OPEN"/.test(raw.received()));

/** A viewer's PeerJS socket (the `ws` client) that collects what it is sent. */
async function viewerSocket(session: AuthSession): Promise<{ peerId: string; messages: { type: string; src?: string }[] }> {
  const { peerId, ticket } = await ticketFor(`Bearer ${session.accessToken}`);
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${signalingPath(peerId, ticket)}`);
  const messages: { type: string; src?: string }[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  await expect.poll(() => messages.some((m) => m.type === 'OPEN')).toBe(true);
  return { peerId, messages };
}

async function removeCamera(camera: PairedCamera): Promise<void> {
  const res = await server.request('DELETE', `/api/devices/${camera.deviceId}`, { auth: `Bearer ${owner.accessToken}` });
  expect(res.status).toBe(204);
}

test('concurrent connects with one ticket: exactly one socket opens', async () => {
  const camera = await pairCamera(server, owner.accessToken);
  const ticket = await ticketFor(camera.auth);
  const connections = await connectTogether(Array.from({ length: CONCURRENT }, () => ticket));
  expect(openSockets(connections).length).toBe(1);
  expect(connections.filter((raw) => /^HTTP\/1\.1 401 /.test(raw.received())).length).toBe(CONCURRENT - 1);
  await removeCamera(camera);
  await expect.poll(() => openSockets(connections).length, { timeout: 2_000 }).toBe(0);
});

test('concurrent connects under one peer id: one socket stays, it relays, and removal closes every one', async () => {
  const camera = await pairCamera(server, owner.accessToken);
  const viewer = await viewerSocket(owner);
  const tickets = [];
  for (let i = 0; i < CONCURRENT; i++) tickets.push(await ticketFor(camera.auth));
  const connections = await connectTogether(tickets);
  const open = openSockets(connections);
  expect(open.length).toBe(1);
  expect(connections.filter((raw) => raw.isClosed()).length).toBe(CONCURRENT - 1);

  // The one left is the camera's live socket: its OFFER reaches the household's viewer.
  open[0]!.stream.write(clientTextFrame(JSON.stringify({ type: 'OFFER', dst: viewer.peerId, payload: {} })));
  await expect.poll(() => viewer.messages.filter((m) => m.type === 'OFFER').length).toBe(1);
  expect(viewer.messages.find((m) => m.type === 'OFFER')?.src).toBe(tickets[0]!.peerId);

  await removeCamera(camera);
  await expect.poll(() => connections.filter((raw) => !raw.isClosed()).length, { timeout: 2_000 }).toBe(0);
});

test('a ticket opens one socket: reusing it is refused, also after the first socket closed', async () => {
  const camera = await pairCamera(server, owner.accessToken);
  const ticket = await ticketFor(camera.auth);
  const first = await connectRaw(server, 'http');
  first.stream.write(upgradeRequest(signalingPath(ticket.peerId, ticket.ticket)));
  await first.waitFor(/"OPEN"/);
  const second = await connectRaw(server, 'http');
  second.stream.write(upgradeRequest(signalingPath(ticket.peerId, ticket.ticket)));
  expect(await second.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 401 /);
  expect(first.isClosed()).toBe(false);

  first.stream.destroy();
  await first.closed;
  const third = await connectRaw(server, 'http');
  third.stream.write(upgradeRequest(signalingPath(ticket.peerId, ticket.ticket)));
  expect(await third.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 401 /);
});

test('a ticket minted before the camera was removed opens no socket after it', async () => {
  const camera = await pairCamera(server, owner.accessToken);
  const ticket = await ticketFor(camera.auth);
  await removeCamera(camera);
  const raw = await connectRaw(server, 'http');
  raw.stream.write(upgradeRequest(signalingPath(ticket.peerId, ticket.ticket)));
  expect(await raw.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 401 /);
  await raw.closed;
  // And a new one cannot be minted: the device credential died with the camera.
  const res = await server.request('POST', '/api/signaling/tickets', { auth: camera.auth, body: {} });
  expect(res.status).toBe(401);
});

test('a viewer ticket minted before sign-out opens no socket after it', async () => {
  const session = await server.register();
  const ticket = await ticketFor(`Bearer ${session.accessToken}`);
  const out = await server.request('POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } });
  expect(out.status).toBe(204);
  const raw = await connectRaw(server, 'http');
  raw.stream.write(upgradeRequest(signalingPath(ticket.peerId, ticket.ticket)));
  expect(await raw.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 401 /);
});
