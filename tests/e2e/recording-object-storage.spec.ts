import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { footageFrame } from '../support/media.js';
import { newEventId, pairCamera, uploadRecording, newRecordingId } from '../support/recording-client.js';
import { footageChunks } from '../support/fmp4.js';
import {
  expectFfmpegDecodes,
  expectSeeksToMiddle,
  expectServerHasEveryChunk,
  playlistUrlOf,
} from '../support/recording-checks.js';
import {
  openViewerRecordings,
  recordSwitch,
  recordingState,
  startRecordingRig,
  stopRecordingRig,
  waitForEmptyQueue,
  type RecordingRig,
} from '../support/recording-rig.js';
import { S3Service } from '../support/s3-service.js';

/**
 * Recordings and event images in an S3-compatible bucket (s3rver on
 * loopback) instead of DATA_DIR: a real camera page records, every chunk
 * lands in the bucket whole with the camera's hash, hls.js and ffmpeg play it
 * from there, and retention deletes the objects.
 */

const CAMERA_NAME = 'Garage';
/** Retention by age, ms: a day. */
const MAX_AGE_MS = 24 * 3_600_000;
let s3: S3Service;
let rig: RecordingRig | undefined;

test.beforeAll(async () => {
  s3 = await S3Service.start();
  rig = await startRecordingRig(CAMERA_NAME, {
    serverEnv: { ...s3.serverEnv, RECORDING_MAX_AGE_MS: String(MAX_AGE_MS), RECORDING_SWEEP_INTERVAL_MS: '1000' },
  });
});
test.afterAll(async () => {
  await stopRecordingRig(rig);
  await s3.stop();
});

/** Files under a server folder other than the (empty) staging area. */
function filesOutsideStaging(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

test('a camera records into the bucket; every chunk is there whole; hls.js and ffmpeg play it from there', async () => {
  const { server, user, camera, log, deviceId } = rig!;
  const { viewer, list } = await openViewerRecordings(rig!, CAMERA_NAME);
  const entry = viewer.getByRole('listitem').filter({ has: viewer.getByText(CAMERA_NAME, { exact: true }) });
  await recordSwitch(entry).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await expect.poll(() => log.chunks.length, { timeout: 30_000 }).toBeGreaterThan(5);
  await recordSwitch(entry).uncheck();
  await expect(recordingState(camera, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);
  const [recording] = log.recordings;
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, [recording!.id], s3.recordingChunks());
  expect(filesOutsideStaging(path.join(server.dataDir, 'recordings'))).toEqual([]);

  await expect(list.getByText('complete', { exact: true })).toHaveCount(1, { timeout: 15_000 });
  await list.getByRole('button', { name: /^Play recording / }).click();
  const video = viewer.getByRole('region', { name: /^Recordings/ }).locator('video');
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(1);
  await expectSeeksToMiddle(viewer, video);
  expectFfmpegDecodes(await playlistUrlOf(server, user.accessToken, recording!.id));
  await viewer.context().close();
});

test('event images live in the bucket; retention removes old recordings with their events and images', async () => {
  const { server, user } = rig!;
  const camera = await pairCamera(server, user.accessToken, 'Old camera');
  // 12 s of footage that began just inside RECORDING_MAX_AGE_MS: it ages out about 15 s from now
  // (a sweep runs every second).
  const startedAtMs = Date.now() - MAX_AGE_MS + 3_000;
  const recordingId = newRecordingId();
  const eventId = newEventId();
  const event = { kind: 'motion', startedAtMs: startedAtMs + 2_000, endedAtMs: startedAtMs + 5_000, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
  expect((await server.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: event })).status).toBeLessThan(300);
  const snapshot = footageFrame(3, 'jpg');
  const put = await fetch(`${server.baseURL}/api/events/${eventId}/snapshot`, {
    method: 'PUT',
    headers: { authorization: camera.auth, 'content-type': 'image/jpeg' },
    body: new Uint8Array(snapshot),
  });
  expect(put.status).toBeLessThan(300);
  expect(await s3.keys(`event-images/${eventId}/`)).toHaveLength(1);
  const listed = await server.request('GET', '/api/events', { auth: `Bearer ${user.accessToken}` });
  const { snapshotUrl } = listed.body.events.find((e: { id: string }) => e.id === eventId);
  const image = await fetch(snapshotUrl);
  expect(image.status).toBe(200);
  expect(Buffer.from(await image.arrayBuffer()).equals(snapshot)).toBe(true);

  const chunks = footageChunks(startedAtMs);
  await uploadRecording(server, camera, recordingId, chunks);
  expect(await s3.keys(`recordings/${recordingId}/`)).toHaveLength(chunks.length);
  await expect.poll(() => s3.keys(`recordings/${recordingId}/`), { timeout: 40_000 }).toEqual([]);
  await expect.poll(() => s3.keys(`event-images/${eventId}/`)).toEqual([]);
  const after = await server.request('GET', '/api/events', { auth: `Bearer ${user.accessToken}` });
  expect(after.body.events.map((e: { id: string }) => e.id)).not.toContain(eventId);
  expect(filesOutsideStaging(path.join(server.dataDir, 'event-images'))).toEqual([]);
});
