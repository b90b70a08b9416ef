import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { motionEventPageSchema, type MotionEvent, type MotionEventPage, type MotionEventWrite } from '../../protocol/index.js';
import { footageFrame } from '../support/media.js';
import {
  EventStreamReader,
  newEventId,
  newRecordingId,
  pairCamera,
  randomChunks,
  uploadChunk,
  uploadRecording,
  type PairedCamera,
} from '../support/recording-client.js';
import { TestServer } from '../support/server.js';

const IMAGE_MAX_BYTES = 150_000;
const IMAGE_TOKEN_TTL_MS = 2_000;

/** An event as a camera reports it, `startedAtMs` from now, still open. */
const motion = (startedAtMs: number, extra: Partial<MotionEventWrite> = {}): MotionEventWrite => ({
  kind: 'motion',
  startedAtMs,
  endedAtMs: null,
  score: 0.4,
  box: { x: 0.25, y: 0.1, width: 0.5, height: 0.8 },
  ...extra,
});

async function putEvent(server: TestServer, camera: PairedCamera, id: string, body: unknown) {
  return server.request('PUT', `/api/events/${id}`, { auth: camera.auth, body });
}

async function putImage(
  server: TestServer,
  camera: PairedCamera,
  id: string,
  image: 'snapshot' | 'thumbnail',
  bytes: Uint8Array,
  contentType = 'image/jpeg',
) {
  const res = await fetch(`${server.baseURL}/api/events/${id}/${image}`, {
    method: 'PUT',
    headers: { authorization: camera.auth, 'content-type': contentType },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function listEvents(server: TestServer, accessToken: string, query: Record<string, string> = {}): Promise<MotionEventPage> {
  const search = new URLSearchParams(query).toString();
  const res = await server.request('GET', `/api/events${search ? `?${search}` : ''}`, { auth: `Bearer ${accessToken}` });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return motionEventPageSchema.parse(res.body);
}

/** Every event, following `nextCursor` page by page. */
async function allPages(server: TestServer, accessToken: string, query: Record<string, string>): Promise<MotionEvent[]> {
  const events: MotionEvent[] = [];
  for (let cursor: string | null | undefined; cursor !== null; ) {
    const page = await listEvents(server, accessToken, { ...query, ...(cursor ? { cursor } : {}) });
    events.push(...page.events);
    cursor = page.nextCursor;
  }
  return events;
}

test.describe('camera events', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({
      env: {
        EVENT_IMAGE_MAX_BYTES: String(IMAGE_MAX_BYTES),
        PLAYBACK_TOKEN_TTL_MS: String(IMAGE_TOKEN_TTL_MS),
        HTTPS: 'off',
      },
    });
  });
  test.afterAll(async () => server.stop());

  test('an event is created once by its id, updated in place, and its start, the person found in it and its end reach the household stream', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken, 'Hall');
    const other = await pairCamera(server, user.accessToken, 'Garden');
    const stream = await EventStreamReader.open(server, `Bearer ${user.accessToken}`);
    try {
      const id = newEventId();
      const startedAtMs = Date.now() - 3_000;
      const created = await putEvent(server, camera, id, motion(startedAtMs));
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id, deviceId: camera.deviceId, ...motion(startedAtMs), seenAtMs: null });
      // A retry of the same report (its answer was lost) changes nothing.
      expect((await putEvent(server, camera, id, motion(startedAtMs))).status).toBe(200);
      const started = await stream.next('motion-started', (e) => e.event.id === id);
      expect(started.event).toMatchObject({ id, deviceId: camera.deviceId, kind: 'motion', endedAtMs: null });

      // The person model finds someone while the event goes on: the household hears of it at once, once.
      const person = motion(startedAtMs, { kind: 'person', score: 0.9 });
      expect((await putEvent(server, camera, id, person)).status).toBe(200);
      expect((await putEvent(server, camera, id, person)).status).toBe(200);
      const updated = await stream.next('motion-updated', (e) => e.event.id === id);
      expect(updated.event).toMatchObject({ id, kind: 'person', endedAtMs: null });

      // Then the event ends.
      const ended = motion(startedAtMs, { kind: 'person', score: 0.9, endedAtMs: startedAtMs + 12_000 });
      expect((await putEvent(server, camera, id, ended)).body).toMatchObject({ kind: 'person', score: 0.9 });
      expect((await putEvent(server, camera, id, ended)).status).toBe(200);
      const endedEvent = await stream.next('motion-ended', (e) => e.event.id === id);
      expect(endedEvent.event).toMatchObject({ kind: 'person', endedAtMs: startedAtMs + 12_000 });

      const page = await listEvents(server, user.accessToken);
      expect(page.events.map((e) => [e.id, e.kind, e.endedAtMs])).toEqual([[id, 'person', startedAtMs + 12_000]]);
      expect(stream.events.filter((e) => e.type === 'motion-started' && e.data.event.id === id)).toHaveLength(1);
      expect(stream.events.filter((e) => e.type === 'motion-updated' && e.data.event.id === id)).toHaveLength(1);
      expect(stream.events.filter((e) => e.type === 'motion-ended' && e.data.event.id === id)).toHaveLength(1);

      // Another camera, even of the same household, cannot write this camera's event.
      expect((await putEvent(server, other, id, motion(startedAtMs))).status).toBe(404);
      expect((await listEvents(server, user.accessToken)).events[0]?.deviceId).toBe(camera.deviceId);
    } finally {
      stream.close();
    }
  });

  test('bad ids, bodies, content types and oversize or empty images get a clear error, and nothing is stored', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const id = newEventId();
    const now = Date.now();
    const code = (res: { body: any }) => res.body?.error?.code;
    expect(code(await putEvent(server, camera, 'bad id!', motion(now)))).toBe('invalid_event_id');
    expect(code(await putEvent(server, camera, 'x'.repeat(65), motion(now)))).toBe('invalid_event_id');
    for (const bad of [
      motion(now, { endedAtMs: now - 1 }),
      motion(now, { box: { x: 0.8, y: 0, width: 0.5, height: 1 } }),
      motion(now, { score: 1.5 }),
      { ...motion(now), kind: 'car' },
      { ...motion(now), extra: true },
      { kind: 'motion' },
    ]) {
      const res = await putEvent(server, camera, id, bad);
      expect(res.status).toBe(400);
      expect(code(res)).toBe('invalid_body');
    }
    expect(code(await server.request('PUT', `/api/events/${id}`, { auth: camera.auth, raw: '{"kind":' }))).toBe('malformed_json');
    expect((await server.request('PUT', `/api/events/${id}`, { auth: `Bearer ${user.accessToken}`, body: motion(now) })).status).toBe(403);
    expect((await server.request('PUT', `/api/events/${id}`, { body: motion(now) })).status).toBe(401);
    expect((await listEvents(server, user.accessToken)).events).toEqual([]);

    // Images need their event first, then the right type, a body, and at most the limit.
    const jpeg = footageFrame(2, 'jpg');
    expect((await putImage(server, camera, id, 'snapshot', jpeg)).status).toBe(404);
    expect((await putEvent(server, camera, id, motion(now))).status).toBe(201);
    expect(code(await putImage(server, camera, id, 'snapshot', jpeg, 'image/png'))).toBe('unsupported_media_type');
    expect(code(await putImage(server, camera, id, 'snapshot', new Uint8Array(0)))).toBe('empty_image');
    const oversize = await putImage(server, camera, id, 'snapshot', randomBytes(IMAGE_MAX_BYTES + 1));
    expect([oversize.status, code(oversize)]).toEqual([413, 'image_too_large']);
    const [listed] = (await listEvents(server, user.accessToken)).events;
    expect([listed?.snapshotUrl, listed?.thumbnailUrl]).toEqual([null, null]);
    const folder = path.join(server.dataDir, 'event-images', id);
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  test('images are written once; their signed URLs load without a header, then expire; other households see nothing', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const stranger = await server.register();
    const strangersCamera = await pairCamera(server, stranger.accessToken);
    const id = newEventId();
    expect((await putEvent(server, camera, id, motion(Date.now() - 1_000))).status).toBe(201);

    const snapshot = footageFrame(4, 'jpg');
    const thumbnail = footageFrame(4, 'webp', 180);
    expect(await putImage(server, camera, id, 'snapshot', snapshot)).toMatchObject({
      status: 201,
      body: { eventId: id, image: 'snapshot', contentType: 'image/jpeg', sizeBytes: snapshot.length },
    });
    expect((await putImage(server, camera, id, 'snapshot', snapshot)).status).toBe(200);
    // Other bytes for a stored image: 409, the first stays (an event's pictures do not change under a viewer).
    expect((await putImage(server, camera, id, 'snapshot', footageFrame(6, 'jpg'))).body.error.code).toBe('image_conflict');
    expect((await putImage(server, camera, id, 'thumbnail', thumbnail, 'image/webp')).status).toBe(201);
    // Another household's camera cannot add pictures to this event.
    expect((await putImage(server, strangersCamera, id, 'thumbnail', thumbnail, 'image/webp')).status).toBe(404);

    const [event] = (await listEvents(server, user.accessToken)).events;
    for (const [url, bytes, type] of [
      [event!.snapshotUrl!, snapshot, 'image/jpeg'],
      [event!.thumbnailUrl!, thumbnail, 'image/webp'],
    ] as const) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
    // The token opens this event's images only, and a recording with the same id not at all.
    const token = new URL(event!.snapshotUrl!).searchParams.get('token')!;
    const otherId = newEventId();
    expect((await putEvent(server, camera, otherId, motion(Date.now()))).status).toBe(201);
    expect((await putImage(server, camera, otherId, 'snapshot', snapshot)).status).toBe(201);
    expect((await fetch(`${server.baseURL}/api/events/${otherId}/snapshot?token=${token}`)).status).toBe(401);
    expect((await fetch(`${server.baseURL}/api/recordings/${id}/playlist.m3u8?token=${token}`)).status).toBe(401);

    // Another household: no events listed, its credential loads no image, it cannot mark one seen.
    expect((await listEvents(server, stranger.accessToken)).events).toEqual([]);
    expect((await listEvents(server, stranger.accessToken, { deviceId: camera.deviceId })).events).toEqual([]);
    const asStranger = { headers: { authorization: `Bearer ${stranger.accessToken}` } };
    expect((await fetch(`${server.baseURL}/api/events/${id}/snapshot`, asStranger)).status).toBe(404);
    expect((await fetch(`${server.baseURL}/api/events/${id}/snapshot`)).status).toBe(401);
    expect((await server.request('POST', `/api/events/${id}/seen`, { auth: `Bearer ${stranger.accessToken}` })).status).toBe(404);

    // Seen, per household, once: marking it again keeps the first time.
    const seen = await server.request('POST', `/api/events/${id}/seen`, { auth: `Bearer ${user.accessToken}` });
    expect(seen.body.seenAtMs).toBeGreaterThan(0);
    const again = await server.request('POST', `/api/events/${id}/seen`, { auth: `Bearer ${user.accessToken}` });
    expect(again.body.seenAtMs).toBe(seen.body.seenAtMs);

    // The links expire (JWT `exp` is in whole seconds).
    await new Promise((resolve) => setTimeout(resolve, IMAGE_TOKEN_TTL_MS + 1_100));
    const expired = await fetch(event!.snapshotUrl!);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as any).error.code).toBe('unauthorized');
  });

  test('the list is newest first, filters by camera, kind and time, and its cursor pages stay stable while events arrive', async () => {
    const user = await server.register();
    const hall = await pairCamera(server, user.accessToken, 'Hall');
    const yard = await pairCamera(server, user.accessToken, 'Yard');
    const base = Date.now() - 3_600_000;
    const made: { id: string; camera: PairedCamera; kind: 'motion' | 'person'; startedAtMs: number }[] = [];
    for (let i = 0; i < 9; i++) {
      const entry = { id: newEventId(), camera: i % 3 === 0 ? yard : hall, kind: i % 2 ? 'person' : 'motion', startedAtMs: base + i * 60_000 } as const;
      // Two events start at the same ms: the id breaks the tie.
      const startedAtMs = i === 5 ? base + 4 * 60_000 : entry.startedAtMs;
      made.push({ ...entry, startedAtMs });
      expect((await putEvent(server, entry.camera, entry.id, motion(startedAtMs, { kind: entry.kind }))).status).toBe(201);
    }
    const newestFirst = [...made].sort((a, b) => b.startedAtMs - a.startedAtMs || (a.id < b.id ? 1 : -1)).map((e) => e.id);

    const first = await listEvents(server, user.accessToken, { limit: '4' });
    expect(first.events.map((e) => e.id)).toEqual(newestFirst.slice(0, 4));
    expect(first.nextCursor).not.toBeNull();
    // A new event arrives while the viewer scrolls: the next pages neither repeat nor skip anything.
    const late = newEventId();
    expect((await putEvent(server, hall, late, motion(Date.now()))).status).toBe(201);
    const second = await listEvents(server, user.accessToken, { limit: '4', cursor: first.nextCursor! });
    const third = await listEvents(server, user.accessToken, { limit: '4', cursor: second.nextCursor! });
    expect([...second.events, ...third.events].map((e) => e.id)).toEqual(newestFirst.slice(4));
    expect(third.nextCursor).toBeNull();
    expect((await listEvents(server, user.accessToken, { limit: '1' })).events[0]?.id).toBe(late);

    const ids = (events: MotionEvent[]) => events.map((e) => e.id).sort();
    const expected = (keep: (e: (typeof made)[number]) => boolean) => made.filter(keep).map((e) => e.id).sort();
    expect(ids(await allPages(server, user.accessToken, { deviceId: yard.deviceId, limit: '2' }))).toEqual(
      expected((e) => e.camera === yard),
    );
    expect(ids(await allPages(server, user.accessToken, { kind: 'person', limit: '2', to: String(base + 3_600_000) }))).toEqual(
      expected((e) => e.kind === 'person'),
    );
    const from = base + 2 * 60_000;
    const to = base + 6 * 60_000;
    expect(ids(await allPages(server, user.accessToken, { from: String(from), to: String(to) }))).toEqual(
      expected((e) => e.startedAtMs >= from && e.startedAtMs <= to),
    );

    for (const query of ['limit=0', 'limit=201', 'kind=car', 'from=yesterday', 'cursor=%21%21', `cursor=${Buffer.from('[1,"x"]').toString('base64url')}`]) {
      const res = await server.request('GET', `/api/events?${query}`, { auth: `Bearer ${user.accessToken}` });
      expect([res.status, res.body.error.code], query).toEqual([400, 'invalid_query']);
    }
    expect((await server.request('GET', '/api/events', { auth: hall.auth })).status).toBe(403);
  });

  test('footage: the recording that covers the event start, and the offset into it; null without one', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const recordingStartMs = Date.now() - 120_000;
    const recordingId = newRecordingId();
    await uploadRecording(server, camera, recordingId, randomChunks(6, 2_000, recordingStartMs));
    const inside = newEventId();
    const named = newEventId();
    const outside = newEventId();
    await putEvent(server, camera, inside, motion(recordingStartMs + 2_500));
    await putEvent(server, camera, named, motion(recordingStartMs + 1_000, { recordingId, footageOffsetMs: 1_200 }));
    await putEvent(server, camera, outside, motion(recordingStartMs + 60_000));
    const byId = new Map((await listEvents(server, user.accessToken)).events.map((e) => [e.id, e.footage]));
    expect(byId.get(inside)).toEqual({ recordingId, offsetMs: 2_500 });
    expect(byId.get(named)).toEqual({ recordingId, offsetMs: 1_200 });
    expect(byId.get(outside)).toBeNull();
  });

  test('a camera whose clock is a year off: its event lands on the server clock, beside its footage', async () => {
    const user = await server.register();
    const camera = await pairCamera(server, user.accessToken);
    const YEAR_MS = 365 * 24 * 3_600_000;
    const cameraNow = () => Date.now() - YEAR_MS;
    const recordingId = newRecordingId();
    const chunks = randomChunks(4, 2_000, cameraNow() - 10_000);
    for (const chunk of chunks) {
      const res = await uploadChunk(server, camera, recordingId, chunk, { cameraClockMs: cameraNow() });
      expect(res.status).toBe(201);
    }
    const id = newEventId();
    const startedAtMs = chunks[0]!.startMs + 1_500;
    const res = await putEvent(server, camera, id, motion(startedAtMs, { endedAtMs: startedAtMs + 800, cameraClockMs: cameraNow() }));
    expect(Math.abs(res.body.startedAtMs - (startedAtMs + YEAR_MS))).toBeLessThan(2_000);
    expect(res.body.endedAtMs - res.body.startedAtMs).toBe(800);
    const [listed] = (await listEvents(server, user.accessToken)).events;
    expect(listed?.footage?.recordingId).toBe(recordingId);
  });
});

test.describe('camera event retention', () => {
  const MAX_AGE_MS = 3_600_000;
  const MAX_BYTES = 250_000;
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({
      env: {
        RECORDING_MAX_AGE_MS: String(MAX_AGE_MS),
        RECORDING_MAX_BYTES_PER_CAMERA: String(MAX_BYTES),
        RECORDING_SWEEP_INTERVAL_MS: '250',
        EVENT_IMAGE_MAX_BYTES: String(MAX_BYTES),
        HTTPS: 'off',
      },
    });
  });
  test.afterAll(async () => server.stop());

  test('events and their images go with their recording, by age and by size (images count), and alone when they have no footage', async () => {
    const user = await server.register();
    const stream = await EventStreamReader.open(server, `Bearer ${user.accessToken}`);
    try {
      const now = Date.now();
      const aging = await pairCamera(server, user.accessToken, 'Aging');
      const sized = await pairCamera(server, user.accessToken, 'Sized');
      const snapshot = footageFrame(5, 'jpg');

      /** An event starting at `startedAtMs` with a snapshot (of `snapshotBytes` when given). */
      const event = async (camera: PairedCamera, startedAtMs: number, snapshotBytes?: Uint8Array) => {
        const id = newEventId();
        expect((await putEvent(server, camera, id, motion(startedAtMs, { endedAtMs: startedAtMs + 500 }))).status).toBe(201);
        expect((await putImage(server, camera, id, 'snapshot', snapshotBytes ?? snapshot)).status).toBe(201);
        return id;
      };
      // No footage, and it ends 1 h − 3 s ago: it ages out on its own a few seconds from now
      // (not at once: the sweep every 250 ms must not take it before its snapshot is stored).
      const looseOld = await event(aging, now - MAX_AGE_MS + 2_500);
      // Its footage ends 1 h − ~6 s ago: it ages out a few seconds from now, with its event.
      const expiring = newRecordingId();
      await uploadRecording(server, aging, expiring, randomChunks(3, 1_000, now - MAX_AGE_MS + 4_000));
      const expiringEvent = await event(aging, now - MAX_AGE_MS + 4_500);
      // Recent footage and a recent event without footage stay.
      const recent = newRecordingId();
      await uploadRecording(server, aging, recent, randomChunks(3, 1_000, now - 60_000));
      const recentEvent = await event(aging, now - 59_500);
      const looseRecent = await event(aging, now - 10_000);

      // 2 × 125 kB of footage fill the 250 kB cap exactly; their events' snapshots take it over: the older one goes.
      const older = newRecordingId();
      const newer = newRecordingId();
      await uploadRecording(server, sized, older, randomChunks(5, 25_000, now - 20 * 60_000));
      const olderEvent = await event(sized, now - 20 * 60_000 + 1_500);
      await uploadRecording(server, sized, newer, randomChunks(5, 25_000, now - 10 * 60_000));
      const newerEvent = await event(sized, now - 10 * 60_000 + 1_500, randomBytes(60_000));

      await stream.next('recording-removed', (e) => e.recordingId === expiring, 15_000);
      const bySize = await stream.next('recording-removed', (e) => e.recordingId === older, 15_000);
      expect(bySize.reason).toBe('size');
      await expect
        .poll(async () => (await allPages(server, user.accessToken, {})).map((e) => e.id).sort(), { timeout: 10_000 })
        .toEqual([recentEvent, looseRecent, newerEvent].sort());
      // An event's row goes first, then its images (a crash between leaves an orphan folder the next sweep removes).
      const folders = () => readdirSync(path.join(server.dataDir, 'event-images')).filter((name) => !name.startsWith('.')).sort();
      await expect.poll(folders).toEqual([recentEvent, looseRecent, newerEvent].sort());
      const imageFolders = folders();
      for (const gone of [expiringEvent, looseOld, olderEvent]) expect(imageFolders).not.toContain(gone);
      const kept = await server.request('GET', '/api/recordings', { auth: `Bearer ${user.accessToken}` });
      expect(kept.body.map((r: { id: string }) => r.id).sort()).toEqual([recent, newer].sort());
    } finally {
      stream.close();
    }
  });
});
