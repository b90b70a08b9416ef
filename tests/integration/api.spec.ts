import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { PAIRING_TTL_MS: '1500' } });
});
test.afterAll(async () => server.stop());

/** Pairs a camera to the session's household through the real API. */
async function pairCamera(accessToken: string, name?: string) {
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${accessToken}`, body: { name } });
  expect(pairing.status).toBe(201);
  const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
  expect(claim.status).toBe(201);
  return claim.body as { device: { id: string; name: string; peerId: string }; deviceToken: string };
}

test.describe('accounts', () => {
  test('register, login, wrong password, refresh rotation and reuse, logout', async () => {
    const email = `Person-${Date.now()}@example.com`;
    const reg = await server.request('POST', '/api/auth/register', { body: { email, password: 'long enough' } });
    expect(reg.status).toBe(201);
    expect(reg.body.user.email).toBe(email.toLowerCase());
    expect(reg.body).not.toHaveProperty('user.passwordHash');

    const again = await server.request('POST', '/api/auth/register', { body: { email, password: 'long enough' } });
    expect(again.status).toBe(409);

    const wrong = await server.request('POST', '/api/auth/login', { body: { email, password: 'not the one' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');

    const login = await server.request('POST', '/api/auth/login', { body: { email, password: 'long enough' } });
    expect(login.status).toBe(200);
    const devices = await server.request('GET', '/api/devices', { auth: `Bearer ${login.body.accessToken}` });
    expect(devices.status).toBe(200);
    expect(devices.body).toEqual([]);

    const rotated = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(rotated.status).toBe(200);
    const reused = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(reused.status).toBe(401);
    const revoked = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
    expect(revoked.status).toBe(401);

    const out = await server.request('POST', '/api/auth/logout', { body: { refreshToken: reg.body.refreshToken } });
    expect(out.status).toBe(204);
    const afterLogout = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: reg.body.refreshToken } });
    expect(afterLogout.status).toBe(401);
  });

  test('bad input gets a JSON error with a status, never a stack trace', async () => {
    const malformed = await server.request('POST', '/api/auth/login', { raw: '{"email": "a@b.c", ' });
    expect(malformed).toEqual({
      status: 400,
      body: { error: { code: 'malformed_json', message: expect.any(String) } },
    });
    const invalid = await server.request('POST', '/api/auth/register', { body: { email: 'nope', password: 'x' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_body');
    const huge = await server.request('POST', '/api/auth/login', {
      body: { email: 'a@b.co', password: 'x'.repeat(64 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const noToken = await server.request('GET', '/api/devices');
    expect(noToken.status).toBe(401);
    const forged = await server.request('GET', '/api/devices', { auth: 'Bearer eyJhbGciOiJub25lIn0.e30.' });
    expect(forged.status).toBe(401);
    const unknown = await server.request('GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).not.toContain('at ');
  });
});

test.describe('pairing', () => {
  test('a pairing token works once: replay → 410, unknown → 404, expired → 410, no login → 401', async () => {
    const owner = await server.register();
    const noLogin = await server.request('POST', '/api/pairings', { body: {} });
    expect(noLogin.status).toBe(401);

    const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
    expect(pairing.status).toBe(201);
    expect(pairing.body.token.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
    const { instanceId } = (await server.request('GET', '/api/server')).body;
    expect(pairing.body.url).toBe(`${server.baseURL}/pair?server=${instanceId}#${pairing.body.token}`);

    const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token, name: 'Porch' } });
    expect(claim.status).toBe(201);
    expect(claim.body.device.name).toBe('Porch');
    const replay = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe('pairing_used');

    const unknown = await server.request('POST', '/api/pairings/claim', { body: { token: 'A'.repeat(43) } });
    expect(unknown.status).toBe(404);

    const short = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
    await new Promise((r) => setTimeout(r, 1_700)); // this server's pairing life is 1.5 s
    const expired = await server.request('POST', '/api/pairings/claim', { body: { token: short.body.token } });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('pairing_expired');

    const list = await server.request('GET', '/api/devices', { auth: `Bearer ${owner.accessToken}` });
    expect(list.body.map((d: { name: string }) => d.name)).toEqual(['Porch']);
  });

  test('a camera reads its own record with its device credential', async () => {
    const owner = await server.register();
    const { device, deviceToken } = await pairCamera(owner.accessToken, 'Garage');
    const me = await server.request('GET', '/api/devices/me', { auth: `Device ${deviceToken}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: device.id, name: 'Garage', online: false });
    const asList = await server.request('GET', '/api/devices', { auth: `Device ${deviceToken}` });
    expect(asList.status).toBe(403);
  });
});

test.describe('households are isolated', () => {
  test("another account cannot list, rename or delete the first account's camera", async () => {
    const owner = await server.register();
    const intruder = await server.register();
    const { device, deviceToken } = await pairCamera(owner.accessToken, 'Nursery');

    const theirList = await server.request('GET', '/api/devices', { auth: `Bearer ${intruder.accessToken}` });
    expect(theirList.body).toEqual([]);
    const rename = await server.request('PATCH', `/api/devices/${device.id}`, {
      auth: `Bearer ${intruder.accessToken}`,
      body: { name: 'Mine now' },
    });
    expect(rename.status).toBe(404);
    const remove = await server.request('DELETE', `/api/devices/${device.id}`, { auth: `Bearer ${intruder.accessToken}` });
    expect(remove.status).toBe(404);
    const stillThere = await server.request('GET', '/api/devices', { auth: `Bearer ${owner.accessToken}` });
    expect(stillThere.body).toMatchObject([{ id: device.id, name: 'Nursery' }]);

    const renamed = await server.request('PATCH', `/api/devices/${device.id}`, {
      auth: `Bearer ${owner.accessToken}`,
      body: { name: '  Baby room ' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Baby room');
    const empty = await server.request('PATCH', `/api/devices/${device.id}`, {
      auth: `Bearer ${owner.accessToken}`,
      body: { name: '   ' },
    });
    expect(empty.status).toBe(400);

    const removed = await server.request('DELETE', `/api/devices/${device.id}`, { auth: `Bearer ${owner.accessToken}` });
    expect(removed.status).toBe(204);
    const credentialGone = await server.request('GET', '/api/devices/me', { auth: `Device ${deviceToken}` });
    expect(credentialGone.status).toBe(401);
    const ticketGone = await server.request('POST', '/api/signaling/tickets', { auth: `Device ${deviceToken}`, body: {} });
    expect(ticketGone.status).toBe(401);
  });
});

test('ICE servers are given to signed-in users and cameras only', async () => {
  const owner = await server.register();
  expect((await server.request('GET', '/api/ice-servers')).status).toBe(401);
  const ice = await server.request('GET', '/api/ice-servers', { auth: `Bearer ${owner.accessToken}` });
  expect(ice.status).toBe(200);
  expect(Array.isArray(ice.body.iceServers)).toBe(true);
  expect((await server.request('GET', '/healthz')).status).toBe(200);
});
