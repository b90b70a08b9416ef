import { test, expect } from '@playwright/test';
import type { AuthSession, Invite, Member } from '../../protocol/index.js';
import { bearer, TEST_PASSWORD, TestServer } from '../support/server.js';
import { EventStreamReader, pairCamera } from '../support/recording-client.js';
import { offerTo, openSignalingSocket } from '../support/signaling-client.js';

/**
 * A household of several people over the real API: an owner invites a
 * viewer of one camera, the viewer joins and sees only that camera (HTTP,
 * event stream and signaling), the owner narrows and then removes them, and
 * each change takes effect at once; the household always keeps an owner.
 */
let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start();
});
test.afterAll(async () => {
  await server?.stop();
});

async function invite(owner: AuthSession, body: object): Promise<Invite> {
  const res = await server.request('POST', '/api/invites', { auth: bearer(owner), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Invite;
}

const openSocket = (auth: string) => openSignalingSocket(server, auth);

test('an invited viewer of one camera sees, streams and calls only that camera; narrowing and removal take effect at once', async () => {
  const owner = await server.register();
  const front = await pairCamera(server, owner.accessToken, 'Front');
  const back = await pairCamera(server, owner.accessToken, 'Back');

  const link = await invite(owner, { role: 'viewer', deviceIds: [front.deviceId] });
  expect(link.url).toBe(`${server.baseURL}/invite#${link.token}`);
  expect(link.expiresAtMs - Date.now()).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
  expect(link.expiresAtMs - Date.now()).toBeLessThanOrEqual(7 * 24 * 3_600_000);

  const guest = await server.register();
  const joined = await server.request('POST', '/api/invites/accept', { auth: bearer(guest), body: { token: link.token } });
  expect(joined.status).toBe(200);
  expect(joined.body.role).toBe('viewer');
  const again = await server.request('POST', '/api/invites/accept', { auth: bearer(guest), body: { token: link.token } });
  expect([again.status, again.body.error.code]).toEqual([410, 'invite_used']);

  // The guest's existing access token now speaks for the owner's household, as a viewer of Front only.
  const devices = await server.request('GET', '/api/devices', { auth: bearer(guest) });
  expect((devices.body as { id: string }[]).map((d) => d.id)).toEqual([front.deviceId]);
  expect((await server.request('GET', `/api/devices/${back.deviceId}/recording`, { auth: bearer(guest) })).status).toBe(404);
  expect((await server.request('GET', `/api/devices/${front.deviceId}/recording`, { auth: bearer(guest) })).status).toBe(200);
  const rename = await server.request('PATCH', `/api/devices/${front.deviceId}`, { auth: bearer(guest), body: { name: 'Mine' } });
  expect([rename.status, rename.body.error.code]).toEqual([403, 'forbidden']);
  expect((await server.request('GET', '/api/members', { auth: bearer(guest) })).status).toBe(403);

  const members = await server.request('GET', '/api/members', { auth: bearer(owner) });
  expect(members.body as Member[]).toEqual([
    { userId: owner.user.id, email: owner.user.email, role: 'owner', deviceIds: null },
    { userId: guest.user.id, email: guest.user.email, role: 'viewer', deviceIds: [front.deviceId] },
  ]);

  // Signaling: the viewer's OFFER reaches Front, never Back.
  const frontSocket = await openSocket(front.auth);
  const backSocket = await openSocket(back.auth);
  const viewerSocket = await openSocket(bearer(guest));
  viewerSocket.ws.send(offerTo(backSocket.peerId));
  viewerSocket.ws.send(offerTo(frontSocket.peerId));
  await expect.poll(() => frontSocket.received.filter((m) => m.type === 'OFFER').length).toBe(1);
  expect(frontSocket.received.find((m) => m.type === 'OFFER')?.src).toBe(viewerSocket.peerId);
  // Back's socket is still open and was sent nothing (the OFFER to it was dropped before Front's went through).
  expect(backSocket.received.filter((m) => m.type === 'OFFER')).toEqual([]);

  // The stream carries Front's events only.
  const stream = await EventStreamReader.open(server, bearer(guest));
  await server.request('PUT', `/api/devices/${back.deviceId}/recording`, { auth: bearer(owner), body: { enabled: true } });
  await server.request('PUT', `/api/devices/${front.deviceId}/recording`, { auth: bearer(owner), body: { enabled: true } });
  await stream.next('recording-state', (e) => e.deviceId === front.deviceId);
  expect(stream.events.filter((e) => e.data.deviceId === back.deviceId)).toEqual([]);

  // Narrowing to no camera: the stream is told and closes, the signaling socket closes, Front disappears.
  const narrowed = await server.request('PATCH', `/api/members/${guest.user.id}`, { auth: bearer(owner), body: { deviceIds: [] } });
  expect(narrowed.body).toEqual({ userId: guest.user.id, email: guest.user.email, role: 'viewer', deviceIds: [] });
  await stream.ended;
  expect(stream.events.at(-1)).toEqual({ type: 'access-changed', data: { type: 'access-changed', change: 'changed' } });
  await viewerSocket.closed;
  expect((await server.request('GET', '/api/devices', { auth: bearer(guest) })).body).toEqual([]);

  // Removal: sessions end (access and refresh token refused), the stream says so; the person keeps an account of their own.
  const stream2 = await EventStreamReader.open(server, bearer(guest));
  expect((await server.request('DELETE', `/api/members/${guest.user.id}`, { auth: bearer(owner) })).status).toBe(204);
  await stream2.ended;
  expect(stream2.events.at(-1)?.data).toEqual({ type: 'access-changed', change: 'removed' });
  expect((await server.request('GET', '/api/devices', { auth: bearer(guest) })).status).toBe(401);
  const refresh = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: guest.refreshToken } });
  expect(refresh.status).toBe(401);
  const signedIn = await server.request('POST', '/api/auth/login', { body: { email: guest.user.email, password: TEST_PASSWORD } });
  expect((await server.request('GET', '/api/devices', { auth: `Bearer ${signedIn.body.accessToken}` })).body).toEqual([]);
  expect((await server.request('GET', '/api/members', { auth: bearer(owner) })).body).toHaveLength(1);

  for (const socket of [frontSocket, backSocket]) socket.ws.close();
});

test('a household keeps an owner; invites are one-time and revocable; another household’s people answer 404', async () => {
  const owner = await server.register();
  const alone = await server.request('PATCH', `/api/members/${owner.user.id}`, { auth: bearer(owner), body: { role: 'member' } });
  expect([alone.status, alone.body.error.code]).toEqual([409, 'last_owner']);

  const member = await server.register();
  const link = await invite(owner, { role: 'member' });
  expect((await server.request('POST', '/api/invites/accept', { auth: bearer(member), body: { token: link.token } })).body).toEqual({
    household: expect.any(String),
    role: 'member',
  });
  // With someone else in the household, its only owner can neither step down nor go.
  const stepDown = await server.request('PATCH', `/api/members/${owner.user.id}`, { auth: bearer(owner), body: { role: 'member' } });
  expect([stepDown.status, stepDown.body.error.code]).toEqual([409, 'last_owner']);
  const leave = await server.request('DELETE', `/api/members/${owner.user.id}`, { auth: bearer(owner) });
  expect([leave.status, leave.body.error.code]).toEqual([409, 'last_owner']);
  // A member cannot manage people or invite.
  expect((await server.request('POST', '/api/invites', { auth: bearer(member), body: { role: 'owner' } })).status).toBe(403);
  expect((await server.request('POST', '/api/account/leave', { auth: bearer(owner) })).body.error.code).toBe('last_owner');

  const unknownCamera = await server.request('POST', '/api/invites', { auth: bearer(owner), body: { role: 'viewer', deviceIds: ['ffff'] } });
  expect([unknownCamera.status, unknownCamera.body.error.code]).toEqual([400, 'unknown_camera']);

  const revoked = await invite(owner, { role: 'viewer' });
  expect((await server.request('DELETE', `/api/invites/${revoked.id}`, { auth: bearer(owner) })).status).toBe(204);
  expect((await server.request('DELETE', `/api/invites/${revoked.id}`, { auth: bearer(owner) })).status).toBe(404);
  const late = await server.register();
  const refused = await server.request('POST', '/api/invites/accept', { auth: bearer(late), body: { token: revoked.token } });
  expect([refused.status, refused.body.error.code]).toEqual([410, 'invite_used']);
  const unknown = await server.request('POST', '/api/invites/accept', { auth: bearer(late), body: { token: 'no-such-token' } });
  expect(unknown.status).toBe(404);

  // A member who leaves owns a household of their own again, with their session going on.
  const stream = await EventStreamReader.open(server, bearer(member));
  const left = await server.request('POST', '/api/account/leave', { auth: bearer(member) });
  expect(left.body).toMatchObject({ userId: member.user.id, role: 'owner', deviceIds: null });
  await stream.ended;
  expect(stream.events.at(-1)?.data).toEqual({ type: 'access-changed', change: 'changed' });
  expect((await server.request('GET', '/api/account', { auth: bearer(member) })).body.household).toBe(left.body.household);
  expect((await server.request('GET', '/api/members', { auth: bearer(owner) })).body).toHaveLength(1);

  // Another household's owner can neither see nor touch these people.
  const stranger = await server.register();
  expect((await server.request('DELETE', `/api/members/${member.user.id}`, { auth: bearer(stranger) })).status).toBe(404);
  expect((await server.request('PATCH', `/api/members/${member.user.id}`, { auth: bearer(stranger), body: { role: 'viewer' } })).status).toBe(404);
  expect((await server.request('DELETE', `/api/invites/${link.id}`, { auth: bearer(stranger) })).status).toBe(404);
});
