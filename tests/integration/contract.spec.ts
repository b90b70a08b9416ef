import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import {
  deviceEventSchema,
  householdEventSchema,
  routes,
  type ApiRoute,
  type RouteSpec,
} from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { ContractWalk } from '../support/contract-walk.js';
import { footageFrame } from '../support/media.js';
import { EventStreamReader, newEventId, newRecordingId, randomChunks } from '../support/recording-client.js';
import { TestServer, TEST_PASSWORD } from '../support/server.js';

const CHUNK_MAX_BYTES = 64 * 1024;

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { RECORDING_CHUNK_MAX_BYTES: String(CHUNK_MAX_BYTES), HTTPS: 'off' } });
});
test.afterAll(async () => server.stop());

/** Headers of a chunk upload, as the camera's uploader sends them. */
function chunkHeaders(chunk: { sha256: string; startMs: number; durationMs: number }, extra: Record<string, string> = {}) {
  return {
    'x-chunk-sha256': chunk.sha256,
    'x-chunk-start-ms': String(chunk.startMs),
    'x-chunk-duration-ms': String(chunk.durationMs),
    ...extra,
  };
}

test('every route of the table answers as the table says: successes and errors of a real server', async () => {
  const walk = new ContractWalk(server);
  const email = `contract-${Date.now()}@example.com`;

  // Accounts
  const registered = await walk.call('POST /api/auth/register', { body: { email, password: TEST_PASSWORD } });
  expect(registered.status).toBe(201);
  expect((await walk.call('POST /api/auth/register', { body: { email, password: TEST_PASSWORD } })).status).toBe(409);
  expect((await walk.call('POST /api/auth/register', { body: { email: 'nope', password: 'x' } })).body.error.code).toBe(
    'invalid_body',
  );
  expect((await walk.call('POST /api/auth/login', { raw: '{"email": ' })).body.error.code).toBe('malformed_json');
  expect((await walk.call('POST /api/auth/login', { body: { email, password: 'wrong password' } })).status).toBe(401);
  const login = await walk.call('POST /api/auth/login', { body: { email, password: TEST_PASSWORD } });
  const refreshed = await walk.call('POST /api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
  expect(refreshed.status).toBe(200);
  expect((await walk.call('POST /api/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status).toBe(401);
  expect((await walk.call('POST /api/auth/logout', { body: {} })).body.error.code).toBe('invalid_body');
  expect((await walk.call('POST /api/auth/logout', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(204);
  const user = `Bearer ${registered.body.accessToken}`;

  const household = await EventStreamReader.open(server, user);
  walk.streamOpened('GET /api/stream');
  expect((await walk.call('GET /api/stream', { auth: 'Device forged' })).status).toBe(401);

  // Cameras and pairing
  expect((await walk.call('GET /api/devices', { auth: user })).body).toEqual([]);
  const pairing = await walk.call('POST /api/pairings', { auth: user, body: { name: 'Porch' } });
  expect(pairing.status).toBe(201);
  expect((await walk.call('POST /api/pairings', { auth: user, body: { name: 'x'.repeat(61) } })).body.error.code).toBe(
    'invalid_body',
  );
  const claim = await walk.call('POST /api/pairings/claim', { body: { token: pairing.body.token } });
  expect(claim.status).toBe(201);
  expect((await walk.call('POST /api/pairings/claim', { body: { token: pairing.body.token } })).body.error.code).toBe(
    'pairing_used',
  );
  expect((await walk.call('POST /api/pairings/claim', { body: { token: 'no such code' } })).status).toBe(404);
  const camera = `Device ${claim.body.deviceToken}`;
  const deviceId: string = claim.body.device.id;
  const cameraStream = await EventStreamReader.open(server, camera);

  expect((await walk.call('GET /api/devices/me', { auth: camera })).body.id).toBe(deviceId);
  expect((await walk.call('GET /api/devices/me', { auth: user })).status).toBe(403);
  expect((await walk.call('GET /api/devices', { auth: camera })).status).toBe(403);
  const renamed = await walk.call('PATCH /api/devices/:id', { auth: user, params: { id: deviceId }, body: { name: 'Door' } });
  expect(renamed.body.name).toBe('Door');
  expect((await walk.call('PATCH /api/devices/:id', { auth: user, params: { id: deviceId }, body: { name: ' ' } })).status).toBe(400);
  expect((await walk.call('PATCH /api/devices/:id', { auth: user, params: { id: 'unknown' }, body: { name: 'X' } })).status).toBe(404);

  // Recording control
  expect((await walk.call('PUT /api/devices/me/recording', { auth: camera, body: { enabled: true } })).body.enabled).toBe(true);
  expect((await walk.call('PUT /api/devices/me/recording', { auth: camera, body: { enabled: 'yes' } })).status).toBe(400);
  const report = { recording: false, problem: 'storage-low' };
  expect((await walk.call('PUT /api/devices/me/recording-status', { auth: camera, body: report })).body.problem).toBe('storage-low');
  expect((await walk.call('PUT /api/devices/me/recording-status', { auth: user, body: report })).status).toBe(403);
  expect((await walk.call('GET /api/devices/:id/recording', { auth: user, params: { id: deviceId } })).status).toBe(200);
  expect((await walk.call('GET /api/devices/:id/recording', { auth: user, params: { id: 'unknown' } })).status).toBe(404);
  expect((await walk.call('PUT /api/devices/:id/recording', { auth: user, params: { id: deviceId }, body: { enabled: false } })).status).toBe(200);
  expect((await walk.call('PUT /api/devices/:id/recording', { auth: camera, params: { id: deviceId }, body: { enabled: false } })).status).toBe(403);
  const settings = await walk.call('GET /api/devices/:id/settings', { auth: user, params: { id: deviceId } });
  expect(settings.body.recording.mode).toBe('off');
  expect((await walk.call('GET /api/devices/:id/settings', { auth: user, params: { id: 'unknown' } })).status).toBe(404);
  const { deviceId: _id, updatedAtMs: _at, ...chosen } = settings.body;
  const onEvents = { ...chosen, recording: { ...chosen.recording, mode: 'events' } };
  expect((await walk.call('PUT /api/devices/:id/settings', { auth: user, params: { id: deviceId }, body: onEvents })).body.recording.mode).toBe('events');
  expect((await walk.call('PUT /api/devices/:id/settings', { auth: user, params: { id: 'unknown' }, body: onEvents })).status).toBe(404);
  await cameraStream.next('camera-settings', (event) => event.settings.recording.mode === 'events');
  expect((await walk.call('PUT /api/devices/:id/recording', { auth: user, params: { id: deviceId }, body: { enabled: false } })).status).toBe(200);

  // Camera controls and health
  const controlsOf = { auth: user, params: { id: deviceId } };
  expect((await walk.call('GET /api/devices/:id/controls', controlsOf)).body.controls.quality).toBe('standard');
  expect((await walk.call('GET /api/devices/:id/controls', { auth: user, params: { id: 'unknown' } })).status).toBe(404);
  expect((await walk.call('PUT /api/devices/:id/controls', { ...controlsOf, body: { quality: 'data-saver' } })).body.quality).toBe('data-saver');
  expect((await walk.call('PUT /api/devices/:id/controls', { ...controlsOf, body: {} })).body.error.code).toBe('invalid_body');
  expect((await walk.call('PUT /api/devices/me/controls', { auth: camera, body: { paused: true } })).body.paused.by).toBe('Door');
  expect((await walk.call('PUT /api/devices/:id/pause', { ...controlsOf, body: { paused: false } })).body.paused).toBeNull();
  expect((await walk.call('PUT /api/devices/:id/pause', { ...controlsOf, body: { paused: 'no' } })).body.error.code).toBe('invalid_body');
  expect((await walk.call('PUT /api/devices/me/controls', { auth: camera, body: { paused: true } })).body.paused.by).toBe('Door');
  expect((await walk.call('GET /api/devices/me/controls', { auth: camera })).body.quality).toBe('data-saver');
  expect((await walk.call('GET /api/devices/me/controls', { auth: user })).status).toBe(403);
  expect((await walk.call('PUT /api/devices/me/controls', { auth: camera, body: { torch: 'on' } })).status).toBe(400);
  const health = {
    battery: null,
    network: null,
    framesPerSecond: 30,
    droppedFramesPerSecond: null,
    width: 1280,
    height: 720,
    maxHeight: 720,
    sentHeight: null,
    videoSources: [],
    videoSourceId: null,
    torch: false,
    zoom: null,
  };
  expect((await walk.call('PUT /api/devices/me/report', { auth: camera, body: health })).body.deviceId).toBe(deviceId);
  expect((await walk.call('PUT /api/devices/me/report', { auth: camera, body: { ...health, width: -1 } })).status).toBe(400);

  // Notifications: the report above (asked to record, storage low) made one.
  expect((await walk.call('GET /api/push/key', { auth: user })).body.publicKey).toMatch(/^[\w-]{87}$/);
  expect((await walk.call('GET /api/push/key', { auth: camera })).status).toBe(403);
  expect((await walk.call('GET /api/push/subscriptions', { auth: camera })).status).toBe(403);
  expect((await walk.call('GET /api/notifications', { auth: camera })).status).toBe(403);
  const browser = {
    endpoint: 'https://push.example/send/contract-walk',
    keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
  };
  const subscribed = await walk.call('POST /api/push/subscriptions', { auth: user, body: { subscription: browser, name: 'Walk' } });
  expect(subscribed.status).toBe(201);
  expect(
    (await walk.call('POST /api/push/subscriptions', { auth: user, body: { subscription: { ...browser, endpoint: 'http://push.example/x' }, name: 'W' } }))
      .body.error.code,
  ).toBe('invalid_body');
  expect((await walk.call('GET /api/push/subscriptions', { auth: user })).body).toHaveLength(1);
  expect((await walk.call('DELETE /api/push/subscriptions/:id', { auth: user, params: { id: subscribed.body.id } })).status).toBe(204);
  expect((await walk.call('DELETE /api/push/subscriptions/:id', { auth: user, params: { id: subscribed.body.id } })).status).toBe(404);
  await expect.poll(async () => (await walk.call('GET /api/notifications', { auth: user })).body.unreadCount).toBe(1);
  const [notification] = (await walk.call('GET /api/notifications', { auth: user })).body.notifications;
  expect(notification.kind).toBe('recording-problem');
  expect((await walk.call('POST /api/notifications/:id/read', { auth: user, params: { id: notification.id } })).status).toBe(204);
  expect((await walk.call('POST /api/notifications/:id/read', { auth: user, params: { id: 'unknown' } })).status).toBe(404);
  expect((await walk.call('POST /api/notifications/read', { auth: user })).status).toBe(204);
  expect((await walk.call('POST /api/notifications/read', { auth: camera })).status).toBe(403);
  const preferences = (await walk.call('GET /api/notifications/preferences', { auth: user })).body;
  expect((await walk.call('GET /api/notifications/preferences', { auth: camera })).status).toBe(403);
  const quiet = { ...preferences, quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' } };
  expect((await walk.call('PUT /api/notifications/preferences', { auth: user, body: quiet })).body).toEqual(quiet);
  expect((await walk.call('PUT /api/notifications/preferences', { auth: user, body: { ...quiet, quietHours: { start: '25:00', end: '07:00', timeZone: 'UTC' } } })).status).toBe(400);
  const snooze = await walk.call('PUT /api/devices/:id/notification-snooze', { auth: user, params: { id: deviceId }, body: { length: '1h' } });
  expect(snooze.body.deviceId).toBe(deviceId);
  expect((await walk.call('PUT /api/devices/:id/notification-snooze', { auth: user, params: { id: 'unknown' }, body: { length: '1h' } })).status).toBe(404);
  expect((await walk.call('GET /api/notifications/snoozes', { auth: user })).body).toEqual([snooze.body]);
  expect((await walk.call('GET /api/notifications/snoozes', { auth: camera })).status).toBe(403);
  expect((await walk.call('DELETE /api/devices/:id/notification-snooze', { auth: user, params: { id: deviceId } })).status).toBe(204);
  expect((await walk.call('DELETE /api/devices/:id/notification-snooze', { auth: user, params: { id: 'unknown' } })).status).toBe(404);
  expect(
    (await walk.call('POST /api/push/subscriptions', { auth: user, body: { subscription: { ...browser, endpoint: 'https://10.0.0.1/x' }, name: 'W' } }))
      .body.error.code,
  ).toBe('push_endpoint_refused');

  // Calls
  const ticket = await walk.call('POST /api/signaling/tickets', { auth: user, body: {} });
  expect((await walk.call('POST /api/signaling/tickets', { auth: user, body: { peerId: ticket.body.peerId } })).body.peerId).toBe(
    ticket.body.peerId,
  );
  expect((await walk.call('POST /api/signaling/tickets', { auth: camera, body: { peerId: 'x'.repeat(300) } })).status).toBe(400);
  expect((await walk.call('GET /api/ice-servers', { auth: camera })).status).toBe(200);
  expect((await walk.call('GET /api/ice-servers', { auth: 'Bearer forged' })).status).toBe(401);

  // Recordings: uploads
  const recordingId = newRecordingId();
  const chunks = randomChunks(3, 10_000, Date.now());
  const upload = (seq: number, init: { headers?: Record<string, string>; raw?: Uint8Array; auth?: string; id?: string; contentType?: string } = {}) =>
    walk.call('PUT /api/recordings/:recordingId/chunks/:seq', {
      auth: init.auth ?? camera,
      params: { recordingId: init.id ?? recordingId, seq: String(seq) },
      headers: init.headers ?? chunkHeaders(chunks[seq]!),
      raw: init.raw ?? chunks[seq]!.bytes,
      contentType: init.contentType ?? 'application/octet-stream',
    });
  expect((await upload(0)).status).toBe(201);
  expect((await upload(1)).status).toBe(201);
  expect((await upload(1)).status).toBe(200);
  expect((await upload(2, { headers: chunkHeaders(chunks[2]!, { 'x-recording-final': '1' }) })).status).toBe(201);
  expect((await upload(2, { headers: chunkHeaders({ ...chunks[2]!, sha256: chunks[1]!.sha256 }) })).body.error.code).toBe('hash_mismatch');
  expect((await upload(1, { raw: chunks[2]!.bytes, headers: chunkHeaders(chunks[2]!) })).body.error.code).toBe('chunk_conflict');
  expect((await upload(1, { id: 'short' })).body.error.code).toBe('invalid_recording_id');
  expect((await upload(1, { headers: chunkHeaders({ ...chunks[1]!, sha256: 'not hex' }) })).body.error.code).toBe('invalid_header');
  expect((await upload(1, { contentType: 'application/json' })).body.error.code).toBe('unsupported_media_type');
  const empty = new Uint8Array(0);
  const emptyHash = createHash('sha256').update(empty).digest('hex');
  expect((await upload(1, { id: newRecordingId(), raw: empty, headers: chunkHeaders({ ...chunks[1]!, sha256: emptyHash }) })).body.error.code).toBe(
    'empty_chunk',
  );
  const big = randomChunks(2, CHUNK_MAX_BYTES + 1, Date.now())[1]!;
  expect((await upload(1, { id: newRecordingId(), raw: big.bytes, headers: chunkHeaders(big) })).body.error.code).toBe('chunk_too_large');
  const old = { ...chunks[1]!, startMs: Date.now() - 30 * 24 * 3_600_000 };
  expect((await upload(1, { id: newRecordingId(), headers: chunkHeaders(old) })).body.error.code).toBe('recording_expired');
  expect((await upload(3, { raw: chunks[1]!.bytes, headers: chunkHeaders(chunks[1]!) })).body.error.code).toBe('recording_closed');
  expect((await upload(1, { auth: user })).status).toBe(403);

  // Recordings: listing, playback, media
  const list = await walk.call('GET /api/recordings', { auth: user, query: { deviceId } });
  expect(list.body).toHaveLength(1);
  expect((await walk.call('GET /api/recordings', { auth: camera })).body).toHaveLength(1);
  expect((await walk.call('GET /api/recordings', { auth: user, query: { from: 'yesterday' } })).body.error.code).toBe('invalid_query');
  expect((await walk.call('GET /api/recordings', { auth: camera, query: { deviceId: 'another' } })).status).toBe(403);
  const playback = await walk.call('GET /api/recordings/:id/playback', { auth: user, params: { id: recordingId } });
  expect((await walk.call('GET /api/recordings/:id/playback', { auth: user, params: { id: newRecordingId() } })).status).toBe(404);
  const token = new URL(playback.body.playlistUrl).searchParams.get('token')!;
  const media = { params: { id: recordingId }, query: { token } };
  expect((await walk.call('GET /api/recordings/:id/playlist.m3u8', media)).body).toContain('#EXT-X-ENDLIST');
  expect((await walk.call('GET /api/recordings/:id/playlist.m3u8', { params: { id: recordingId } })).status).toBe(401);
  expect((await walk.call('GET /api/recordings/:id/init.mp4', { params: { id: recordingId }, auth: camera })).status).toBe(200);
  expect((await walk.call('GET /api/recordings/:id/init.mp4', { params: { id: recordingId }, query: { token: 'forged' } })).status).toBe(401);
  expect((await walk.call('GET /api/recordings/:id/segments/:seq.m4s', { ...media, params: { id: recordingId, seq: '2' } })).status).toBe(200);
  expect((await walk.call('GET /api/recordings/:id/segments/:seq.m4s', { ...media, params: { id: recordingId, seq: '9' } })).status).toBe(404);
  expect((await walk.call('GET /api/recordings/:id/recording.mp4', media)).status).toBe(200);
  expect((await walk.call('GET /api/recordings/:id/recording.mp4', { ...media, params: { id: newRecordingId() } })).status).toBe(401);

  // Camera events
  const eventId = newEventId();
  const motion = { kind: 'motion', startedAtMs: Date.now() - 5_000, endedAtMs: null, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
  const putEvent = (body: unknown, init: { auth?: string; id?: string } = {}) =>
    walk.call('PUT /api/events/:eventId', { auth: init.auth ?? camera, params: { eventId: init.id ?? eventId }, body });
  expect((await putEvent(motion)).status).toBe(201);
  expect((await putEvent({ ...motion, endedAtMs: Date.now() })).status).toBe(200);
  expect((await putEvent(motion, { id: 'short' })).body.error.code).toBe('invalid_event_id');
  expect((await putEvent({ ...motion, box: { x: 0.5, y: 0, width: 0.6, height: 1 } })).body.error.code).toBe('invalid_body');
  expect((await putEvent(motion, { auth: user })).status).toBe(403);
  const jpeg = footageFrame(3, 'jpg');
  for (const image of ['snapshot', 'thumbnail'] as const) {
    const upload = (raw: Uint8Array, init: { contentType?: string; id?: string } = {}) =>
      walk.call(`PUT /api/events/:eventId/${image}`, {
        auth: camera,
        params: { eventId: init.id ?? eventId },
        raw,
        contentType: init.contentType ?? 'image/jpeg',
      });
    expect((await upload(jpeg)).status).toBe(201);
    expect((await upload(jpeg)).status).toBe(200);
    expect((await upload(jpeg.subarray(0, 1000))).body.error.code).toBe('image_conflict');
    expect((await upload(jpeg, { contentType: 'image/png' })).body.error.code).toBe('unsupported_media_type');
    expect((await upload(jpeg, { id: newEventId() })).status).toBe(404);
    expect((await upload(new Uint8Array(0), { id: 'x' })).body.error.code).toBe('invalid_event_id');
  }
  const eventPage = await walk.call('GET /api/events', { auth: user, query: { deviceId, limit: '10' } });
  expect(eventPage.body.events.map((event: { id: string }) => event.id)).toEqual([eventId]);
  expect((await walk.call('GET /api/events', { auth: user, query: { cursor: '!' } })).body.error.code).toBe('invalid_query');
  const imageToken = new URL(eventPage.body.events[0].snapshotUrl).searchParams.get('token')!;
  for (const image of ['snapshot', 'thumbnail'] as const) {
    const route = `GET /api/events/:eventId/${image}` as const;
    expect((await walk.call(route, { params: { eventId }, query: { token: imageToken } })).contentType).toBe('image/jpeg');
    expect((await walk.call(route, { params: { eventId }, auth: user })).status).toBe(200);
    expect((await walk.call(route, { params: { eventId }, query: { token: 'forged' } })).status).toBe(401);
    expect((await walk.call(route, { params: { eventId }, auth: camera })).status).toBe(403);
    expect((await walk.call(route, { params: { eventId: newEventId() }, auth: user })).status).toBe(404);
  }
  expect((await walk.call('POST /api/events/:eventId/seen', { auth: user, params: { eventId } })).body.seenAtMs).toBeGreaterThan(0);
  expect((await walk.call('POST /api/events/:eventId/seen', { auth: user, params: { eventId: newEventId() } })).status).toBe(404);

  // Members and invitations
  const viewerInvite = await walk.call('POST /api/invites', { auth: user, body: { role: 'viewer', deviceIds: [deviceId] } });
  expect(viewerInvite.status).toBe(201);
  expect((await walk.call('POST /api/invites', { auth: user, body: { role: 'boss' } })).body.error.code).toBe('invalid_body');
  const guest = await server.register();
  const guestAuth = `Bearer ${guest.accessToken}`;
  expect((await walk.call('POST /api/invites/accept', { auth: guestAuth, body: { token: viewerInvite.body.token } })).body.role).toBe('viewer');
  expect((await walk.call('POST /api/invites/accept', { auth: guestAuth, body: { token: viewerInvite.body.token } })).body.error.code).toBe('invite_used');
  expect((await walk.call('POST /api/invites', { auth: guestAuth, body: { role: 'viewer' } })).status).toBe(403);
  const spare = await walk.call('POST /api/invites', { auth: user, body: { role: 'member' } });
  expect((await walk.call('DELETE /api/invites/:id', { auth: user, params: { id: spare.body.id } })).status).toBe(204);
  expect((await walk.call('DELETE /api/invites/:id', { auth: user, params: { id: spare.body.id } })).status).toBe(404);
  expect((await walk.call('GET /api/members', { auth: user })).body).toHaveLength(2);
  expect((await walk.call('GET /api/account', { auth: guestAuth })).body).toMatchObject({ role: 'viewer', deviceIds: [deviceId] });
  expect((await walk.call('GET /api/account', { auth: camera })).status).toBe(403);
  expect((await walk.call('GET /api/members', { auth: camera })).status).toBe(403);
  const promoted = await walk.call('PATCH /api/members/:userId', { auth: user, params: { userId: guest.user.id }, body: { role: 'member' } });
  expect(promoted.body).toEqual({ userId: guest.user.id, email: guest.user.email, role: 'member', deviceIds: null });
  const ownerId = registered.body.user.id;
  expect((await walk.call('PATCH /api/members/:userId', { auth: user, params: { userId: ownerId }, body: { role: 'viewer' } })).body.error.code).toBe('last_owner');
  expect((await walk.call('POST /api/account/leave', { auth: user })).body.error.code).toBe('last_owner');
  expect((await walk.call('POST /api/account/leave', { auth: guestAuth })).body.role).toBe('owner');
  const guestBack = await walk.call('POST /api/invites', { auth: user, body: { role: 'member' } });
  expect((await walk.call('POST /api/invites/accept', { auth: guestAuth, body: { token: guestBack.body.token } })).status).toBe(200);
  expect((await walk.call('DELETE /api/members/:userId', { auth: user, params: { userId: guest.user.id } })).status).toBe(204);
  expect((await walk.call('DELETE /api/members/:userId', { auth: user, params: { userId: guest.user.id } })).status).toBe(404);

  // The dashboard
  const dashboard = await walk.call('GET /api/dashboard', { auth: user, query: { dayStartMs: String(Date.now() - 60_000) } });
  expect(dashboard.body.cameras.map((c: { deviceId: string }) => c.deviceId)).toEqual([deviceId]);
  expect((await walk.call('GET /api/dashboard', { auth: user, query: { dayStartMs: 'today' } })).body.error.code).toBe('invalid_query');

  // Account settings, of a person of their own
  const person = await server.register();
  const personAuth = `Bearer ${person.accessToken}`;
  const otherSignIn = await server.request('POST', '/api/auth/login', { body: { email: person.user.email, password: TEST_PASSWORD } });
  const wrongPassword = { currentPassword: 'not the password', newPassword: 'a new password 2' };
  expect((await walk.call('PUT /api/account/password', { auth: personAuth, body: wrongPassword })).body.error.code).toBe('wrong_password');
  const newPassword = { currentPassword: TEST_PASSWORD, newPassword: 'a new password 2' };
  expect((await walk.call('PUT /api/account/password', { auth: personAuth, body: newPassword })).status).toBe(204);
  const sessions = await walk.call('GET /api/account/sessions', { auth: personAuth });
  expect(sessions.body.map((s: { current: boolean }) => s.current)).toEqual([true]);
  expect((await walk.call('GET /api/account/sessions', { auth: camera })).status).toBe(403);
  expect((await walk.call('DELETE /api/account/sessions', { auth: personAuth })).status).toBe(204);
  expect((await walk.call('DELETE /api/account/sessions', {})).status).toBe(401);
  expect((await walk.call('DELETE /api/account/sessions/:id', { auth: personAuth, params: { id: otherSignIn.body.user.id } })).status).toBe(404);
  expect((await walk.call('DELETE /api/account/sessions/:id', { auth: personAuth, params: { id: sessions.body[0].id } })).status).toBe(204);
  const again = await server.request('POST', '/api/auth/login', { body: { email: person.user.email, password: 'a new password 2' } });
  const againAuth = `Bearer ${again.body.accessToken}`;
  expect((await walk.call('DELETE /api/account', { auth: againAuth, body: { password: TEST_PASSWORD } })).body.error.code).toBe('wrong_password');
  expect((await walk.call('DELETE /api/account', { auth: againAuth, body: { password: 'a new password 2' } })).status).toBe(204);

  // API tokens
  const apiToken = await walk.call('POST /api/tokens', { auth: user, body: { name: 'Walk', scopes: ['read'] } });
  expect(apiToken.status).toBe(201);
  expect((await walk.call('POST /api/tokens', { auth: user, body: { name: 'Walk', scopes: ['everything'] } })).body.error.code).toBe('invalid_body');
  expect((await walk.call('GET /api/tokens', { auth: user })).body).toHaveLength(1);
  expect((await walk.call('GET /api/tokens', { auth: `Bearer ${apiToken.body.token}` })).status).toBe(403);
  expect((await walk.call('DELETE /api/tokens/:id', { auth: user, params: { id: apiToken.body.id } })).status).toBe(204);
  expect((await walk.call('DELETE /api/tokens/:id', { auth: user, params: { id: apiToken.body.id } })).status).toBe(404);

  // The audit log (owners), and a viewer page's hang-up
  const audit = await walk.call('GET /api/audit', { auth: user, query: { limit: '2' } });
  expect(audit.body.events).toHaveLength(2);
  expect((await walk.call('GET /api/audit', { auth: user, query: { cursor: audit.body.nextCursor } })).body.events.length).toBeGreaterThan(0);
  expect((await walk.call('GET /api/audit', { auth: user, query: { kind: 'coffee' } })).body.error.code).toBe('invalid_query');
  expect((await walk.call('GET /api/audit.csv', { auth: user, query: { kind: 'camera-renamed' } })).body).toContain(deviceId);
  expect((await walk.call('GET /api/audit.csv', { auth: user, query: { fromMs: 'yesterday' } })).body.error.code).toBe('invalid_query');
  expect((await walk.call('POST /api/live-views/hang-up', { auth: user, body: { peerId: 'not-a-page', deviceId } })).status).toBe(204);
  expect((await walk.call('POST /api/live-views/hang-up', { auth: user, body: { deviceId } })).body.error.code).toBe('invalid_body');

  // The reference
  const info = (await walk.call('GET /api/server')).body;
  expect(info.name).toBe('Peerwatch');
  expect(info.instanceId).toBe((await walk.call('GET /api/server')).body.instanceId);
  expect((await walk.call('GET /api/openapi.json')).body.openapi).toBe('3.1.1');
  expect((await walk.call('GET /api/docs')).body).toContain('swagger-ui-bundle.js');
  for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js', 'docs.js']) {
    expect((await walk.call('GET /api/docs/:asset', { params: { asset } })).status).toBe(200);
  }
  expect((await walk.call('GET /api/docs/:asset', { params: { asset: '..%2Fpackage.json' } })).status).toBe(404);

  // Removal, last: the camera's stream sees its own changes, the household's all of them.
  expect((await walk.call('DELETE /api/devices/:id', { auth: user, params: { id: deviceId } })).status).toBe(204);
  expect((await walk.call('DELETE /api/devices/:id', { auth: user, params: { id: deviceId } })).status).toBe(404);
  await household.next('device-removed');
  const streamed = household.events.filter((event) => event.type !== 'ready');
  expect(new Set(streamed.map((event) => event.type))).toEqual(
    new Set([
      'pairing-claimed',
      'device-updated',
      'recording-state',
      'camera-controls',
      'camera-report',
      'camera-settings',
      'motion-started',
      'motion-ended',
      'notification',
      'device-removed',
    ]),
  );
  for (const event of streamed) expect(householdEventSchema.safeParse(event.data).error).toBeUndefined();
  const own = cameraStream.events.filter((event) => event.type !== 'ready');
  expect(own.map((event) => event.type)).toContain('device-updated');
  for (const event of own) expect(deviceEventSchema.safeParse(event.data).error).toBeUndefined();
  household.close();
  cameraStream.close();

  expect(walk.unwalked()).toEqual({ withoutSuccess: [], withoutError: [] });
});

test('every route that needs a credential refuses none (401) and, where only one kind may call it, the other kind (403)', async () => {
  const walk = new ContractWalk(server);
  const owner = await server.register();
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
  const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
  const as = { user: `Bearer ${owner.accessToken}`, device: `Device ${claim.body.deviceToken}` };
  const params = { id: newRecordingId(), recordingId: newRecordingId(), eventId: newEventId(), seq: '1', asset: 'docs.js', userId: 'ab12' };
  for (const [route, spec] of Object.entries(routes) as [ApiRoute, RouteSpec][]) {
    if (spec.who === 'anyone') continue;
    expect((await walk.call(route, { params })).status, route).toBe(401);
    if (spec.who.includes('playback')) continue;
    for (const kind of ['user', 'device'] as const) {
      if (!spec.who.includes(kind)) expect((await walk.call(route, { params, auth: as[kind] })).status, route).toBe(403);
    }
  }
});

test('the API reference page shows every operation, from the server alone, within its Content-Security-Policy', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(server.baseURL)) problems.push(`left the server: ${request.url()}`);
    });
    await page.goto(`${server.baseURL}/api/docs`);
    await expect(page.locator('.opblock')).toHaveCount(Object.keys(routes).length);
    await expect(page.getByText('Peerwatch API', { exact: false }).first()).toBeVisible();
    await page.locator('.opblock-summary', { hasText: '/api/devices/me' }).first().click();
    await expect(page.getByText('Only a paired camera', { exact: false }).or(page.getByText('forbidden')).first()).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
});
