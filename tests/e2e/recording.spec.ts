import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { test, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { AuthSession } from '../../protocol/index.js';
import {
  listRecordings,
  logChunkWrites,
  pairCameraPage,
  serverChunkHashes,
  type ChunkLog,
  type LoggedChunk,
} from '../support/camera-page.js';
import { probeDurationS } from '../support/fmp4.js';
import { UPLOAD_WINDOW } from '../../pwa/camera/recording/chunk-uploader.js';
import { randomChunks, uploadChunk } from '../support/recording-client.js';
import {
  chunksByRecording,
  expectFfmpegDecodes,
  expectSeeksToMiddle,
  expectServerHasEveryChunk,
  playlistDurationMs,
  playlistUrlOf,
} from '../support/recording-checks.js';
import {
  openViewerRecordings,
  recordingState,
  recordSwitch,
  startRecordingRig,
  stopRecordingRig,
  type RecordingRig,
  waitForEmptyQueue,
} from '../support/recording-rig.js';
import type { TestServer } from '../support/server.js';

/**
 * Recordings end to end: a real camera page (headless Chromium whose fake
 * camera plays real footage) records with MediaRecorder into IndexedDB and
 * uploads to a real server process; a real viewer page lists and plays the
 * recordings with hls.js. The tests share one server, camera and viewer and
 * run in order.
 */
test.describe.configure({ mode: 'serial' });

const CAMERA_NAME = 'Front door';

let rig: RecordingRig;
let server: TestServer;
let user: AuthSession;
let cameraContext: BrowserContext;
let camera: Page;
let deviceId: string;
let log: ChunkLog;
let viewer: Page;

test.beforeAll(async () => {
  rig = await startRecordingRig(CAMERA_NAME);
  ({ server, user, cameraContext, camera, deviceId, log } = rig);
});

test.afterAll(() => stopRecordingRig(rig));

const cameraState = (text: string) => recordingState(camera, text);

/** A camera's recording wish and status as the server has them (the rig's camera unless `id` is given). */
async function serverState(id = deviceId) {
  return (await server.request('GET', `/api/devices/${id}/recording`, { auth: `Bearer ${user.accessToken}` })).body;
}

test('the camera records through 10 s offline and a reload; back online the server has every chunk', async ({}, testInfo) => {
  await recordSwitch(camera).check();
  await expect(cameraState('Recording')).toBeVisible();
  await expect.poll(serverState).toMatchObject({ enabled: true, recording: true });
  // The app's service worker controls the page, so it can be reloaded without a network.
  await expect
    .poll(() => camera.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'))
    .toBe('activated');
  await setTimeout(5_000);

  await cameraContext.setOffline(true);
  const offlineAtMs = Date.now();
  await setTimeout(4_000);
  await expect(camera.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/)).toBeVisible();
  const reloadAtMs = Date.now();
  await camera.reload();
  await expect(camera.getByRole('heading', { name: CAMERA_NAME })).toBeVisible();
  // The wish was kept in IndexedDB: recording goes on after a reload without a server.
  await expect(recordSwitch(camera)).toBeChecked();
  await expect(cameraState('Recording')).toBeVisible();
  await expect(camera.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/)).toBeVisible();
  await camera.screenshot({ path: testInfo.outputPath('camera-offline.png') });
  await setTimeout(Math.max(0, offlineAtMs + 11_000 - Date.now()));

  await cameraContext.setOffline(false);
  await setTimeout(5_000);
  await recordSwitch(camera).uncheck();
  const stoppedAtMs = Date.now();
  await expect(cameraState('Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);
  await expect.poll(serverState).toMatchObject({ enabled: false, recording: false });
  await camera.screenshot({ path: testInfo.outputPath('camera-uploaded.png') });

  // One recording before the reload, one after it.
  expect(log.recordings).toHaveLength(2);
  const [before, after] = log.recordings;
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, [before!.id, after!.id]);
  expect(await listRecordings(server, user.accessToken, deviceId)).toHaveLength(2);

  // Each playlist lasts as long as its recording ran, within one chunk; ffprobe reads the same.
  const longestChunkMs = Math.max(...log.chunks.map((c) => c.durationMs));
  for (const [recording, endedAtMs] of [
    [before!, reloadAtMs],
    [after!, stoppedAtMs],
  ] as const) {
    const playlistMs = await playlistDurationMs(server, user.accessToken, recording.id);
    testInfo.annotations.push({
      type: 'duration',
      description: `${recording.id}: recorded ${endedAtMs - recording.startedAtMs} ms, playlist ${playlistMs.toFixed(0)} ms`,
    });
    expect(Math.abs(playlistMs - (endedAtMs - recording.startedAtMs))).toBeLessThanOrEqual(longestChunkMs);
    expect(Math.abs(probeDurationS(await playlistUrlOf(server, user.accessToken, recording.id)) * 1000 - playlistMs)).toBeLessThanOrEqual(
      longestChunkMs,
    );
  }
  expect(stoppedAtMs - before!.startedAtMs).toBeGreaterThanOrEqual(20_000);
});

test('the viewer lists the recordings and plays one with hls.js, seeking to the middle; ffmpeg reads it too', async ({}, testInfo) => {
  let list: Locator;
  ({ viewer, list } = await openViewerRecordings(rig, CAMERA_NAME));
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByText('complete', { exact: true })).toHaveCount(2);
  const posters = list.getByRole('img', { name: /^First frame of the recording of / });
  await expect(posters).toHaveCount(2);
  await expect
    .poll(() => posters.evaluateAll((imgs: HTMLImageElement[]) => imgs.map((img) => img.complete && img.naturalWidth)))
    .toEqual([320, 320]);
  await list.screenshot({ path: testInfo.outputPath('viewer-recordings-list.png') });

  const newest = log.recordings[1]!;
  await list.getByRole('button', { name: /^Play recording / }).first().click();
  const video = viewer.getByRole('region', { name: /^Recordings/ }).locator('video');
  await expect(video).toHaveAttribute('aria-label', new RegExp(`^Recording: ${CAMERA_NAME} .+`));
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(1);
  await viewer.screenshot({ path: testInfo.outputPath('viewer-recordings.png') });

  await expectSeeksToMiddle(viewer, video);

  const playlistUrl = await playlistUrlOf(server, user.accessToken, newest.id);
  expectFfmpegDecodes(playlistUrl);

  // Download saves the recording as one MP4 file: the chunks joined in order, which players and ffmpeg read.
  const [download] = await Promise.all([
    viewer.waitForEvent('download'),
    viewer.getByRole('region', { name: /^Recordings/ }).getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${CAMERA_NAME} \\d{4}-\\d\\d-\\d\\d \\d\\d-\\d\\d-\\d\\dZ\\.mp4$`));
  const file = await download.path();
  const chunks = chunksByRecording(log.chunks).get(newest.id)!;
  expect(statSync(file).size).toBe(chunks.reduce((sum, c) => sum + c.sizeBytes, 0));
  expect(Math.abs(probeDurationS(file) - probeDurationS(playlistUrl))).toBeLessThan(0.5);
  expectFfmpegDecodes(file);
});

test('the Record switch on the viewer starts and stops recording on the camera; both show the state', async ({}, testInfo) => {
  const entry = viewer.getByRole('listitem').filter({ has: viewer.getByText(CAMERA_NAME, { exact: true }) });
  const viewerSwitch = recordSwitch(entry);
  await expect(viewerSwitch).not.toBeChecked();
  await expect(entry.getByText('Not recording', { exact: true })).toBeVisible();

  await viewerSwitch.check();
  await expect(recordSwitch(camera)).toBeChecked();
  await expect(cameraState('Recording')).toBeVisible();
  await expect(entry.getByText('Recording', { exact: true })).toBeVisible();
  await viewer.screenshot({ path: testInfo.outputPath('viewer-recording.png') });
  await viewer.setViewportSize({ width: 390, height: 844 });
  await entry.screenshot({ path: testInfo.outputPath('viewer-camera-card-phone.png') });
  await viewer.setViewportSize({ width: 1280, height: 1000 });
  await camera.screenshot({ path: testInfo.outputPath('camera-recording.png') });

  // The new recording shows up in the open list while it grows, and plays (EVENT playlist, hls.js live mode).
  const list = viewer.getByRole('list', { name: `Recordings of ${CAMERA_NAME}` });
  const growing = list.getByRole('listitem').filter({ hasText: 'recording…' });
  await expect(growing).toHaveCount(1, { timeout: 15_000 });
  await growing.getByRole('button', { name: /^Play recording / }).click();
  await expect(viewer.getByRole('button', { name: 'Go to latest' })).toBeVisible();
  const video = viewer.getByRole('region', { name: /^Recordings/ }).locator('video');
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(1);
  const durationS = () => video.evaluate((el: HTMLVideoElement) => (Number.isFinite(el.duration) ? el.duration : 0));
  const firstS = await durationS();
  await expect.poll(durationS, { timeout: 20_000 }).toBeGreaterThan(firstS + 2);

  await viewerSwitch.uncheck();
  await expect(recordSwitch(camera)).not.toBeChecked();
  await expect(cameraState('Not recording')).toBeVisible();
  await expect(entry.getByText('Not recording', { exact: true })).toBeVisible();
  await waitForEmptyQueue(camera);
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByText('complete', { exact: true })).toHaveCount(3, { timeout: 15_000 });
  await expect(viewer.getByRole('button', { name: 'Go to latest' })).toBeHidden();
});

test('the server is killed (SIGKILL) while the camera uploads its backlog: uploads resume, each chunk is stored once and whole', async () => {
  const known = new Set(log.recordings.map((r) => r.id));
  await recordSwitch(camera).check();
  await expect(cameraState('Recording')).toBeVisible();
  await cameraContext.setOffline(true);
  await setTimeout(10_000);
  await expect(camera.getByText(/\d+ chunks \/ [\d.]+ MB waiting/)).toBeVisible();

  // A slow uplink (64 KiB/s), so the backlog takes seconds to send and the kill lands mid-upload.
  const cdp = await cameraContext.newCDPSession(camera);
  await cameraContext.setOffline(false);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 64 * 1024,
  });
  const stored = async () =>
    (await listRecordings(server, user.accessToken, deviceId))
      .filter((s) => !known.has(s.id))
      .reduce((sum, s) => sum + s.chunkCount, 0);
  /** Chunks the server is receiving: temp files beside the stored ones. */
  const staged = () =>
    readdirSync(path.join(server.dataDir, 'recordings'))
      .filter((id) => !known.has(id))
      .flatMap((id) => readdirSync(path.join(server.dataDir, 'recordings', id)).filter((name) => name.endsWith('.tmp')));
  // The kill lands while chunks are stored and others are on their way (each takes seconds at this speed).
  await expect.poll(async () => (await stored()) >= 2 && staged().length > 0, { timeout: 30_000 }).toBe(true);
  await server.stop('SIGKILL');
  // The kill cut the uploads in flight short: their half-written chunks stay in temp files.
  expect(staged().length).toBeGreaterThanOrEqual(1);
  expect(staged().length).toBeLessThanOrEqual(UPLOAD_WINDOW);
  await expect(camera.getByText(/The server cannot be reached\. Trying again soon\./)).toBeVisible();
  await server.restart();
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await recordSwitch(camera).uncheck();
  await expect(cameraState('Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);

  const fresh = log.recordings.filter((r) => !known.has(r.id)).map((r) => r.id);
  expect(fresh).toHaveLength(1);
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, fresh);
});

test('storage full: recording stops with a warning and keeps what is not uploaded; it resumes when space is back', async () => {
  // A second camera whose site may store 1.2 MB (Chromium applies a quota override to storage not opened yet).
  const context = await rig.cameraBrowser.newContext();
  const secondLog = await logChunkWrites(context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.baseURL, quotaSize: 1_200_000 });
  const second = await pairCameraPage(server, user.accessToken, page, 'Back door');
  const state = (text: string) => recordingState(page, text);
  const card = viewer.getByRole('listitem').filter({ has: viewer.getByText('Back door', { exact: true }) });
  await expect(card.getByText('Online', { exact: true })).toBeVisible({ timeout: 20_000 });

  // Chunk uploads fail (the camera stays online for everything else), so the queue fills the storage.
  const chunkUploads = '**/api/recordings/*/chunks/*';
  await context.route(chunkUploads, (route) => route.abort('internetdisconnected'));
  await recordSwitch(page).check();
  await expect(state('Recording')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText(
    'Recording stopped: this device is almost out of storage. Footage not yet uploaded is kept.',
    { timeout: 30_000 },
  );
  await expect(state('Not recording')).toBeVisible();
  await expect(recordSwitch(page)).toBeChecked();
  const queue = page.getByRole('status', { name: 'Upload queue' });
  // The viewers learn why the camera does not record.
  // (Generous timeout: on a loaded machine the camera may miss heartbeats, look offline and reconnect.)
  await expect(card.getByRole('status')).toHaveText(
    /^\s*Not recording · the camera is almost out of storage; it records again once uploads have made room\s*$/,
    { timeout: 30_000 },
  );
  const waiting = await queue.textContent();
  expect(waiting).toMatch(/\d+ chunks \/ [\d.]+ MB waiting/);
  await setTimeout(3_000);
  await expect(queue).toHaveText(waiting!);
  await page.screenshot({ path: test.info().outputPath('camera-storage-full.png') });

  // Uploads work again: the queue drains, which frees the space, and recording resumes by itself.
  await context.unroute(chunkUploads);
  await expect(state('Recording')).toBeVisible({ timeout: 40_000 });
  await expect(page.getByText(/almost out of storage/)).toHaveCount(0);
  await expect(card.getByRole('status')).toHaveText(/^\s*Recording\s*$/, { timeout: 30_000 });
  await expect
    .poll(() => serverState(second.deviceId))
    .toMatchObject({ enabled: true, recording: true });
  await recordSwitch(page).uncheck();
  await expect(state('Not recording')).toBeVisible();
  await waitForEmptyQueue(page);
  const ids = [...chunksByRecording(secondLog.chunks).keys()];
  expect(ids.length).toBeGreaterThanOrEqual(2);
  await expectServerHasEveryChunk(server, user.accessToken, { log: secondLog, deviceId: second.deviceId }, ids);
  await context.close();
});

test('a chunk the server holds with other bytes (409 chunk_conflict) is shown and kept, not retried; other recordings go on', async () => {
  const known = new Set(log.recordings.map((r) => r.id));
  await cameraContext.setOffline(true);
  await recordSwitch(camera).check();
  await expect(camera.getByText(/[3-9] chunks \/ [\d.]+ MB waiting/)).toBeVisible({ timeout: 20_000 });
  await recordSwitch(camera).uncheck();
  await expect(cameraState('Not recording')).toBeVisible();
  const [conflicted] = log.recordings.filter((r) => !known.has(r.id));
  const queued = chunksByRecording(log.chunks).get(conflicted!.id)!;

  // Other bytes reach the server under seq 1 of that recording first (as a buggy second uploader would send them).
  const deviceToken = await camera.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('peerwatch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('credentials').objectStore('credentials').get('camera');
          get.onsuccess = () => resolve(get.result.deviceToken);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  const other = randomChunks(2, 1000, queued[1]!.startMs)[1]!;
  const planted = await uploadChunk(server, { deviceId, auth: `Device ${deviceToken}` }, conflicted!.id, other);
  expect(planted.status).toBe(201);

  await cameraContext.setOffline(false);
  await expect(camera.getByRole('alert')).toContainText('(409 chunk_conflict)');
  await expect(camera.getByRole('alert')).toContainText('stays on this device');
  await setTimeout(3_000);
  // Chunks sent beside seq 1 (the upload window) were stored; seq 1 stays on the camera and is not sent again.
  const [summary] = (await listRecordings(server, user.accessToken, deviceId)).filter((s) => s.id === conflicted!.id);
  const stored = summary!.chunkCount;
  expect(stored).toBeGreaterThanOrEqual(2);
  expect(stored).toBeLessThanOrEqual(1 + UPLOAD_WINDOW);
  expect(await serverChunkHashes(server, user.accessToken, conflicted!.id, stored)).toEqual([
    queued[0]!.sha256,
    other.sha256,
    ...queued.slice(2, stored).map((c) => c.sha256),
  ]);
  const waiting = camera.getByRole('status', { name: 'Upload queue' });
  const stillQueued = queued.length - (stored - 1);
  await expect(waiting).toHaveText(new RegExp(`^\\s*${stillQueued} chunks? / [\\d.]+ MB waiting\\s*$`));

  // A new recording is uploaded past the parked one.
  await recordSwitch(camera).check();
  await expect(cameraState('Recording')).toBeVisible();
  await setTimeout(4_000);
  await recordSwitch(camera).uncheck();
  await expect(cameraState('Not recording')).toBeVisible();
  const next = log.recordings.filter((r) => !known.has(r.id) && r.id !== conflicted!.id).map((r) => r.id);
  expect(next).toHaveLength(1);
  await expect.poll(async () => (await listRecordings(server, user.accessToken, deviceId)).find((s) => s.id === next[0])?.complete).toBe(true);
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, next);
  await expect(waiting).toHaveText(new RegExp(`^\\s*${stillQueued} chunks? / [\\d.]+ MB waiting\\s*$`));
});
