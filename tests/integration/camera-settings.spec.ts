import { test, expect } from '@playwright/test';
import { cameraSettingsSchema, type CameraSettingsWrite } from '../../protocol/index.js';
import { EventStreamReader, pairCamera } from '../support/recording-client.js';
import { TestServer } from '../support/server.js';

/** Settings a household might choose: High, one ignore zone, on events with longer rolls. */
const CHOSEN: CameraSettingsWrite = {
  motion: {
    enabled: true,
    sensitivity: 'high',
    zones: [{ kind: 'ignore', points: [{ x: 0, y: 0 }, { x: 0.5, y: 0 }, { x: 0.5, y: 1 }] }],
    personDetection: false,
    quietPeriodMs: 4_000,
  },
  recording: { mode: 'events', preRollMs: 3_000, postRollMs: 7_000 },
};

test.describe('camera settings', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({ env: { HTTPS: 'off' } });
  });
  test.afterAll(async () => server.stop());

  test('a new camera has the defaults; its recording mode is its Record switch until "events" is chosen', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const auth = `Bearer ${user.accessToken}`;
    const read = async () => {
      const res = await server.request('GET', `/api/devices/${camera.deviceId}/settings`, { auth });
      expect(res.status).toBe(200);
      return cameraSettingsSchema.parse(res.body);
    };
    expect(await read()).toEqual({
      deviceId: camera.deviceId,
      motion: { enabled: true, sensitivity: 'medium', zones: [], personDetection: true, quietPeriodMs: 10_000 },
      recording: { mode: 'off', preRollMs: 5_000, postRollMs: 5_000 },
      updatedAtMs: null,
    });
    expect((await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth, body: { enabled: true } })).status).toBe(200);
    expect((await read()).recording.mode).toBe('always');

    const put = await server.request('PUT', `/api/devices/${camera.deviceId}/settings`, { auth, body: CHOSEN });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ deviceId: camera.deviceId, ...CHOSEN });
    expect((await read()).motion.zones).toEqual(CHOSEN.motion.zones);
    // The Record switch off is mode "off"; on again, the camera records on events again.
    await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth, body: { enabled: false } });
    expect((await read()).recording.mode).toBe('off');
    await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth, body: { enabled: true } });
    expect((await read()).recording.mode).toBe('events');
    // "always" sets the switch and leaves events mode.
    const always = { ...CHOSEN, recording: { ...CHOSEN.recording, mode: 'always' } };
    await server.request('PUT', `/api/devices/${camera.deviceId}/settings`, { auth, body: always });
    const state = await server.request('GET', `/api/devices/${camera.deviceId}/recording`, { auth });
    expect(state.body.enabled).toBe(true);
    expect((await read()).recording.mode).toBe('always');
  });

  test('the camera’s own stream starts with its settings and gets each change; the household’s viewers too', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const other = await pairCamera(server, user.accessToken);
    const auth = `Bearer ${user.accessToken}`;
    const cameraStream = await EventStreamReader.open(server, camera.auth);
    const viewerStream = await EventStreamReader.open(server, auth);
    try {
      const initial = await cameraStream.next('camera-settings');
      expect(initial.settings).toMatchObject({ deviceId: camera.deviceId, updatedAtMs: null });
      await server.request('PUT', `/api/devices/${other.deviceId}/settings`, { auth, body: CHOSEN });
      await server.request('PUT', `/api/devices/${camera.deviceId}/settings`, { auth, body: CHOSEN });
      const changed = await cameraStream.next('camera-settings', (e) => e.settings.updatedAtMs !== null);
      expect(changed.settings).toMatchObject({ deviceId: camera.deviceId, ...CHOSEN });
      await cameraStream.next('recording-state', (e) => e.enabled === true);
      await viewerStream.next('camera-settings', (e) => e.settings.deviceId === camera.deviceId);
      // The other camera's settings never reach this camera's stream.
      expect(cameraStream.events.filter((e) => e.type === 'camera-settings').map((e) => e.data.settings.deviceId)).toEqual([
        camera.deviceId,
        camera.deviceId,
      ]);
    } finally {
      cameraStream.close();
      viewerStream.close();
    }
  });

  test('bad settings get a clear error and change nothing; another household and cameras cannot read or change them', async () => {
    const user = await server.register();
    const stranger = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const auth = `Bearer ${user.accessToken}`;
    const url = `/api/devices/${camera.deviceId}/settings`;
    const triangle = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }];
    for (const bad of [
      { ...CHOSEN, motion: { ...CHOSEN.motion, sensitivity: 'extreme' } },
      { ...CHOSEN, motion: { ...CHOSEN.motion, zones: [{ kind: 'ignore', points: triangle.slice(0, 2) }] } },
      { ...CHOSEN, motion: { ...CHOSEN.motion, zones: [{ kind: 'ignore', points: [...triangle, { x: 1.5, y: 0 }] }] } },
      { ...CHOSEN, motion: { ...CHOSEN.motion, zones: [{ kind: 'somewhere', points: triangle }] } },
      { ...CHOSEN, motion: { ...CHOSEN.motion, zones: Array.from({ length: 17 }, () => ({ kind: 'ignore', points: triangle })) } },
      { ...CHOSEN, motion: { ...CHOSEN.motion, quietPeriodMs: 10 } },
      { ...CHOSEN, recording: { ...CHOSEN.recording, preRollMs: -1 } },
      { ...CHOSEN, recording: { ...CHOSEN.recording, postRollMs: 2.5 } },
      { ...CHOSEN, recording: { ...CHOSEN.recording, mode: 'sometimes' } },
      { motion: CHOSEN.motion },
      { ...CHOSEN, extra: true },
    ]) {
      const res = await server.request('PUT', url, { auth, body: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('invalid_body');
      expect(typeof res.body.error.message).toBe('string');
    }
    const malformed = await server.request('PUT', url, { auth, raw: '{"motion":' });
    expect(malformed.body.error.code).toBe('malformed_json');
    expect((await server.request('GET', url, { auth })).body.updatedAtMs).toBeNull();

    const strangerAuth = `Bearer ${stranger.accessToken}`;
    expect((await server.request('GET', url, { auth: strangerAuth })).status).toBe(404);
    const refused = await server.request('PUT', url, { auth: strangerAuth, body: CHOSEN });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
    expect((await server.request('GET', url, { auth: camera.auth })).status).toBe(403);
    expect((await server.request('PUT', url, { auth: camera.auth, body: CHOSEN })).status).toBe(403);
    expect((await server.request('GET', url)).status).toBe(401);
    expect((await server.request('GET', url, { auth })).body.updatedAtMs).toBeNull();
  });
});
