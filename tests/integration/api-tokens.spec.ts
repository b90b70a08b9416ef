import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { ApiToken, AuthSession } from '../../protocol/index.js';
import { bearer, TestServer } from '../support/server.js';
import { newEventId, newRecordingId, pairCamera, randomChunks, uploadRecording } from '../support/recording-client.js';
import { footageFrame } from '../support/media.js';

/**
 * API tokens over the real API: scopes enforced on every route (and on media
 * reads, which check their credential themselves), revocation and expiry
 * honoured at once, the last use noted, and only the token's hash stored.
 */
let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start();
});
test.afterAll(async () => {
  await server?.stop();
});

async function createToken(owner: AuthSession, body: object): Promise<ApiToken & { token: string }> {
  const res = await server.request('POST', '/api/tokens', { auth: bearer(owner), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

test('API tokens: scopes enforced, revocation and expiry at once, last use noted, only the hash stored', async () => {
  const owner = await server.register();
  const camera = await pairCamera(server, owner.accessToken, 'Porch');
  const recordingId = newRecordingId();
  await uploadRecording(server, camera, recordingId, randomChunks(2, 1_000, Date.now() - 60_000));

  const read = await createToken(owner, { name: 'Dashboard', scopes: ['read'] });
  const control = await createToken(owner, { name: 'Automation', scopes: ['control'] });
  const admin = await createToken(owner, { name: 'Admin script', scopes: ['admin'] });
  expect(read.token).toMatch(/^pwt_[\w-]{43}$/);
  expect(read).toMatchObject({ name: 'Dashboard', scopes: ['read'], createdBy: owner.user.email, expiresAtMs: null, lastUsedAtMs: null });
  const as = (token: { token: string }) => `Bearer ${token.token}`;

  // read: devices, recordings and their media, events and their snapshot links (as README's curl does); nothing that changes anything.
  expect((await server.request('GET', '/api/devices', { auth: as(read) })).body).toHaveLength(1);
  const eventId = newEventId();
  const motion = { kind: 'motion', startedAtMs: Date.now() - 9_000, endedAtMs: Date.now() - 1_000, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
  await server.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: motion });
  const jpeg = new Uint8Array(footageFrame(2, 'jpg'));
  await fetch(`${server.baseURL}/api/events/${eventId}/snapshot`, { method: 'PUT', headers: { authorization: camera.auth, 'content-type': 'image/jpeg' }, body: jpeg });
  const [event] = (await server.request('GET', '/api/events?limit=1', { auth: as(read) })).body.events;
  const snapshot = await fetch(event.snapshotUrl);
  expect([snapshot.status, (await snapshot.arrayBuffer()).byteLength]).toEqual([200, jpeg.byteLength]);
  expect((await fetch(`${server.baseURL}/api/recordings/${recordingId}/init.mp4`, { headers: { authorization: as(read) } })).status).toBe(200);
  const refused = await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth: as(read), body: { enabled: true } });
  expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
  expect(refused.body.error.message).toContain('control scope');
  // control: the Record switch, but no reads.
  expect((await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth: as(control), body: { enabled: true } })).status).toBe(200);
  expect((await server.request('GET', '/api/devices', { auth: as(control) })).status).toBe(403);
  expect((await fetch(`${server.baseURL}/api/recordings/${recordingId}/init.mp4`, { headers: { authorization: as(control) } })).status).toBe(401);
  // admin: people and tokens, not the cameras' pictures.
  expect((await server.request('GET', '/api/members', { auth: as(admin) })).status).toBe(200);
  expect((await server.request('GET', '/api/recordings', { auth: as(admin) })).status).toBe(403);
  expect((await server.request('POST', '/api/tokens', { auth: as(read), body: { name: 'x', scopes: ['admin'] } })).status).toBe(403);

  const listed = (await server.request('GET', '/api/tokens', { auth: bearer(owner) })).body as ApiToken[];
  expect(listed.map((t) => t.name).sort()).toEqual(['Admin script', 'Automation', 'Dashboard']);
  expect(listed.every((t) => !('token' in t))).toBe(true);
  expect(listed.find((t) => t.id === read.id)?.lastUsedAtMs).toBeGreaterThan(0);

  // Revoked: refused at once.
  expect((await server.request('DELETE', `/api/tokens/${read.id}`, { auth: bearer(owner) })).status).toBe(204);
  expect((await server.request('GET', '/api/devices', { auth: as(read) })).status).toBe(401);
  expect((await server.request('DELETE', `/api/tokens/${read.id}`, { auth: bearer(owner) })).status).toBe(404);
  expect((await server.request('GET', '/api/tokens', { auth: bearer(owner) })).body).toHaveLength(2);

  // Expiry: works until then, refused after.
  const brief = await createToken(owner, { name: 'Brief', scopes: ['read'], expiresAtMs: Date.now() + 2_000 });
  expect((await server.request('GET', '/api/devices', { auth: as(brief) })).status).toBe(200);
  await expect.poll(async () => (await server.request('GET', '/api/devices', { auth: as(brief) })).status, { timeout: 10_000 }).toBe(401);
  const past = await server.request('POST', '/api/tokens', { auth: bearer(owner), body: { name: 'Past', scopes: ['read'], expiresAtMs: 1 } });
  expect([past.status, past.body.error.code]).toEqual([400, 'invalid_body']);

  // A member may not make tokens; another household cannot revoke these.
  const member = await server.register();
  const invite = await server.request('POST', '/api/invites', { auth: bearer(owner), body: { role: 'member' } });
  await server.request('POST', '/api/invites/accept', { auth: bearer(member), body: { token: invite.body.token } });
  expect((await server.request('POST', '/api/tokens', { auth: bearer(member), body: { name: 'x', scopes: ['read'] } })).status).toBe(403);
  const stranger = await server.register();
  expect((await server.request('DELETE', `/api/tokens/${control.id}`, { auth: bearer(stranger) })).status).toBe(404);

  // Only hashes are stored: no token's text is anywhere in the database files.
  const files = readdirSync(server.dataDir).filter((name) => name.startsWith('peerwatch.sqlite'));
  expect(files).toContain('peerwatch.sqlite');
  const stored = Buffer.concat(files.map((name) => readFileSync(path.join(server.dataDir, name))));
  for (const token of [read, control, admin, brief]) {
    expect(stored.includes(token.token)).toBe(false);
    expect(stored.includes(token.token.slice(4))).toBe(false);
  }
  expect(stored.includes('Automation')).toBe(true); // the files were read, names are there
});

test('each API token is rate-limited on its own (API_TOKEN_RATE_LIMIT per minute); a signed-in session is not', async () => {
  const limited = await TestServer.start({ env: { API_TOKEN_RATE_LIMIT: '5' } });
  try {
    const owner = await limited.register();
    const create = async (name: string) =>
      (await limited.request('POST', '/api/tokens', { auth: bearer(owner), body: { name, scopes: ['read'] } })).body as { token: string };
    const first = await create('Script A');
    const second = await create('Script B');
    const statuses = async (auth: string, count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i++) seen.push((await limited.request('GET', '/api/devices', { auth })).status);
      return seen;
    };
    expect(await statuses(`Bearer ${first.token}`, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await fetch(`${limited.baseURL}/api/devices`, { headers: { authorization: `Bearer ${first.token}` } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(refused.headers.get('ratelimit-policy')).toMatch(/q=5\b/);
    // Another token has its own count; the owner's session has none.
    expect(await statuses(`Bearer ${second.token}`, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(bearer(owner), 8)).toEqual(Array(8).fill(200));
    // A route outside the token's scope answers 403 before any count: the limit counts what a token may call.
    expect((await limited.request('GET', '/api/tokens', { auth: `Bearer ${second.token}` })).status).toBe(403);
  } finally {
    await limited.stop();
  }
});
