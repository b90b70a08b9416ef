import { test, expect, type Browser, type Page } from '@playwright/test';
import type { CameraSettingsWrite, MotionEvent, RecordingSummary } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { listRecordings, pairCameraPage } from '../support/camera-page.js';
import { footageFile, stillMotionStill } from '../support/motion-footage.js';
import { expectFfmpegDecodes, playlistUrlOf } from '../support/recording-checks.js';
import { TestServer } from '../support/server.js';
import { cameraEntry, signInToViewer } from '../support/viewer-page.js';

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

test('settings changed on the viewer while the camera is offline reach it when it is back; zones are drawn by touch, moved and deleted', async () => {
  const user = await server.register();
  const { context, camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(30, 2, 2));
  await expect(settingsLine(camera)).toHaveText('Motion on, Medium, 0 zones · Recording off');
  const viewerBrowser = await launchChromium();
  try {
    const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 1000 }, hasTouch: true })).newPage();
    await signInToViewer(viewer, server.baseURL, user.user.email);
    const card = cameraEntry(viewer, CAMERA);
    await expect(card.getByText('Online')).toBeVisible();
    // While it is online, zones are drawn on a current snapshot of it.
    await viewer.getByRole('button', { name: `Motion settings ${CAMERA}` }).click();
    const snapshot = viewer.getByRole('img', { name: `Current snapshot: ${CAMERA}` });
    await expect.poll(() => snapshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 30_000 }).toBe(320);
    await viewer.getByRole('button', { name: 'Close motion settings' }).click();

    // The camera goes away (its page closed); the viewer sees it offline.
    await camera.close();
    await expect(card.getByText('Offline')).toBeVisible({ timeout: 30_000 });

    await viewer.getByRole('button', { name: `Motion settings ${CAMERA}` }).click();
    const panel = viewer.getByRole('region', { name: `Motion settings · ${CAMERA}` });
    await expect(panel.getByText(/No current picture/)).toBeVisible({ timeout: 30_000 });
    const personDetection = panel.getByRole('switch', { name: 'Person detection' });
    await expect(personDetection).toBeChecked();
    await personDetection.uncheck();
    await panel.getByLabel('Sensitivity').selectOption('high');
    await panel.getByLabel('Recording mode').selectOption('events');
    await panel.getByLabel('Pre-roll (s)').fill('3');

    // A zone drawn with four taps (touch), then dragged with the mouse.
    const drawing = panel.getByRole('group', { name: `Zones on the picture: ${CAMERA}` });
    await panel.getByRole('button', { name: 'Draw ignore zone' }).click();
    const box = (await drawing.boundingBox())!;
    for (const [x, y] of [
      [0.1, 0.2],
      [0.5, 0.2],
      [0.5, 0.6],
      [0.1, 0.6],
    ] as const) {
      await drawing.tap({ position: { x: box.width * x, y: box.height * y } });
    }
    await panel.getByRole('button', { name: 'Finish zone' }).click();
    await expect(panel.getByRole('list', { name: 'Zones' }).getByRole('listitem')).toHaveCount(1);
    await drawing.scrollIntoViewIfNeeded();
    const shown = (await drawing.boundingBox())!;
    await viewer.mouse.move(shown.x + shown.width * 0.3, shown.y + shown.height * 0.4);
    await viewer.mouse.down();
    await viewer.mouse.move(shown.x + shown.width * 0.5, shown.y + shown.height * 0.5, { steps: 5 });
    await viewer.mouse.up();
    await panel.getByRole('button', { name: 'Save motion settings' }).click();
    await expect(panel.getByText('Saved: the camera follows them when it is back online.')).toBeVisible();

    const stored = await server.request('GET', `/api/devices/${deviceId}/settings`, { auth: `Bearer ${user.accessToken}` });
    expect(stored.body.motion.sensitivity).toBe('high');
    expect(stored.body.motion.personDetection).toBe(false);
    expect(stored.body.recording).toEqual({ mode: 'events', preRollMs: 3_000, postRollMs: 5_000 });
    const [zone] = stored.body.motion.zones as CameraSettingsWrite['motion']['zones'];
    expect(zone!.kind).toBe('ignore');
    // Moved by (0.2, 0.1) of the picture, its shape kept.
    const expected = [
      [0.3, 0.3],
      [0.7, 0.3],
      [0.7, 0.7],
      [0.3, 0.7],
    ];
    zone!.points.forEach((point, i) => {
      expect(point.x).toBeCloseTo(expected[i]![0]!, 1);
      expect(point.y).toBeCloseTo(expected[i]![1]!, 1);
    });
    await expect(card.getByRole('switch', { name: 'Record' })).toBeChecked();

    // Back: the camera follows them.
    const back = await context.newPage();
    await back.goto(`${server.baseURL}/`);
    await expect(settingsLine(back)).toHaveText('Motion on, High, 1 zone · Recording on events', { timeout: 30_000 });
    await expect(back.getByRole('switch', { name: 'Record' })).toBeChecked();

    // Changed while it is online: at once. The zone is deleted and detection turned off.
    await panel.getByRole('button', { name: 'Delete ignore zone 1' }).click();
    await panel.getByRole('switch', { name: 'Motion detection' }).uncheck();
    await panel.getByLabel('Recording mode').selectOption('off');
    await panel.getByRole('button', { name: 'Save motion settings' }).click();
    await expect(panel.getByText('Saved.')).toBeVisible();
    await expect(settingsLine(back)).toHaveText('Motion off · Recording off');
    await expect(back.getByRole('switch', { name: 'Record' })).not.toBeChecked();
  } finally {
    await viewerBrowser.close();
  }
});

test('a camera reloaded with no network follows the settings it last got', async () => {
  const user = await server.register();
  const { context, camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(30, 2, 2));
  await putSettings(user.accessToken, deviceId, settings({ sensitivity: 'low' }, { mode: 'events' }));
  await expect(settingsLine(camera)).toHaveText('Motion on, Low, 0 zones · Recording on events');
  await camera.evaluate(() => navigator.serviceWorker.ready);
  await camera.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  await camera.reload();
  await expect(camera.getByText('You are offline.')).toBeVisible();
  await expect(settingsLine(camera)).toHaveText('Motion on, Low, 0 zones · Recording on events');
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

test('"On events" stores the footage from the pre-roll before an event to the post-roll after it, and nothing of the still parts, also from a camera offline meanwhile', async () => {
  const user = await server.register();
  // Every 48 s: 20 s still, 6 s of people walking, 22 s still.
  const { context, camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(20, 6, 22));
  const PRE_ROLL_MS = 5_000;
  const POST_ROLL_MS = 4_000;
  await putSettings(user.accessToken, deviceId, settings({ quietPeriodMs: 3_000 }, { mode: 'events', preRollMs: PRE_ROLL_MS, postRollMs: POST_ROLL_MS }));
  await expect(settingsLine(camera)).toHaveText('Motion on, Medium, 0 zones · Recording on events');
  await expect(camera.getByRole('switch', { name: 'Record' })).toBeChecked();

  // The camera is offline while people walk past: the event and its footage wait on the device.
  const modeAtMs = Date.now();
  await context.setOffline(true);
  const motionBadge = camera.getByRole('status', { name: 'Motion detection' }).getByText('Motion', { exact: true });
  await expect(motionBadge).toBeVisible({ timeout: 60_000 });
  await expect(motionBadge).toBeHidden({ timeout: 30_000 });
  await expect(camera.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/)).toBeVisible({ timeout: 20_000 });
  await context.setOffline(false);

  // Back online: the first event that started while the camera records on events, with its end.
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
  /**
   * Event times come from the video frames, chunk times from the recorder
   * (its start event plus media time, which lags on a busy machine): allow
   * this much between the two clocks, ms.
   */
  const CLOCKS_MS = 1_500;
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
