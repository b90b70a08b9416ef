import { test, expect, type Browser, type Page } from '@playwright/test';
import type { CameraSettingsWrite, MotionEvent, RecordingSummary } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { listRecordings, pairCameraPage } from '../support/camera-page.js';
import { footageFile, stillMotionStill } from '../support/motion-footage.js';
import { expectFfmpegDecodes, playlistUrlOf } from '../support/recording-checks.js';
import { TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * Camera settings end to end: a real camera page in headless Chromium whose
 * fake camera loops still → people walking → still footage, a real server,
 * settings changed by the household: they reach a camera that was offline
 * once it is back, an ignore zone over where people walk keeps it quiet, and
 * "On events" recording stores the footage around the event only.
 */

const CAMERA = 'Hall';
/** People walk across the picture between 18 % and 73 % of its height (the detector's boxes over this footage). */
const WALKWAY = [
  { x: 0, y: 0.1 },
  { x: 1, y: 0.1 },
  { x: 1, y: 0.85 },
  { x: 0, y: 0.85 },
];

let server: TestServer;
let cameraBrowser: Browser | undefined;

test.beforeAll(async () => {
  server = await TestServer.start();
});

test.afterEach(async () => {
  await cameraBrowser?.close();
  cameraBrowser = undefined;
});

test.afterAll(async () => {
  await server?.stop();
});

/** The defaults with `motion` and `recording` changed as given. */
function settings(motion: Partial<CameraSettingsWrite['motion']>, recording: Partial<CameraSettingsWrite['recording']> = {}): CameraSettingsWrite {
  return {
    motion: { enabled: true, sensitivity: 'medium', zones: [], personDetection: true, quietPeriodMs: 10_000, ...motion },
    recording: { mode: 'off', preRollMs: 5_000, postRollMs: 5_000, ...recording },
  };
}

async function putSettings(accessToken: string, deviceId: string, body: CameraSettingsWrite): Promise<void> {
  const res = await server.request('PUT', `/api/devices/${deviceId}/settings`, { auth: `Bearer ${accessToken}`, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function serverEvents(accessToken: string): Promise<MotionEvent[]> {
  const res = await server.request('GET', '/api/events', { auth: `Bearer ${accessToken}` });
  expect(res.status).toBe(200);
  return (res.body as { events: MotionEvent[] }).events;
}

/** The line on the camera page that says which settings it follows. */
const settingsLine = (camera: Page) => camera.getByLabel('Motion settings');

async function startCamera(accessToken: string, footage: ReturnType<typeof stillMotionStill>) {
  cameraBrowser = await launchChromium({ fakeVideo: footageFile(footage, 320, 240) });
  const context = await cameraBrowser.newContext();
  const camera = await context.newPage();
  const { deviceId } = await pairCameraPage(server, accessToken, camera, CAMERA);
  return { context, camera, deviceId };
}

test('settings changed while the camera is offline reach it when it is back', async () => {
  const user = await server.register();
  const { context, camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(30, 2, 2));
  await expect(settingsLine(camera)).toHaveText('Motion on, Medium, 0 zones · Recording off');

  // The camera goes away (its page closed) and the server sees it offline; then the household changes its settings.
  await camera.close();
  const online = async () => {
    const res = await server.request('GET', '/api/devices', { auth: `Bearer ${user.accessToken}` });
    return (res.body as { id: string; online: boolean }[]).find((d) => d.id === deviceId)?.online;
  };
  await expect.poll(online, { timeout: 30_000 }).toBe(false);
  await putSettings(user.accessToken, deviceId, settings({ sensitivity: 'high', zones: [{ kind: 'ignore', points: WALKWAY }] }, { mode: 'events' }));

  // Back: it follows them.
  const back = await context.newPage();
  await back.goto(`${server.baseURL}/`);
  await expect(settingsLine(back)).toHaveText('Motion on, High, 1 zone · Recording on events', { timeout: 30_000 });
  await expect(back.getByRole('switch', { name: 'Record' })).toBeChecked();
  // Turned off by the household while it is online: at once.
  await putSettings(user.accessToken, deviceId, settings({ enabled: false }));
  await expect(settingsLine(back)).toHaveText('Motion off · Recording off');
  await expect(back.getByRole('switch', { name: 'Record' })).not.toBeChecked();
});

test('an ignore zone over where people walk keeps the camera quiet; without it the same footage raises an event', async () => {
  const user = await server.register();
  // Every 24 s: 12 s still, 6 s of people walking, 6 s still.
  const { camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(12, 6, 6));
  await putSettings(user.accessToken, deviceId, settings({ zones: [{ kind: 'ignore', points: WALKWAY }], quietPeriodMs: 2_000 }));
  await expect(settingsLine(camera)).toHaveText('Motion on, Medium, 1 zone · Recording off');
  const zonedAtMs = Date.now();

  // Two full loops of the footage (each with 6 s of people walking) pass without an event starting.
  const LOOP_MS = 24_000;
  await expect
    .poll(async () => ({ passedLoops: Date.now() - zonedAtMs >= 2 * LOOP_MS, events: (await serverEvents(user.accessToken)).filter((e) => e.startedAtMs > zonedAtMs + 1_000).length }), {
      timeout: 3 * LOOP_MS,
      intervals: [1_000],
    })
    .toEqual({ passedLoops: true, events: 0 });

  // The control: the zone removed, the next walk is an event.
  await putSettings(user.accessToken, deviceId, settings({ quietPeriodMs: 2_000 }));
  await expect(settingsLine(camera)).toHaveText('Motion on, Medium, 0 zones · Recording off');
  const unzonedAtMs = Date.now();
  await expect
    .poll(async () => (await serverEvents(user.accessToken)).filter((e) => e.startedAtMs > unzonedAtMs).length, { timeout: 2 * LOOP_MS })
    .toBeGreaterThan(0);
});

test('"On events" stores the footage from the pre-roll before an event to the post-roll after it, and nothing of the still parts', async () => {
  const user = await server.register();
  // Every 48 s: 20 s still, 6 s of people walking, 22 s still.
  const { camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(20, 6, 22));
  const PRE_ROLL_MS = 5_000;
  const POST_ROLL_MS = 4_000;
  await putSettings(user.accessToken, deviceId, settings({ quietPeriodMs: 3_000 }, { mode: 'events', preRollMs: PRE_ROLL_MS, postRollMs: POST_ROLL_MS }));
  await expect(settingsLine(camera)).toHaveText('Motion on, Medium, 0 zones · Recording on events');
  await expect(camera.getByRole('switch', { name: 'Record' })).toBeChecked();

  // The first event that started while the camera records on events, with its end.
  const modeAtMs = Date.now();
  let event: MotionEvent | undefined;
  await expect
    .poll(
      async () => {
        event = (await serverEvents(user.accessToken)).find((e) => e.startedAtMs > modeAtMs + 1_000 && e.endedAtMs !== null);
        return event !== undefined;
      },
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe(true);
  const { startedAtMs, endedAtMs } = event!;

  // Its footage: one complete recording on the server around it.
  let covering: RecordingSummary | undefined;
  await expect
    .poll(
      async () => {
        covering = (await listRecordings(server, user.accessToken, deviceId)).find(
          (r) => r.complete && r.startedAtMs <= startedAtMs && r.startedAtMs + r.durationMs >= endedAtMs!,
        );
        return covering !== undefined;
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(true);
  const CHUNK_MS = 2_000;
  /** Event times come from the video frames, chunk times from the recorder: allow a little between the two clocks, ms. */
  const CLOCKS_MS = 700;
  const recording = covering!;
  const recordingEndMs = recording.startedAtMs + recording.durationMs;
  expect(recording.startedAtMs).toBeLessThanOrEqual(startedAtMs - PRE_ROLL_MS + CLOCKS_MS);
  expect(recording.startedAtMs).toBeGreaterThanOrEqual(startedAtMs - PRE_ROLL_MS - CHUNK_MS - CLOCKS_MS);
  expect(recordingEndMs).toBeGreaterThanOrEqual(endedAtMs! + POST_ROLL_MS - CLOCKS_MS);
  expect(recordingEndMs).toBeLessThanOrEqual(endedAtMs! + POST_ROLL_MS + CHUNK_MS + CLOCKS_MS);

  // Nothing of the still parts: no other recording of this camera since it records on events overlaps the stillness before the event.
  const all = await listRecordings(server, user.accessToken, deviceId);
  const stillBefore = all.filter((r) => r.id !== recording.id && r.startedAtMs + r.durationMs > modeAtMs + CHUNK_MS && r.startedAtMs < startedAtMs);
  expect(stillBefore).toEqual([]);

  // The event names this recording as its footage, and ffmpeg reads it.
  const listed = (await serverEvents(user.accessToken)).find((e) => e.id === event!.id)!;
  expect(listed.footage?.recordingId).toBe(recording.id);
  expect(listed.footage!.offsetMs).toBe(startedAtMs - recording.startedAtMs);
  expectFfmpegDecodes(await playlistUrlOf(server, user.accessToken, recording.id));

  // The viewer opens the event: hls.js plays its footage from the pre-roll, and the event is marked seen.
  const viewerBrowser = await launchChromium();
  try {
    const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInToViewer(viewer, server.baseURL, user.user.email);
    await viewer.getByRole('button', { name: 'Events', exact: true }).click();
    await viewer.getByRole('button', { name: new RegExp(`^Open event: ${CAMERA} `) }).last().click();
    const video = viewer.getByLabel(new RegExp(`^Recording: ${CAMERA} `));
    await expect(video).toBeVisible();
    // Played from the pre-roll: before the event's start in the recording, and on through it.
    const position = () => video.evaluate((v: HTMLVideoElement) => (v.readyState >= 2 ? v.currentTime : -1));
    let first = -1;
    await expect.poll(async () => (first = await position()), { timeout: 20_000 }).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(listed.footage!.offsetMs / 1000);
    await expect.poll(position, { timeout: 20_000 }).toBeGreaterThan(listed.footage!.offsetMs / 1000);
    await expect
      .poll(async () => (await serverEvents(user.accessToken)).find((e) => e.id === event!.id)?.seenAtMs ?? null)
      .not.toBeNull();
  } finally {
    await viewerBrowser.close();
  }
});
