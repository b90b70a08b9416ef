import { setTimeout } from 'node:timers/promises';
import { test, expect } from '@playwright/test';
import { MAX_CACHED_POSTERS } from '../../pwa/viewer/recordings/poster-frame.js';
import { listRecordings, logChunkWrites, pairCameraPage } from '../support/camera-page.js';
import { expectServerHasEveryChunk } from '../support/recording-checks.js';
import {
  openViewerRecordings,
  recordingState,
  recordSwitch,
  startRecordingRig,
  stopRecordingRig,
  type RecordingRig,
  waitForEmptyQueue,
} from '../support/recording-rig.js';

/**
 * Retention as people see it, on a server that keeps footage for 20 s
 * (RECORDING_MAX_AGE_MS) and sweeps every second: a recording being watched
 * disappears from the viewer's list when it passes the limit, and footage a
 * camera recorded offline that is already past the limit when the camera is
 * back is dropped by the camera (410 `recording_expired`), not uploaded.
 * The viewer's cache of poster frames stays bounded as well, and a camera
 * whose clock is wrong does not lose its footage to the age limit.
 */
const MAX_AGE_MS = 20_000;
const CAMERA_NAME = 'Porch';

let rig: RecordingRig;

test.beforeAll(async () => {
  rig = await startRecordingRig(CAMERA_NAME, {
    serverEnv: { RECORDING_MAX_AGE_MS: String(MAX_AGE_MS), RECORDING_SWEEP_INTERVAL_MS: '1000' },
  });
});

test.afterAll(() => stopRecordingRig(rig));


test('a recording past the retention period leaves the viewer’s list; footage already past it when the camera is back is dropped', async () => {
  const { server, user, camera, cameraContext, deviceId, log } = rig;
  const record = async (ms: number) => {
    await recordSwitch(camera).check();
    await expect(recordingState(camera, 'Recording')).toBeVisible();
    await setTimeout(ms);
    await recordSwitch(camera).uncheck();
    await expect(recordingState(camera, 'Not recording')).toBeVisible();
  };

  // A: recorded online and uploaded.
  await record(4_000);
  await waitForEmptyQueue(camera);
  const [kept] = log.recordings;
  // B: recorded offline; it waits on the camera.
  await cameraContext.setOffline(true);
  await record(4_000);
  const offlineEndedAtMs = Date.now();
  await expect(camera.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/)).toBeVisible();
  const dropped = log.recordings.find((r) => r.id !== kept!.id);
  expect(dropped).toBeDefined();

  // A viewer plays A until retention removes it.
  const { viewer, list } = await openViewerRecordings(rig, CAMERA_NAME);
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await list.getByRole('button', { name: /^Play recording / }).click();
  const region = viewer.getByRole('region', { name: /^Recordings/ });
  await expect(region.locator('video')).toHaveAttribute('aria-label', new RegExp(`^Recording: ${CAMERA_NAME} `));
  await expect(list.getByRole('listitem')).toHaveCount(0, { timeout: MAX_AGE_MS + 10_000 });
  await expect(region.getByText('The recording being played was removed (retention).')).toBeVisible();
  await expect(region.locator('video')).toHaveCount(0);
  expect(await listRecordings(server, user.accessToken, deviceId)).toEqual([]);

  // Back online after B passed the limit too: the camera drops it instead of uploading it.
  await setTimeout(Math.max(0, offlineEndedAtMs + MAX_AGE_MS + 2_000 - Date.now()));
  const refusals: number[] = [];
  camera.on('response', (res) => {
    if (res.url().includes(`/api/recordings/${dropped!.id}/chunks/`)) refusals.push(res.status());
  });
  await cameraContext.setOffline(false);
  await waitForEmptyQueue(camera);
  expect(refusals.length).toBeGreaterThanOrEqual(1);
  expect(new Set(refusals)).toEqual(new Set([410]));
  expect(await listRecordings(server, user.accessToken, deviceId)).toEqual([]);
});

test('the viewer keeps at most 1000 poster frames, dropping the oldest', async () => {
  const { viewer } = await openViewerRecordings(rig, CAMERA_NAME);
  // Posters of recordings that were removed while no viewer was open: nothing ever tells the cache about them.
  const seeded = MAX_CACHED_POSTERS + 5;
  await viewer.evaluate(async (count) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('peerwatch');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction('posters', 'readwrite');
    const image = new Blob([new Uint8Array(64)], { type: 'image/jpeg' });
    for (let i = 1; i <= count; i++) tx.objectStore('posters').put({ recordingId: `gone-${i}`, image, cachedAtMs: i });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, seeded);

  await viewer.getByRole('button', { name: 'Close recordings' }).click();
  await viewer.getByRole('button', { name: `Recordings ${CAMERA_NAME}` }).click();
  const keys = () =>
    viewer.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('peerwatch');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('posters').objectStore('posters').getAllKeys();
            all.onsuccess = () => resolve(all.result as string[]);
            all.onerror = () => reject(all.error);
          };
        }),
    );
  await expect.poll(async () => (await keys()).length).toBe(MAX_CACHED_POSTERS);
  const kept = new Set(await keys());
  for (let i = 1; i <= seeded - MAX_CACHED_POSTERS; i++) expect(kept.has(`gone-${i}`)).toBe(false);
  expect(kept.has(`gone-${seeded}`)).toBe(true);
});

test('a camera whose clock is a year slow keeps its footage, listed at the real time', async () => {
  const { server, user } = rig;
  const context = await rig.cameraBrowser.newContext();
  await context.clock.install({ time: Date.now() - 365 * 86_400_000 });
  const written = await logChunkWrites(context);
  const page = await context.newPage();
  const { deviceId } = await pairCameraPage(server, user.accessToken, page, 'Shed');
  await recordSwitch(page).check();
  await expect(recordingState(page, 'Recording')).toBeVisible();
  const startedAtMs = Date.now();
  await setTimeout(4_000);
  await recordSwitch(page).uncheck();
  await expect(recordingState(page, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(page);

  // On the camera's clock the footage is a year old, far past the 20 s the server keeps; it is stored all the same.
  expect(written.recordings).toHaveLength(1);
  const [recording] = written.recordings;
  expect(recording!.startedAtMs).toBeLessThan(startedAtMs - 300 * 86_400_000);
  await expectServerHasEveryChunk(server, user.accessToken, { log: written, deviceId }, [recording!.id]);
  const [summary] = await listRecordings(server, user.accessToken, deviceId);
  expect(Math.abs(summary!.startedAtMs - startedAtMs)).toBeLessThan(10_000);
  await context.close();
});
