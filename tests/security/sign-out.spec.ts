import { test, expect } from '@playwright/test';
import { WebSocket } from 'ws';
import { TEST_PASSWORD, TestServer } from '../support/server.js';
import { footageChunks } from '../support/fmp4.js';
import { playbackOf } from '../support/recording-checks.js';
import { newRecordingId, pairCamera, uploadRecording } from '../support/recording-client.js';
import { expectHealthy, signalingPath } from './raw-connection.js';

/** Sign-out ends the session at once: its access token is refused everywhere, other sessions go on. */

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off' } });
});
test.afterAll(async () => server?.stop());

/** Routes a signed-in user may call, with a body where they take one. */
const USER_ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: 'GET', path: '/api/devices' },
  { method: 'POST', path: '/api/signaling/tickets', body: {} },
  { method: 'POST', path: '/api/pairings', body: {} },
  { method: 'GET', path: '/api/ice-servers' },
  { method: 'GET', path: '/api/recordings' },
];

test('after sign-out the access token gets 401 on every route; another session of the same user goes on', async () => {
  const first = await server.register();
  const login = await server.request('POST', '/api/auth/login', {
    body: { email: first.user.email, password: TEST_PASSWORD },
  });
  expect(login.status).toBe(200);
  const other = login.body.accessToken as string;
  for (const route of USER_ROUTES) {
    const res = await server.request(route.method, route.path, { auth: `Bearer ${first.accessToken}`, body: route.body });
    expect(res.status, `${route.method} ${route.path} before sign-out`).toBeLessThan(300);
  }

  const out = await server.request('POST', '/api/auth/logout', { body: { refreshToken: first.refreshToken } });
  expect(out.status).toBe(204);
  for (const route of USER_ROUTES) {
    const res = await server.request(route.method, route.path, { auth: `Bearer ${first.accessToken}`, body: route.body });
    expect(res, `${route.method} ${route.path} after sign-out`).toEqual({
      status: 401,
      body: { error: { code: 'unauthorized', message: expect.any(String) } },
    });
    const goesOn = await server.request(route.method, route.path, { auth: `Bearer ${other}`, body: route.body });
    expect(goesOn.status, `${route.method} ${route.path} in the other session`).toBeLessThan(300);
  }
  const events = await fetch(`${server.baseURL}/api/stream`, { headers: { authorization: `Bearer ${first.accessToken}` } });
  expect(events.status).toBe(401);
  const refresh = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
  expect(refresh.status).toBe(401);
  await expectHealthy(server);
});

test('reusing a spent refresh token ends the session: its access token is refused too', async () => {
  const session = await server.register();
  const rotated = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
  expect(rotated.status).toBe(200);
  expect((await server.request('GET', '/api/devices', { auth: `Bearer ${rotated.body.accessToken}` })).status).toBe(200);
  const reused = await server.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });
  expect(reused.status).toBe(401);
  const after = await server.request('GET', '/api/devices', { auth: `Bearer ${rotated.body.accessToken}` });
  expect(after.status).toBe(401);
});

test("sign-out closes the session's open event stream and signaling socket at once; another session's stay", async () => {
  const session = await server.register();
  const login = await server.request('POST', '/api/auth/login', {
    body: { email: session.user.email, password: TEST_PASSWORD },
  });
  const other: string = login.body.accessToken;

  const openStream = async (accessToken: string) => {
    const res = await fetch(`${server.baseURL}/api/stream`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');
    let ended = false;
    void (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
      ended = true;
    })();
    return () => ended;
  };
  const openSocket = async (accessToken: string) => {
    const res = await server.request('POST', '/api/signaling/tickets', { auth: `Bearer ${accessToken}`, body: {} });
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${signalingPath(res.body.peerId, res.body.ticket)}`);
    await new Promise((resolve) => ws.once('message', resolve));
    return () => ws.readyState === WebSocket.CLOSED;
  };
  const streamEnded = await openStream(session.accessToken);
  const socketClosed = await openSocket(session.accessToken);
  const otherStreamEnded = await openStream(other);
  const otherSocketClosed = await openSocket(other);

  const out = await server.request('POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } });
  expect(out.status).toBe(204);
  await expect.poll(streamEnded, { timeout: 2_000 }).toBe(true);
  await expect.poll(socketClosed, { timeout: 2_000 }).toBe(true);
  expect(otherStreamEnded()).toBe(false);
  expect(otherSocketClosed()).toBe(false);
});

test("a recording's playback link ends with the session that asked for it; another session's link goes on", async () => {
  const session = await server.register();
  const login = await server.request('POST', '/api/auth/login', {
    body: { email: session.user.email, password: TEST_PASSWORD },
  });
  const camera = await pairCamera(server, session.accessToken);
  const recordingId = newRecordingId();
  await uploadRecording(server, camera, recordingId, footageChunks(Date.now() - 10_000, 4));
  const mine = await playbackOf(server, session.accessToken, recordingId);
  const theirs = await playbackOf(server, login.body.accessToken as string, recordingId);
  expect((await fetch(mine.playlistUrl)).status).toBe(200);

  expect((await server.request('POST', '/api/auth/logout', { body: { refreshToken: session.refreshToken } })).status).toBe(204);
  for (const url of [mine.playlistUrl, mine.downloadUrl]) {
    const res = await fetch(url);
    expect(res.status, url).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  }
  expect((await fetch(theirs.playlistUrl)).status).toBe(200);
  expect((await fetch(theirs.downloadUrl)).status).toBe(200);
});
