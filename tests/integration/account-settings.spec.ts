import { existsSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { WebSocket } from 'ws';
import type { AccountSession, AuthSession, SignalingTicket } from '../../protocol/index.js';
import { openPeerSocket } from '../../bench/support/peer-socket.js';
import { joinHousehold } from '../support/household.js';
import { bearer, TEST_PASSWORD, TestServer } from '../support/server.js';
import {
  EventStreamReader,
  newEventId,
  newRecordingId,
  pairCamera,
  randomChunks,
  uploadEventWithSnapshot,
  uploadRecording,
} from '../support/recording-client.js';
import { footageFrame } from '../support/media.js';

/**
 * Account settings over the real API: changing the password ends every other
 * sign-in session at once (refresh refused, event stream and signaling
 * socket closed) and keeps this one; a wrong current password is refused;
 * sessions are listed with their browser and signed out one by one or all
 * others; deleting an account follows the household's owner rule, and the
 * only person of a household takes its cameras, recordings and events with them.
 */
let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start();
});
test.afterAll(async () => {
  await server?.stop();
});

const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

/** Signs in as `email` with a browser's User-Agent. */
async function signIn(email: string, password = TEST_PASSWORD, userAgent = PHONE_UA): Promise<AuthSession> {
  const res = await fetch(`${server.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as AuthSession;
}

const refresh = (session: AuthSession) => server.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });

/** A signaling socket of a user or camera, with a promise of its close. */
async function openSocket(auth: string): Promise<{ ws: WebSocket; closed: Promise<void> }> {
  const res = await server.request('POST', '/api/signaling/tickets', { auth, body: {} });
  expect(res.status).toBe(201);
  const { peerId, ticket, path: mount, key } = res.body as SignalingTicket;
  const query = new URLSearchParams({ key, id: peerId, token: ticket });
  const ws = await openPeerSocket(`ws://127.0.0.1:${server.port}${mount}/peerjs?${query}`, { timeoutMs: 10_000 });
  return { ws, closed: new Promise<void>((resolve) => ws.once('close', () => resolve())) };
}

const joinAs = (owner: AuthSession, role: string) => joinHousehold(server, owner, role);

test('changing the password signs out every other session at once and keeps this one; a wrong current password is refused', async () => {
  const first = await server.register();
  const email = first.user.email;
  const other = await signIn(email);
  const otherStream = await EventStreamReader.open(server, bearer(other));
  const otherSocket = await openSocket(bearer(other));

  const wrong = await server.request('PUT', '/api/account/password', {
    auth: bearer(first),
    body: { currentPassword: 'not my password', newPassword: 'a new password 2' },
  });
  expect([wrong.status, wrong.body.error.code]).toEqual([403, 'wrong_password']);
  const short = await server.request('PUT', '/api/account/password', {
    auth: bearer(first),
    body: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
  });
  expect([short.status, short.body.error.code]).toEqual([400, 'invalid_body']);
  expect((await server.request('GET', '/api/account', { auth: bearer(other) })).status).toBe(200);

  const changed = await server.request('PUT', '/api/account/password', {
    auth: bearer(first),
    body: { currentPassword: TEST_PASSWORD, newPassword: 'a new password 2' },
  });
  expect(changed.status).toBe(204);

  // The other session: stream and socket closed, access and refresh refused.
  await otherStream.ended;
  await otherSocket.closed;
  expect((await server.request('GET', '/api/account', { auth: bearer(other) })).status).toBe(401);
  expect((await refresh(other)).status).toBe(401);
  // This session goes on, and refreshes.
  expect((await server.request('GET', '/api/account', { auth: bearer(first) })).status).toBe(200);
  expect((await refresh(first)).status).toBe(200);
  // Only the new password signs in.
  const old = await server.request('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } });
  expect(old.status).toBe(401);
  await signIn(email, 'a new password 2');
});

test('an API token may not change the password or see the sessions, and outlives a password change', async () => {
  const owner = await server.register();
  const created = await server.request('POST', '/api/tokens', { auth: bearer(owner), body: { name: 'script', scopes: ['admin', 'read'] } });
  const token = `Bearer ${created.body.token}`;
  expect((await server.request('GET', '/api/account/sessions', { auth: token })).status).toBe(403);
  const byToken = await server.request('PUT', '/api/account/password', {
    auth: token,
    body: { currentPassword: TEST_PASSWORD, newPassword: 'a new password 2' },
  });
  expect([byToken.status, byToken.body.error.code]).toEqual([403, 'forbidden']);
  const changed = await server.request('PUT', '/api/account/password', {
    auth: bearer(owner),
    body: { currentPassword: TEST_PASSWORD, newPassword: 'a new password 2' },
  });
  expect(changed.status).toBe(204);
  expect((await server.request('GET', '/api/devices', { auth: token })).status).toBe(200);
});

test('sessions are listed with browser, address and this device; one is signed out, then all others', async () => {
  const here = await server.register();
  const email = here.user.email;
  const phone = await signIn(email);
  const laptop = await signIn(email, TEST_PASSWORD, 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
  const phoneStream = await EventStreamReader.open(server, bearer(phone));
  const phoneSocket = await openSocket(bearer(phone));

  const listed = await server.request('GET', '/api/account/sessions', { auth: bearer(here) });
  expect(listed.status).toBe(200);
  const list = listed.body as AccountSession[];
  expect(list).toHaveLength(3);
  const current = list.filter((s) => s.current);
  expect(current).toHaveLength(1);
  const browsers = list.filter((s) => !s.current).map((s) => s.browser).sort();
  expect(browsers).toEqual(['Chrome 131 on Android', 'Firefox 128 on Linux']);
  for (const session of list) {
    expect(session.address).toMatch(/127\.0\.0\.1/);
    expect(session.createdAtMs).toBeGreaterThan(Date.now() - 60_000);
    expect(session.lastUsedAtMs).toBeGreaterThanOrEqual(session.createdAtMs!);
  }
  // Another person cannot see or end these sessions.
  const stranger = await server.register();
  const phoneId = list.find((s) => s.browser?.startsWith('Chrome'))!.id;
  expect((await server.request('DELETE', `/api/account/sessions/${phoneId}`, { auth: bearer(stranger) })).status).toBe(404);
  expect((await server.request('GET', '/api/account/sessions', { auth: bearer(stranger) })).body).toHaveLength(1);

  // Sign out the phone: at once, its stream and socket close and its refresh fails.
  expect((await server.request('DELETE', `/api/account/sessions/${phoneId}`, { auth: bearer(here) })).status).toBe(204);
  await phoneStream.ended;
  await phoneSocket.closed;
  expect((await refresh(phone)).status).toBe(401);
  expect((await server.request('GET', '/api/account/sessions', { auth: bearer(here) })).body).toHaveLength(2);

  // Sign out all others: the laptop goes, this one stays.
  expect((await server.request('DELETE', '/api/account/sessions', { auth: bearer(here) })).status).toBe(204);
  expect((await refresh(laptop)).status).toBe(401);
  const left = (await server.request('GET', '/api/account/sessions', { auth: bearer(here) })).body as AccountSession[];
  expect(left.map((s) => s.current)).toEqual([true]);
});

test('deleting an account: the last owner of a household with people is refused; a member goes and the cameras stay', async () => {
  const owner = await server.register();
  const camera = await pairCamera(server, owner.accessToken, 'Hall');
  const member = await joinAs(owner, 'member');
  const memberStream = await EventStreamReader.open(server, bearer(member));

  const wrong = await server.request('DELETE', '/api/account', { auth: bearer(owner), body: { password: 'not my password' } });
  expect([wrong.status, wrong.body.error.code]).toEqual([403, 'wrong_password']);
  const refused = await server.request('DELETE', '/api/account', { auth: bearer(owner), body: { password: TEST_PASSWORD } });
  expect([refused.status, refused.body.error.code]).toEqual([409, 'last_owner']);
  expect(refused.body.error.message).toMatch(/owner/);

  expect((await server.request('DELETE', '/api/account', { auth: bearer(member), body: { password: TEST_PASSWORD } })).status).toBe(204);
  await memberStream.ended;
  expect((await refresh(member)).status).toBe(401);
  expect((await server.request('POST', '/api/auth/login', { body: { email: member.user.email, password: TEST_PASSWORD } })).status).toBe(401);
  const members = (await server.request('GET', '/api/members', { auth: bearer(owner) })).body as { userId: string }[];
  expect(members.map((m) => m.userId)).toEqual([owner.user.id]);
  expect((await server.request('GET', '/api/devices/me', { auth: camera.auth })).status).toBe(200);

  // With a second owner, the first may go; the household and its camera stay with the second.
  const second = await joinAs(owner, 'owner');
  expect((await server.request('DELETE', '/api/account', { auth: bearer(owner), body: { password: TEST_PASSWORD } })).status).toBe(204);
  const devices = (await server.request('GET', '/api/devices', { auth: bearer(second) })).body as { id: string }[];
  expect(devices.map((d) => d.id)).toEqual([camera.deviceId]);
  // The email is free again.
  expect((await server.request('POST', '/api/auth/register', { body: { email: owner.user.email, password: TEST_PASSWORD } })).status).toBe(201);
});

test('the only person of a household deleting their account deletes the household: cameras disconnected, recordings and events gone', async () => {
  const owner = await server.register();
  const camera = await pairCamera(server, owner.accessToken, 'Garden');
  const cameraSocket = await openSocket(camera.auth);
  const recordingId = newRecordingId();
  await uploadRecording(server, camera, recordingId, randomChunks(2, 1_000, Date.now() - 60_000));
  const eventId = newEventId();
  await uploadEventWithSnapshot(server, camera, eventId, footageFrame(2, 'jpg'));
  const recordingDir = path.join(server.dataDir, 'recordings', recordingId);
  const imageDir = path.join(server.dataDir, 'event-images', eventId);
  expect([existsSync(recordingDir), existsSync(imageDir)]).toEqual([true, true]);

  expect((await server.request('DELETE', '/api/account', { auth: bearer(owner), body: { password: TEST_PASSWORD } })).status).toBe(204);
  await cameraSocket.closed;
  expect((await server.request('GET', '/api/devices/me', { auth: camera.auth })).status).toBe(401);
  expect([existsSync(recordingDir), existsSync(imageDir)]).toEqual([false, false]);
  expect((await server.request('POST', '/api/auth/login', { body: { email: owner.user.email, password: TEST_PASSWORD } })).status).toBe(401);
});
