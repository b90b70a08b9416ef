import { statfsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { AuthSession, Dashboard } from '../../protocol/index.js';
import { connectCamera, type CameraSocket } from '../support/camera-socket.js';
import { footageFrame } from '../support/media.js';
import {
  newEventId,
  newRecordingId,
  pairCamera,
  randomChunks,
  uploadEventWithSnapshot,
  uploadRecording,
  type PairedCamera,
} from '../support/recording-client.js';
import { joinHousehold } from '../support/household.js';
import { bearer, TestServer } from '../support/server.js';

/**
 * The dashboard against a real server with real uploads: three cameras (one
 * online and recording with a recording and an event, one online but out
 * of storage, one offline though asked to record); its counts, each
 * camera's stored bytes (as `GET /api/recordings` and the uploaded image
 * say), the event strip, the disk's free space (as `statfs` says here), the
 * retention limits and the server's version. Owners and members see it,
 * viewers do not.
 */
let server: TestServer;
const sockets: CameraSocket[] = [];
const MAX_AGE_MS = 3 * 24 * 3_600_000;
const MAX_BYTES_PER_CAMERA = 5_000_000_000;
test.beforeAll(async () => {
  server = await TestServer.start({
    env: { RECORDING_MAX_AGE_MS: String(MAX_AGE_MS), RECORDING_MAX_BYTES_PER_CAMERA: String(MAX_BYTES_PER_CAMERA) },
  });
});
test.afterAll(async () => {
  for (const socket of sockets) await socket.close();
  await server?.stop();
});

async function online(camera: PairedCamera): Promise<void> {
  sockets.push(await connectCamera(server, camera));
}

async function askToRecord(owner: AuthSession, camera: PairedCamera, report: { recording: boolean; problem?: string } | null) {
  const wish = await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth: bearer(owner), body: { enabled: true } });
  expect(wish.status).toBe(200);
  if (report) expect((await server.request('PUT', '/api/devices/me/recording-status', { auth: camera.auth, body: report })).status).toBe(200);
}

test('the dashboard counts cameras, recording, events and storage as stored, against the disk and the retention limits', async () => {
  const owner = await server.register();
  // Before the first recording (its folder does not exist yet), the disk is that of the data folder.
  const empty = (await server.request('GET', '/api/dashboard', { auth: bearer(owner) })).body as Dashboard;
  expect(empty.storage.freeBytes).toBeGreaterThan(0);
  expect(empty.totals).toEqual({ online: 0, offline: 0, recording: 0, eventsToday: 0, storageBytes: 0 });
  const porch = await pairCamera(server, owner.accessToken, 'Porch');
  const garage = await pairCamera(server, owner.accessToken, 'Garage');
  const attic = await pairCamera(server, owner.accessToken, 'Attic');
  await online(porch);
  await online(garage);
  await askToRecord(owner, porch, { recording: true });
  await askToRecord(owner, garage, { recording: false, problem: 'storage-low' });
  await askToRecord(owner, attic, null);

  await uploadRecording(server, porch, newRecordingId(), randomChunks(3, 40_000, Date.now() - 120_000));
  await uploadRecording(server, garage, newRecordingId(), randomChunks(2, 25_000, Date.now() - 120_000));
  const snapshot = footageFrame(3, 'jpg');
  await uploadEventWithSnapshot(server, porch, newEventId(), snapshot);

  const dayStartMs = Date.now() - 3_600_000;
  const res = await server.request('GET', `/api/dashboard?dayStartMs=${dayStartMs}`, { auth: bearer(owner) });
  expect(res.status).toBe(200);
  const dashboard = res.body as Dashboard;

  const recordings = (await server.request('GET', '/api/recordings', { auth: bearer(owner) })).body as { deviceId: string; sizeBytes: number }[];
  const storedOf = (camera: PairedCamera) => recordings.filter((r) => r.deviceId === camera.deviceId).reduce((sum, r) => sum + r.sizeBytes, 0);
  expect(storedOf(porch)).toBe(120_000);
  const byName = Object.fromEntries(dashboard.cameras.map((camera) => [camera.name, camera]));
  expect(byName.Porch).toMatchObject({ online: true, recording: true, cannotRecord: null, storageBytes: 120_000 + snapshot.length, eventsToday: 1 });
  expect(byName.Garage).toMatchObject({ online: true, recording: false, cannotRecord: 'storage-low', storageBytes: storedOf(garage), eventsToday: 0 });
  expect(byName.Attic).toMatchObject({ online: false, recording: false, cannotRecord: 'offline', storageBytes: 0, eventsToday: 0 });
  expect(byName.Porch!.eventsByHour).toEqual([...new Array(23).fill(0), 1]);
  expect(byName.Garage!.eventsByHour).toEqual(new Array(24).fill(0));
  expect(dashboard.totals).toEqual({ online: 2, offline: 1, recording: 1, eventsToday: 1, storageBytes: 120_000 + snapshot.length + 50_000 });

  // The disk as statfs sees it here (free space moves a little while the machine works).
  const disk = statfsSync(path.join(server.dataDir, 'recordings'));
  expect(dashboard.storage.where).toBe('disk');
  expect(dashboard.storage.diskBytes).toBe(disk.blocks * disk.bsize);
  expect(Math.abs(dashboard.storage.freeBytes! - disk.bavail * disk.bsize)).toBeLessThan(0.02 * dashboard.storage.diskBytes!);
  expect(dashboard.storage).toMatchObject({ maxAgeMs: MAX_AGE_MS, maxBytesPerCamera: MAX_BYTES_PER_CAMERA });
  const version = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  expect(dashboard.server.version).toBe(version);
  expect(dashboard.server.uptimeMs).toBeGreaterThan(0);

  // An event before the day's start counts in the strip but not today.
  const later = (await server.request('GET', `/api/dashboard?dayStartMs=${Date.now()}`, { auth: bearer(owner) })).body as Dashboard;
  expect([later.totals.eventsToday, later.cameras.find((c) => c.name === 'Porch')!.eventsByHour[23]]).toEqual([0, 1]);
  expect((await server.request('GET', '/api/dashboard?dayStartMs=yesterday', { auth: bearer(owner) })).body.error.code).toBe('invalid_query');
});

test('members see the dashboard; viewers and other households do not see this one', async () => {
  const owner = await server.register();
  await pairCamera(server, owner.accessToken, 'Hall');
  const member = await joinHousehold(server, owner, 'member');
  const viewer = await joinHousehold(server, owner, 'viewer');
  expect(((await server.request('GET', '/api/dashboard', { auth: bearer(member) })).body as Dashboard).cameras.map((c) => c.name)).toEqual(['Hall']);
  expect((await server.request('GET', '/api/dashboard', { auth: bearer(viewer) })).status).toBe(403);
  const outsider = await server.register();
  expect(((await server.request('GET', '/api/dashboard', { auth: bearer(outsider) })).body as Dashboard).cameras).toEqual([]);
});
