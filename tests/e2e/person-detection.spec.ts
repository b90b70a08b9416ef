import { test, expect, type Page } from '@playwright/test';
import type { CameraSettingsWrite, MotionEvent } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { footageFile, movingPattern, stillMotionStill, type Footage } from '../support/motion-footage.js';
import { PERSON_MEASURE } from '../../pwa/camera/motion/person-watch.js';
import { useCameraRig } from '../support/camera-rig.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * Person detection end to end: a real camera page in headless Chromium runs
 * the real person model (MoveNet, TensorFlow.js WebAssembly, served from the
 * app's own build) in its motion worker on its fake camera's footage, and the
 * real server stores the event's kind: `person` for people walking
 * (vtest.avi) with person detection on, `motion` for the same people with it
 * off, `motion` for a moving test pattern with no person in it, and
 * `motion` (with a warning logged) when the model's weights cannot be
 * fetched; and a camera reloaded with no network still finds people.
 */

const CAMERA = 'Hall';

const rig = useCameraRig();

async function serverEvents(accessToken: string): Promise<MotionEvent[]> {
  const res = await rig.server.request('GET', '/api/events', { auth: `Bearer ${accessToken}` });
  expect(res.status).toBe(200);
  return (res.body as { events: MotionEvent[] }).events;
}

/** Waits for the household's one ended event (the footage has one stretch of motion) and returns it. */
async function endedEvent(accessToken: string): Promise<MotionEvent> {
  await expect.poll(async () => (await serverEvents(accessToken)).filter((e) => e.endedAtMs !== null).length, { timeout: 45_000 }).toBe(1);
  const events = await serverEvents(accessToken);
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** How many person inferences the camera page's motion worker has run (its User Timing measures). */
async function personInferences(camera: Page): Promise<number> {
  const worker = camera.workers().find((w) => w.url().includes('motion-worker'));
  if (!worker) throw new Error('the camera page has no motion worker');
  return worker.evaluate((name) => performance.getEntriesByName(name).length, PERSON_MEASURE);
}

/** A camera page paired into the user's household whose fake camera plays `footage`, with what it logs. */
async function startCamera(
  accessToken: string,
  footage: Footage,
  { modelWeights = 'served' }: { modelWeights?: 'served' | 'missing' } = {},
): Promise<{ camera: Page; deviceId: string; warnings: string[] }> {
  const browser = await rig.launchCamera(footageFile(footage, 320, 240));
  // With the weights missing, no service worker either: it would answer the requests the route must see.
  const context = await browser.newContext(modelWeights === 'missing' ? { serviceWorkers: 'block' } : {});
  if (modelWeights === 'missing') await context.route('**/assets/movenet-lightning-*.bin', (route) => route.fulfill({ status: 404 }));
  const camera = await context.newPage();
  const warnings: string[] = [];
  camera.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
  });
  const { deviceId } = await pairCameraPage(rig.server, accessToken, camera, CAMERA);
  return { camera, deviceId, warnings };
}

test('people walking past make a "person" event: an open Events list says "Person" while it goes on, and the server stores it so', async () => {
  const user = await rig.server.register();
  const viewerBrowser = await launchChromium();
  try {
    const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signInToViewer(viewer, rig.server.baseURL, user.user.email);
    await viewer.getByRole('button', { name: 'Events', exact: true }).click();
    const item = viewer.getByRole('list', { name: 'Events' }).getByRole('listitem');

    const { camera, warnings } = await startCamera(user.accessToken, stillMotionStill(4, 6, 60));
    await expect(item.getByText('Person', { exact: true })).toBeVisible({ timeout: 45_000 });
    // Shown while the event was still open: the list heard of the person found, not only of the end.
    const [open] = await serverEvents(user.accessToken);
    expect(open?.endedAtMs, warnings.join('\n')).toBeNull();

    const event = await endedEvent(user.accessToken);
    expect(event.kind, warnings.join('\n')).toBe('person');
    expect(await personInferences(camera)).toBeGreaterThan(0);
    await expect(item).toHaveCount(1);
    await expect(item.getByText('Person', { exact: true })).toBeVisible();
    const onlyPeople = await rig.server.request('GET', '/api/events?kind=person', { auth: `Bearer ${user.accessToken}` });
    expect((onlyPeople.body as { events: MotionEvent[] }).events.map((e) => e.id)).toEqual([event.id]);
  } finally {
    await viewerBrowser.close();
  }
});

test('with person detection turned off, the same people make a "motion" event', async () => {
  const user = await rig.server.register();
  const { camera, deviceId } = await startCamera(user.accessToken, stillMotionStill(10, 6, 60));
  const body: CameraSettingsWrite = {
    motion: { enabled: true, sensitivity: 'high', zones: [], personDetection: false, quietPeriodMs: 10_000 },
    recording: { mode: 'off', preRollMs: 5_000, postRollMs: 5_000 },
  };
  const res = await rig.server.request('PUT', `/api/devices/${deviceId}/settings`, { auth: `Bearer ${user.accessToken}`, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  // The camera follows them (its settings line shows the sensitivity) well before the people come, 10 s in.
  await expect(camera.getByLabel('Motion settings')).toHaveText('Motion on, High, 0 zones · Recording off', { timeout: 5_000 });
  const event = await endedEvent(user.accessToken);
  expect(event.kind).toBe('motion');
  expect(await personInferences(camera)).toBe(0);
});

test('a moving test pattern with no person in it makes a "motion" event with person detection on', async () => {
  const user = await rig.server.register();
  const { camera, warnings } = await startCamera(user.accessToken, movingPattern(4, 6, 60));
  const event = await endedEvent(user.accessToken);
  expect(event.kind).toBe('motion');
  // The model ran on the motion (at most 2 a second over its 6 s) and found no person; it did not fail to load.
  expect(warnings.filter((w) => w.includes('person model'))).toEqual([]);
  const inferences = await personInferences(camera);
  expect(inferences).toBeGreaterThan(2);
  expect(inferences).toBeLessThanOrEqual(2 * 6 + 2);
});

test('a camera reloaded with no network still finds people; its service worker keeps the person model’s files', async () => {
  const user = await rig.server.register();
  // Looped by the fake camera every 35 s: people from 4 s to 10 s, and again (with the jump back to the start) from 35 s.
  const { camera } = await startCamera(user.accessToken, stillMotionStill(4, 6, 25));
  await expect.poll(async () => (await serverEvents(user.accessToken)).filter((e) => e.endedAtMs !== null).map((e) => e.kind), { timeout: 40_000 }).toEqual(['person']);
  await camera.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Beside the browser's HTTP cache (which may let them go), the service worker keeps the files the model came from.
  const kept = await camera.evaluate(async () =>
    (await (await caches.open('peerwatch-person-model')).keys()).map((request) => new URL(request.url).pathname.split('/').pop()!),
  );
  for (const [name, extension] of [['movenet-lightning', '.json'], ['movenet-lightning', '.bin'], ['tfjs-backend-wasm', '.wasm']]) {
    expect(kept.some((file) => file.startsWith(name!) && file.endsWith(extension!)), `${kept.join(', ')}`).toBe(true);
  }

  const context = camera.context();
  await context.setOffline(true);
  await camera.reload();
  const indicator = camera.getByRole('status', { name: 'Motion detection' }).getByText('Motion', { exact: true });
  await expect(indicator).toBeVisible({ timeout: 40_000 });
  await expect(indicator).toBeHidden({ timeout: 40_000 });
  await context.setOffline(false);

  await expect.poll(async () => (await serverEvents(user.accessToken)).filter((e) => e.endedAtMs !== null).map((e) => e.kind), { timeout: 30_000 }).toEqual(['person', 'person']);
});

test('when the person model cannot load, the camera logs why and its events stay "motion"; detection goes on', async () => {
  const user = await rig.server.register();
  const { camera, warnings } = await startCamera(user.accessToken, stillMotionStill(4, 6, 60), { modelWeights: 'missing' });
  const event = await endedEvent(user.accessToken);
  expect(event.kind).toBe('motion');
  expect(warnings.filter((w) => w.includes('the person model could not be loaded'))).toHaveLength(1);
  expect(await personInferences(camera)).toBe(0);
});
