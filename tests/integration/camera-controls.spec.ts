import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { EventStreamReader, pairCamera } from '../support/recording-client.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start();
});
test.afterAll(async () => server.stop());

const REPORT = {
  battery: { level: 0.15, charging: false, notChargingForMs: 60_000 },
  network: 'wifi',
  framesPerSecond: 29.5,
  droppedFramesPerSecond: 0,
  width: 1280,
  height: 720,
  maxHeight: 1080,
  sentHeight: 720,
  videoSources: [
    { id: 'rear-camera-id', label: 'camera 0, facing back' },
    { id: 'front-camera-id', label: 'camera 1, facing front' },
  ],
  videoSourceId: 'rear-camera-id',
  torch: false,
  zoom: null,
};

test('a viewer changes a camera’s controls; they are kept, reach the camera’s own stream and the household', async () => {
  const session = await server.register();
  const user = `Bearer ${session.accessToken}`;
  const camera = await pairCamera(server, session.accessToken, 'Porch');
  const device = camera.auth;

  const initial = await server.request('GET', `/api/devices/${camera.deviceId}/controls`, { auth: user });
  expect(initial).toEqual({
    status: 200,
    body: {
      controls: { deviceId: camera.deviceId, quality: 'standard', videoSourceId: null, torch: false, zoom: null, paused: null },
      report: null,
    },
  });

  const own = await EventStreamReader.open(server, device);
  const household = await EventStreamReader.open(server, user);
  try {
    // The camera's own stream starts with its current controls.
    expect(await own.next('camera-controls')).toMatchObject({ quality: 'standard', paused: null });

    const changed = await server.request('PUT', `/api/devices/${camera.deviceId}/controls`, {
      auth: user,
      body: { quality: 'data-saver', videoSourceId: 'front-camera-id' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ quality: 'data-saver', videoSourceId: 'front-camera-id', torch: false, paused: null });
    expect(await own.next('camera-controls', (e) => e.quality === 'data-saver')).toMatchObject({ videoSourceId: 'front-camera-id' });

    const paused = await server.request('PUT', `/api/devices/${camera.deviceId}/pause`, { auth: user, body: { paused: true } });
    expect(paused.body.paused).toEqual({ by: session.user.email, atMs: expect.any(Number) });
    // A second pause (here from the camera itself) keeps who paused first.
    const again = await server.request('PUT', '/api/devices/me/controls', { auth: device, body: { paused: true } });
    expect(again.body.paused).toEqual(paused.body.paused);
    expect(await household.next('camera-controls', (e) => e.paused !== null)).toMatchObject({ quality: 'data-saver' });

    const resumed = await server.request('PUT', '/api/devices/me/controls', { auth: device, body: { paused: false } });
    expect(resumed.body.paused).toBeNull();
    const byCamera = await server.request('PUT', '/api/devices/me/controls', { auth: device, body: { paused: true } });
    expect(byCamera.body.paused.by).toBe('Porch');

    const report = await server.request('PUT', '/api/devices/me/report', { auth: device, body: REPORT });
    expect(report.body).toEqual({ ...REPORT, deviceId: camera.deviceId, reportedAtMs: expect.any(Number) });
    expect(await household.next('camera-report')).toMatchObject({ deviceId: camera.deviceId, battery: REPORT.battery });

    const kept = await server.request('GET', `/api/devices/${camera.deviceId}/controls`, { auth: user });
    expect(kept.body.controls).toMatchObject({ quality: 'data-saver', videoSourceId: 'front-camera-id', paused: { by: 'Porch' } });
    expect(kept.body.report).toMatchObject({ framesPerSecond: 29.5 });
  } finally {
    own.close();
    household.close();
  }

  // Kept across a restart of the server (the report, held in memory, is not).
  await server.restart();
  const login = await server.request('POST', '/api/auth/login', { body: { email: session.user.email, password: 'correct horse 1' } });
  const afterRestart = await server.request('GET', `/api/devices/${camera.deviceId}/controls`, {
    auth: `Bearer ${login.body.accessToken}`,
  });
  expect(afterRestart.body).toMatchObject({ controls: { quality: 'data-saver', paused: { by: 'Porch' } }, report: null });
});

test('camera controls: another household’s camera is 404, the wrong caller 403, bad bodies 400', async () => {
  const owner = await server.register();
  const stranger = await server.register();
  const camera = await pairCamera(server, owner.accessToken);
  const path = `/api/devices/${camera.deviceId}/controls`;

  for (const method of ['GET', 'PUT'] as const) {
    const body = method === 'PUT' ? { torch: true } : undefined;
    const other = await server.request(method, path, { auth: `Bearer ${stranger.accessToken}`, body });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const asCamera = await server.request(method, path, { auth: camera.auth, body });
    expect(asCamera.status).toBe(403);
  }
  expect((await server.request('PUT', '/api/devices/me/controls', { auth: `Bearer ${owner.accessToken}`, body: { paused: true } })).status).toBe(403);
  expect((await server.request('PUT', '/api/devices/me/report', { auth: `Bearer ${owner.accessToken}`, body: REPORT })).status).toBe(403);
  expect((await server.request('PUT', path, { body: { torch: true } })).status).toBe(401);
  const pausePath = `/api/devices/${camera.deviceId}/pause`;
  expect((await server.request('PUT', pausePath, { auth: `Bearer ${stranger.accessToken}`, body: { paused: true } })).status).toBe(404);
  expect((await server.request('PUT', pausePath, { auth: camera.auth, body: { paused: true } })).status).toBe(403);
  expect((await server.request('PUT', pausePath, { body: { paused: true } })).status).toBe(401);

  // Pausing is not a control of this route (it has its own, for owners).
  for (const body of [{}, { quality: 'ultra' }, { zoom: 'near' }, { paused: true }, { torch: true, extra: 1 }]) {
    const bad = await server.request('PUT', path, { auth: `Bearer ${owner.accessToken}`, body });
    expect(bad.status, JSON.stringify(body)).toBe(400);
    expect(bad.body.error.code).toBe('invalid_body');
  }
  const badReport = await server.request('PUT', '/api/devices/me/report', {
    auth: camera.auth,
    body: { ...REPORT, battery: { level: 7, charging: false, notChargingForMs: 0 } },
  });
  expect(badReport.status).toBe(400);
  for (const body of [{}, { paused: 'yes' }, { paused: true, quality: 'high' }]) {
    const bad = await server.request('PUT', `/api/devices/${camera.deviceId}/pause`, { auth: `Bearer ${owner.accessToken}`, body });
    expect([bad.status, bad.body.error.code], JSON.stringify(body)).toEqual([400, 'invalid_body']);
  }
  // Nothing was changed by the refused requests.
  const state = await server.request('GET', path, { auth: `Bearer ${owner.accessToken}` });
  expect(state.body).toMatchObject({ controls: { quality: 'standard', torch: false, paused: null }, report: null });
});

test('pausing from the viewer is for owners: a member or viewer gets 403 and changes nothing, an owner (and their control token) pauses and resumes', async () => {
  const owner = await server.register();
  const auth = { owner: `Bearer ${owner.accessToken}` } as Record<'owner' | 'member' | 'viewer' | 'token', string>;
  const camera = await pairCamera(server, owner.accessToken, 'Hall');
  for (const role of ['member', 'viewer'] as const) {
    const person = await server.register();
    const invite = await server.request('POST', '/api/invites', { auth: auth.owner, body: { role } });
    const joined = await server.request('POST', '/api/invites/accept', { auth: `Bearer ${person.accessToken}`, body: { token: invite.body.token } });
    expect(joined.status).toBe(200);
    auth[role] = `Bearer ${person.accessToken}`;
  }
  const token = await server.request('POST', '/api/tokens', { auth: auth.owner, body: { name: 'script', scopes: ['control'] } });
  auth.token = `Bearer ${token.body.token}`;
  const pausePath = `/api/devices/${camera.deviceId}/pause`;
  const controlsPath = `/api/devices/${camera.deviceId}/controls`;

  for (const role of ['member', 'viewer'] as const) {
    for (const paused of [true, false]) {
      const refused = await server.request('PUT', pausePath, { auth: auth[role], body: { paused } });
      expect(refused.status, `${role} paused: ${paused}`).toBe(403);
      expect(refused.body.error).toEqual({ code: 'forbidden', message: `Your role (${role}) may not do this; it is for the owner.` });
    }
  }
  // The member's other controls still work; the viewer's do not (they change nothing).
  expect((await server.request('PUT', controlsPath, { auth: auth.member, body: { quality: 'data-saver' } })).status).toBe(200);
  expect((await server.request('PUT', controlsPath, { auth: auth.viewer, body: { torch: true } })).status).toBe(403);
  expect((await server.request('GET', controlsPath, { auth: auth.owner })).body.controls).toMatchObject({ quality: 'data-saver', paused: null });

  const paused = await server.request('PUT', pausePath, { auth: auth.owner, body: { paused: true } });
  expect(paused.status).toBe(200);
  expect(paused.body.paused).toEqual({ by: owner.user.email, atMs: expect.any(Number) });
  // A member cannot resume what the owner paused either.
  expect((await server.request('PUT', pausePath, { auth: auth.member, body: { paused: false } })).status).toBe(403);
  expect((await server.request('GET', controlsPath, { auth: auth.member })).body.controls.paused).toEqual(paused.body.paused);
  const resumed = await server.request('PUT', pausePath, { auth: auth.token, body: { paused: false } });
  expect([resumed.status, resumed.body.paused]).toEqual([200, null]);
  // A read-only token may not pause.
  const readToken = await server.request('POST', '/api/tokens', { auth: auth.owner, body: { name: 'reader', scopes: ['read'] } });
  const byReader = await server.request('PUT', pausePath, { auth: `Bearer ${readToken.body.token}`, body: { paused: true } });
  expect([byReader.status, byReader.body.error.code]).toEqual([403, 'forbidden']);
});
