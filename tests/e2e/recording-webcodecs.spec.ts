import { execFileSync } from 'node:child_process';
import { setTimeout } from 'node:timers/promises';
import { test, expect, type BrowserContext } from '@playwright/test';
import { logChunkWrites, pairCameraPage } from '../support/camera-page.js';
import { expectFfmpegDecodes, expectServerHasEveryChunk, playlistDurationMs, playlistUrlOf } from '../support/recording-checks.js';
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
 * Recording on a browser whose MediaRecorder makes WebM only (as Firefox's
 * does): the camera page runs in headless Chromium with MP4 taken away from
 * MediaRecorder (an init script: `isTypeSupported` says no to MP4 and the
 * constructor refuses it, as such a browser would), so it must encode with
 * WebCodecs and mux fMP4 itself. What reaches the server must play in hls.js
 * and ffmpeg like any other recording.
 */
test.describe.configure({ mode: 'serial' });

const CAMERA_NAME = 'Garage';

let rig: RecordingRig;

/** Takes MP4 away from MediaRecorder in every page of `context`, as in a browser that records WebM only. */
async function recordWebmOnly(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const isMp4 = (type: string | undefined) => /^\s*video\/mp4/i.test(type ?? '');
    const Native = MediaRecorder;
    const isTypeSupported = Native.isTypeSupported.bind(Native);
    class WebmOnlyMediaRecorder extends Native {
      constructor(stream: MediaStream, options?: MediaRecorderOptions) {
        if (isMp4(options?.mimeType)) throw new DOMException(`${options!.mimeType} is not supported`, 'NotSupportedError');
        super(stream, options);
      }
      static override isTypeSupported(type: string): boolean {
        return !isMp4(type) && isTypeSupported(type);
      }
    }
    window.MediaRecorder = WebmOnlyMediaRecorder;
  });
}

test.beforeAll(async () => {
  rig = await startRecordingRig(CAMERA_NAME, { prepareCamera: recordWebmOnly });
});

test.afterAll(() => stopRecordingRig(rig));


test('a camera whose MediaRecorder makes only WebM records fMP4 that the server stores and hls.js and ffmpeg play', async ({}, testInfo) => {
  const { server, user, cameraContext, camera, deviceId, log } = rig;
  const cameraState = (text: string) => recordingState(camera, text);
  expect(await camera.evaluate(() => MediaRecorder.isTypeSupported('video/mp4;codecs=avc1'))).toBe(false);
  expect(await camera.evaluate(() => MediaRecorder.isTypeSupported('video/webm;codecs=vp8'))).toBe(true);

  await recordSwitch(camera).check();
  await expect(cameraState('Recording')).toBeVisible();
  await setTimeout(6_000);
  await cameraContext.setOffline(true);
  await setTimeout(4_000);
  await expect(camera.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/)).toBeVisible();
  await cameraContext.setOffline(false);
  await setTimeout(2_000);
  await recordSwitch(camera).uncheck();
  const stoppedAtMs = Date.now();
  await expect(cameraState('Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);
  await expect(camera.getByText(/cannot record/i)).toHaveCount(0);
  // Recording worked on its own copies of the tracks: the camera's capture (and any live view) goes on.
  expect(await camera.locator('video').first().evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getVideoTracks()[0]?.readyState)).toBe('live');

  expect(log.recordings).toHaveLength(1);
  const recording = log.recordings[0]!;
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, [recording.id]);
  const media = log.chunks.filter((c) => c.seq > 0 && c.sizeBytes > 0);
  expect(media.length).toBeGreaterThanOrEqual(4);
  // Each chunk is a fragment of about one timeslice (2 s, cut at a keyframe), not the whole recording.
  for (const chunk of media.slice(0, -1)) expect(chunk.durationMs).toBeGreaterThanOrEqual(1_500);
  for (const chunk of media) expect(chunk.durationMs).toBeLessThanOrEqual(4_000);

  const playlistUrl = await playlistUrlOf(server, user.accessToken, recording.id);
  const playlistMs = await playlistDurationMs(server, user.accessToken, recording.id);
  const longestChunkMs = Math.max(...media.map((c) => c.durationMs));
  testInfo.annotations.push({
    type: 'duration',
    description: `recorded ${stoppedAtMs - recording.startedAtMs} ms, playlist ${playlistMs.toFixed(0)} ms, ${media.length} fragments`,
  });
  expect(Math.abs(playlistMs - (stoppedAtMs - recording.startedAtMs))).toBeLessThanOrEqual(longestChunkMs);

  // H.264 video and the fake microphone's Opus audio; ffprobe lists each stream once per program it belongs to.
  const codecs = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', playlistUrl])
    .toString()
    .split(/\s+/)
    .filter(Boolean);
  expect(new Set(codecs)).toEqual(new Set(['h264', 'opus']));
  expectFfmpegDecodes(playlistUrl);

  const { viewer, list } = await openViewerRecordings(rig, CAMERA_NAME);
  await expect(list.getByText('complete', { exact: true })).toHaveCount(1);
  const poster = list.getByRole('img', { name: /^First frame of the recording of / });
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
  await list.getByRole('button', { name: /^Play recording / }).click();
  const video = viewer.getByRole('region', { name: /^Recordings/ }).locator('video');
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(2);
  const durationS = await video.evaluate((el: HTMLVideoElement) => el.duration);
  expect(Math.abs(durationS * 1000 - playlistMs)).toBeLessThanOrEqual(longestChunkMs);
  await viewer.screenshot({ path: testInfo.outputPath('viewer-webcodecs-recording.png') });
});

/** Browsers that can make fMP4 neither with MediaRecorder nor with WebCodecs, as init scripts on top of `recordWebmOnly`. */
const NO_FMP4 = [
  {
    name: 'no WebCodecs',
    camera: 'Attic',
    script: () => {
      delete (window as Partial<typeof window>).VideoEncoder;
    },
  },
  {
    name: 'WebCodecs that encodes no codec',
    camera: 'Cellar',
    script: () => {
      VideoEncoder.isConfigSupported = async (config) => ({ supported: false, config });
    },
  },
];

for (const browser of NO_FMP4) {
  test(`a camera with WebM-only MediaRecorder and ${browser.name} says it cannot record, and so do the viewers`, async () => {
    const context = await rig.cameraBrowser.newContext();
    await recordWebmOnly(context);
    await context.addInitScript(browser.script);
    const written = await logChunkWrites(context);
    const page = await context.newPage();
    await pairCameraPage(rig.server, rig.user.accessToken, page, browser.camera);

    // Asked from a viewer, the camera cannot follow: it says so, and the viewers learn why.
    const { viewer } = await openViewerRecordings(rig, browser.camera);
    const card = viewer.getByRole('listitem').filter({ has: viewer.getByText(browser.camera, { exact: true }) });
    await recordSwitch(card).check();
    await expect(page.getByRole('alert')).toHaveText(
      'This browser cannot record in a format Peerwatch can play back. Use Chrome, Edge, Firefox or Safari on this camera to record.',
    );
    await expect(card.getByRole('status')).toHaveText(
      /^\s*Not recording · this camera’s browser cannot record; use Chrome, Edge, Firefox or Safari on it\s*$/,
    );
    await expect(recordingState(page, 'Not recording')).toBeVisible();
    expect(written.recordings).toEqual([]);
    await context.close();
  });
}
