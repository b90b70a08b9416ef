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

    const paused = await server.request('PUT', `/api/devices/${camera.deviceId}/controls`, { auth: user, body: { paused: true } });
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
    const body = method === 'PUT' ? { paused: true } : undefined;
    const other = await server.request(method, path, { auth: `Bearer ${stranger.accessToken}`, body });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const asCamera = await server.request(method, path, { auth: camera.auth, body });
    expect(asCamera.status).toBe(403);
  }
  expect((await server.request('PUT', '/api/devices/me/controls', { auth: `Bearer ${owner.accessToken}`, body: { paused: true } })).status).toBe(403);
  expect((await server.request('PUT', '/api/devices/me/report', { auth: `Bearer ${owner.accessToken}`, body: REPORT })).status).toBe(403);
  expect((await server.request('PUT', path, { body: { paused: true } })).status).toBe(401);

  for (const body of [{}, { quality: 'ultra' }, { zoom: 'near' }, { paused: 'yes' }, { torch: true, extra: 1 }]) {
    const bad = await server.request('PUT', path, { auth: `Bearer ${owner.accessToken}`, body });
    expect(bad.status, JSON.stringify(body)).toBe(400);
    expect(bad.body.error.code).toBe('invalid_body');
  }
  const badReport = await server.request('PUT', '/api/devices/me/report', {
    auth: camera.auth,
    body: { ...REPORT, battery: { level: 7, charging: false, notChargingForMs: 0 } },
  });
  expect(badReport.status).toBe(400);
  // Nothing was changed by the refused requests.
  const state = await server.request('GET', path, { auth: `Bearer ${owner.accessToken}` });
  expect(state.body).toMatchObject({ controls: { quality: 'standard', torch: false, paused: null }, report: null });
});
