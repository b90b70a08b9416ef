import { setTimeout as sleep } from 'node:timers/promises';
import { test, expect, type Page } from '@playwright/test';
import { logChunkWrites, pairCameraPage } from '../support/camera-page.js';
import {
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
  waitForEmptyQueue,
  type RecordingRig,
} from '../support/recording-rig.js';
import { cameraEntry } from '../support/viewer-page.js';

/**
 * Recording on a Firefox camera (Debian's Firefox ESR, fake camera): its
 * MediaRecorder makes WebM only, so it encodes with WebCodecs and muxes fMP4
 * with mediabunny. Firefox has no MediaStreamTrackProcessor, so sound would
 * go through Web Audio, whose AudioContext never starts on a machine without
 * an audio output (as here): the camera records video alone instead of
 * waiting forever. A recorder that delivers nothing is reported, on the
 * camera and on the viewers' cards, instead of "Recording".
 */
test.describe.configure({ mode: 'serial' });

const CAMERA_NAME = 'Fox porch';

let rig: RecordingRig;

test.beforeAll(async () => {
  rig = await startRecordingRig(CAMERA_NAME, { cameraEngine: 'firefox' });
});

test.afterAll(() => stopRecordingRig(rig));

/** The player's video element on a viewer page. */
const recordingVideo = (viewer: Page) => viewer.getByRole('region', { name: /^Recordings/ }).locator('video');


test('a Firefox camera asked to record from the viewer records through 8 s of server outage; every chunk reaches the server; ffmpeg and hls.js play it', async () => {
  const { server, user, camera, deviceId, log } = rig;
  const { viewer } = await openViewerRecordings(rig, CAMERA_NAME);
  const card = cameraEntry(viewer, CAMERA_NAME);
  await recordSwitch(card).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await expect(card.getByRole('status')).toHaveText(/^\s*Recording\s*$/);
  await sleep(6_000);

  // About 8 s with the server down: the camera keeps recording into its queue.
  await server.stop();
  await sleep(8_000);
  await expect(camera.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/)).toBeVisible();
  await server.startAgain();
  await sleep(6_000);
  await recordSwitch(camera).uncheck();
  const stoppedAtMs = Date.now();
  await expect(recordingState(camera, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);
  await expect(camera.getByRole('alert')).toHaveCount(0);

  expect(log.recordings).toHaveLength(1);
  const recording = log.recordings[0]!;
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, [recording.id]);
  const media = log.chunks.filter((c) => c.seq > 0 && c.sizeBytes > 0);
  expect(media.length).toBeGreaterThanOrEqual(8);
  for (const chunk of media) expect(chunk.durationMs).toBeLessThanOrEqual(4_000);
  const playlistMs = await playlistDurationMs(server, user.accessToken, recording.id);
  const longestChunkMs = Math.max(...media.map((c) => c.durationMs));
  expect(Math.abs(playlistMs - (stoppedAtMs - recording.startedAtMs))).toBeLessThanOrEqual(longestChunkMs);
  expectFfmpegDecodes(await playlistUrlOf(server, user.accessToken, recording.id));

  // hls.js in the Chromium viewer plays it.
  const list = viewer.getByRole('list', { name: `Recordings of ${CAMERA_NAME}` });
  await expect(list.getByText('complete', { exact: true })).toHaveCount(1);
  await list.getByRole('button', { name: /^Play recording / }).click();
  const video = recordingVideo(viewer);
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(2);
  const durationS = await video.evaluate((el: HTMLVideoElement) => el.duration);
  expect(Math.abs(durationS * 1000 - playlistMs)).toBeLessThanOrEqual(longestChunkMs);
  await viewer.context().close();
});

test('a Firefox viewer plays the Firefox camera’s recording with hls.js and seeks in it', async ({}, testInfo) => {
  const { viewer, list } = await openViewerRecordings(rig, CAMERA_NAME, rig.cameraBrowser);
  await expect(list.getByText('complete', { exact: true })).toHaveCount(1);
  const poster = list.getByRole('img', { name: /^First frame of the recording of / });
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
  await list.getByRole('button', { name: /^Play recording / }).click();
  const video = recordingVideo(viewer);
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(1);
  await expectSeeksToMiddle(viewer, video);
  await viewer.screenshot({ path: testInfo.outputPath('firefox-viewer-recording.png') });
  await viewer.context().close();
});

test('a Firefox camera whose encoder delivers nothing says recording failed, and so does the viewer’s card', async () => {
  const context = await rig.cameraBrowser.newContext();
  // An encoder that takes frames and never outputs a chunk: the recorder would wait forever.
  await context.addInitScript(() => {
    const Native = VideoEncoder;
    window.VideoEncoder = class extends Native {
      constructor(init: VideoEncoderInit) {
        super({ output: () => {}, error: init.error });
      }
    };
  });
  const written = await logChunkWrites(context);
  const page = await context.newPage();
  await pairCameraPage(rig.server, rig.user.accessToken, page, 'Fox attic');
  const { viewer } = await openViewerRecordings(rig, 'Fox attic');
  const card = cameraEntry(viewer, 'Fox attic');
  await recordSwitch(card).check();
  await expect(recordingState(page, 'Recording')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('Recording stopped: the recorder delivered nothing for 10 s.', {
    timeout: 20_000,
  });
  await expect(recordingState(page, 'Not recording')).toBeVisible();
  await expect(card.getByRole('status')).toHaveText(/recording failed on the camera; its screen says why/);
  expect(written.chunks).toEqual([]);
  await viewer.context().close();
  await context.close();
});
