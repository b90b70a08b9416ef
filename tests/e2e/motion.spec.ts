import { test, expect, type Browser, type Page } from '@playwright/test';
import { DEFAULT_MOTION_SETTINGS } from '../../pwa/camera/motion/motion-settings.js';
import { launchChromium } from '../support/browser.js';
import { logChunkWrites, pairCameraPage } from '../support/camera-page.js';
import { footageFile, stillMotionStill } from '../support/motion-footage.js';
import { recordingState, recordSwitch } from '../support/recording-rig.js';
import { TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * Motion detection end to end: a real camera page in headless Chromium whose
 * fake camera plays still → people walking → still footage (ground truth
 * known), real worker, real VideoFrames; a real viewer watches it live and
 * the camera records meanwhile.
 */

const FOOTAGE = stillMotionStill(6, 6, 40);
const CAMERA = 'Hall';

/** An event as the test instrumentation saw it: times, and what the images decode to. */
interface SeenEvent {
  type: 'started' | 'ended';
  startedAtMs: number;
  endedAtMs?: number;
  snapshot: { type: string; width: number; height: number };
  thumbnail: { type: string; width: number; height: number };
}

let server: TestServer;
let viewerBrowser: Browser;
/** Each test's own camera browser, so its fake camera starts the footage from the beginning. */
let cameraBrowser: Browser | undefined;

test.beforeAll(async () => {
  server = await TestServer.start();
  viewerBrowser = await launchChromium();
});

test.afterEach(async () => {
  await cameraBrowser?.close();
  cameraBrowser = undefined;
});

test.afterAll(async () => {
  await viewerBrowser?.close();
  await server?.stop();
});

/** The two ways frames reach the motion worker. */
const WAYS = [
  { name: 'VideoFrames from MediaStreamTrackProcessor', hideProcessor: false },
  { name: 'the canvas sampler of browsers without MediaStreamTrackProcessor', hideProcessor: true },
];

/**
 * Test instrumentation in the camera page (the app is not changed): notes
 * when getUserMedia hands over the camera (the fake camera's file starts
 * then) and decodes the images of every `motion-event` the camera view fires.
 */
function instrumentCamera(): void {
  const seen = ((window as any).peerwatchMotion = { captureStartedAtMs: 0, events: [] as unknown[] });
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    seen.captureStartedAtMs ||= Date.now();
    return stream;
  };
  const describe = async (blob: Blob) => {
    const bitmap = await createImageBitmap(blob);
    return { type: blob.type, width: bitmap.width, height: bitmap.height };
  };
  document.addEventListener('motion-event', async (event) => {
    const { type, event: motion, images } = (event as CustomEvent).detail;
    const [snapshot, thumbnail] = await Promise.all([describe(images.snapshot), describe(images.thumbnail)]);
    seen.events.push({ type, startedAtMs: motion.startedAtMs, endedAtMs: motion.endedAtMs, snapshot, thumbnail });
  });
}

const seenEvents = (camera: Page) =>
  camera.evaluate(() => (window as any).peerwatchMotion as { captureStartedAtMs: number; events: SeenEvent[] });

/** Frames the element has decoded so far. */
const decodedFrames = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((video: HTMLVideoElement) => video.getVideoPlaybackQuality().totalVideoFrames);

for (const way of WAYS) {
  test(`the camera shows "Motion" while people walk past and for the quiet period after; live view and recording go on (${way.name})`, async () => {
    const user = await server.register();
    cameraBrowser = await launchChromium({ fakeVideo: footageFile(FOOTAGE, 320, 240) });
    const cameraContext = await cameraBrowser.newContext({ viewport: { width: 900, height: 900 } });
    if (way.hideProcessor) await cameraContext.addInitScript(() => delete (window as any).MediaStreamTrackProcessor);
    await cameraContext.addInitScript(instrumentCamera);
    const chunkLog = await logChunkWrites(cameraContext);
    const camera = await cameraContext.newPage();
    await pairCameraPage(server, user.accessToken, camera, CAMERA);
    expect(await camera.evaluate(() => 'MediaStreamTrackProcessor' in window)).toBe(!way.hideProcessor);
    await expect.poll(() => camera.workers().some((worker) => worker.url().includes('motion-worker'))).toBe(true);

    const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInToViewer(viewer, server.baseURL, user.user.email);
    await viewer.getByRole('button', { name: `Watch ${CAMERA}` }).click();
    await expect.poll(() => decodedFrames(viewer, `Live: ${CAMERA}`)).toBeGreaterThan(5);

    await recordSwitch(camera).check();
    await expect(recordingState(camera, 'Recording')).toBeVisible();

    const indicator = camera.getByRole('status', { name: 'Motion detection' }).getByText('Motion', { exact: true });
    await expect(indicator).toBeVisible({ timeout: 20_000 });
    const shownAtMs = Date.now();
    const chunksWhenShown = chunkLog.chunks.length;
    // Live view goes on during the motion: the viewer keeps decoding, the camera preview keeps playing.
    const duringMotion = await decodedFrames(viewer, `Live: ${CAMERA}`);
    await expect.poll(() => decodedFrames(viewer, `Live: ${CAMERA}`)).toBeGreaterThan(duringMotion + 10);
    await expect(indicator).toBeHidden({ timeout: 30_000 });
    const hiddenAfterMs = Date.now() - shownAtMs;
    // Recording went on all through the event: a chunk about every 2 s (a busy machine delivers up to 3
    // behind), one media span with no gap between chunks.
    const during = chunkLog.chunks.slice(chunksWhenShown);
    expect(during.length).toBeGreaterThanOrEqual(Math.floor(hiddenAfterMs / 2_000) - 3);
    for (const [i, chunk] of during.entries()) {
      const before = during[i - 1];
      if (before && before.recordingId === chunk.recordingId) {
        expect(Math.abs(chunk.startMs - (before.startMs + before.durationMs))).toBeLessThanOrEqual(100);
      }
    }
    await expect(recordingState(camera, 'Recording')).toBeVisible();

    const { captureStartedAtMs, events } = await seenEvents(camera);
    // One event, its start within 1 s (plus the moment getUserMedia took to resolve) of the motion's start in the footage…
    expect(events.map((e) => e.type)).toEqual(['started', 'ended']);
    const [started, ended] = events as [SeenEvent, SeenEvent];
    const { fromMs, toMs } = FOOTAGE.motion!;
    const startInFootageMs = started.startedAtMs - captureStartedAtMs;
    expect(startInFootageMs).toBeGreaterThan(fromMs - 1_000);
    expect(startInFootageMs).toBeLessThan(fromMs + 1_500);
    // …and its end within the quiet period + 1 s of the motion's end.
    expect(ended.startedAtMs).toBe(started.startedAtMs);
    expect(Math.abs(ended.endedAtMs! - captureStartedAtMs - toMs)).toBeLessThan(DEFAULT_MOTION_SETTINGS.quietMs + 1_000);
    // The indicator stayed for the motion and the quiet period after it.
    expect(hiddenAfterMs).toBeGreaterThan(DEFAULT_MOTION_SETTINGS.quietMs);
    // Both carry the peak: a full-size JPEG snapshot and a 180 px high thumbnail (WebP in Chromium).
    for (const event of events) {
      expect(event.snapshot).toEqual({ type: 'image/jpeg', width: 320, height: 240 });
      expect(event.thumbnail).toEqual({ type: 'image/webp', width: 240, height: 180 });
    }

    // Still live after the event: the viewer decodes new frames and the camera still counts its viewer.
    const afterEvent = await decodedFrames(viewer, `Live: ${CAMERA}`);
    await expect.poll(() => decodedFrames(viewer, `Live: ${CAMERA}`)).toBeGreaterThan(afterEvent + 10);
    const preview = await decodedFrames(camera, 'Camera preview');
    await expect.poll(() => decodedFrames(camera, 'Camera preview')).toBeGreaterThan(preview + 10);
    await expect(camera.getByText('1 watching')).toBeVisible();

    // A camera that stops (here: removed from its household) stops its motion worker too.
    await viewer.getByRole('button', { name: `Remove ${CAMERA}` }).click();
    await viewer.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(camera.getByText('This camera was removed from its household.')).toBeVisible();
    await expect.poll(() => camera.workers().some((worker) => worker.url().includes('motion-worker'))).toBe(false);
  });
}
