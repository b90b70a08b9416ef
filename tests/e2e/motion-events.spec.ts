import { test, expect, type Browser, type Page } from '@playwright/test';
import type { MotionEvent } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { footageFile, stillMotionStill } from '../support/motion-footage.js';
import { TestServer } from '../support/server.js';
import { cameraEntry, signInToViewer } from '../support/viewer-page.js';

/**
 * Camera events end to end: a real camera page in headless Chromium whose
 * fake camera plays still → people walking → still footage reports the event
 * to the real server (through its IndexedDB outbox), and a real viewer lists
 * it live with its thumbnail. Also with the camera offline during the motion.
 */

const FOOTAGE = stillMotionStill(6, 6, 60);
const CAMERA = 'Hall';

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

/** `GET /api/events` as the user: the household's events, newest first. */
async function serverEvents(accessToken: string): Promise<MotionEvent[]> {
  const res = await server.request('GET', '/api/events', { auth: `Bearer ${accessToken}` });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { events: MotionEvent[] }).events;
}

/** Waits until the household has an ended event with both images; checks it is the only one that started before `beforeMs`. */
async function deliveredEvent(accessToken: string, timeoutMs: number, beforeMs = Infinity): Promise<MotionEvent> {
  const events = async () => (await serverEvents(accessToken)).filter((e) => e.startedAtMs < beforeMs);
  await expect
    .poll(async () => (await events()).filter((e) => e.endedAtMs !== null && e.thumbnailUrl && e.snapshotUrl).length, {
      timeout: timeoutMs,
    })
    .toBe(1);
  const delivered = await events();
  expect(delivered).toHaveLength(1);
  return delivered[0]!;
}

/** Loads an image link without any credential (as an `<img>` would) and checks it is a real JPEG or WebP. */
async function expectImage(url: string): Promise<void> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type');
  if (type === 'image/jpeg') expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  else {
    expect(type).toBe('image/webp');
    expect(bytes.subarray(0, 4).toString('latin1') + bytes.subarray(8, 12).toString('latin1')).toBe('RIFFWEBP');
  }
  expect(bytes.length).toBeGreaterThan(500);
}

/** Reports the camera has not sent yet, from its IndexedDB outbox. */
const outboxSize = (camera: Page) =>
  camera.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('peerwatch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('eventOutbox').objectStore('eventOutbox').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
  );

const motionIndicator = (camera: Page) =>
  camera.getByRole('status', { name: 'Motion detection' }).getByText('Motion', { exact: true });

test('an event the camera sees reaches the server once, with its snapshot and thumbnail, and appears in the open Events list', async () => {
  const user = await server.register();
  cameraBrowser = await launchChromium({ fakeVideo: footageFile(FOOTAGE, 320, 240) });
  const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);
  await viewer.getByRole('button', { name: 'Events', exact: true }).click();
  await expect(viewer.getByText('No events yet.')).toBeVisible();

  const camera = await (await cameraBrowser.newContext()).newPage();
  const { deviceId } = await pairCameraPage(server, user.accessToken, camera, CAMERA);
  await expect(motionIndicator(camera)).toBeVisible({ timeout: 20_000 });

  // The open list shows the event live, from the household stream, before anyone reloads.
  const list = viewer.getByRole('list', { name: 'Events' });
  await expect(list.getByRole('listitem')).toHaveCount(1, { timeout: 10_000 });
  await expect(list.getByText('going on')).toBeVisible();
  await expect(cameraEntry(viewer, CAMERA).getByText('Last motion just now')).toBeVisible();

  const event = await deliveredEvent(user.accessToken, 40_000);
  expect(event.deviceId).toBe(deviceId);
  // People walk in the footage and person detection is on by default.
  expect(event.kind).toBe('person');
  expect(event.endedAtMs! - event.startedAtMs).toBeGreaterThan(3_000);
  await expectImage(event.thumbnailUrl!);
  await expectImage(event.snapshotUrl!);
  await expect.poll(() => outboxSize(camera)).toBe(0);

  // Still one item, now with its thumbnail loaded, camera name, kind and duration.
  await expect(list.getByRole('listitem')).toHaveCount(1);
  const item = list.getByRole('listitem').first();
  await expect(item.getByText(CAMERA, { exact: true })).toBeVisible();
  await expect(item.getByText('Person', { exact: true })).toBeVisible();
  await expect(item.getByText(/^\d+ s$/)).toBeVisible({ timeout: 10_000 });
  const thumbnail = item.getByRole('img', { name: new RegExp(`^Event snapshot: ${CAMERA} `) });
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);

  // Opening it shows the full snapshot.
  await item.getByRole('button', { name: new RegExp(`^Open event: ${CAMERA} `) }).click();
  const snapshot = viewer.getByRole('img', { name: new RegExp(`^Full snapshot: ${CAMERA} `) });
  await expect.poll(() => snapshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
});

test('a camera offline during the motion keeps the event across a reload and delivers it, with its images, once it is back online', async () => {
  const user = await server.register();
  cameraBrowser = await launchChromium({ fakeVideo: footageFile(FOOTAGE, 320, 240) });
  const context = await cameraBrowser.newContext();
  const camera = await context.newPage();
  await pairCameraPage(server, user.accessToken, camera, CAMERA);
  await context.setOffline(true);

  const indicator = motionIndicator(camera);
  await expect(indicator).toBeVisible({ timeout: 20_000 });
  await expect(indicator).toBeHidden({ timeout: 30_000 });
  // Started, ended, snapshot, thumbnail: all waiting on the device, nothing on the server.
  await expect.poll(() => outboxSize(camera)).toBe(4);
  expect(await serverEvents(user.accessToken)).toEqual([]);

  // The page closes while offline (a reload, a closed tab); the camera opened again later sends what waited.
  await camera.close();
  await context.setOffline(false);
  const reopenedAtMs = Date.now();
  const reopened = await context.newPage();
  await reopened.goto(`${server.baseURL}/`);
  const event = await deliveredEvent(user.accessToken, 30_000, reopenedAtMs);
  await expectImage(event.thumbnailUrl!);
  await expectImage(event.snapshotUrl!);
  await expect.poll(() => outboxSize(reopened)).toBe(0);
  // Still exactly one event from before the camera came back: nothing was sent twice as a new one.
  const before = (await serverEvents(user.accessToken)).filter((e) => e.startedAtMs < reopenedAtMs);
  expect(before.map((e) => e.id)).toEqual([event.id]);
});

test('a camera paired before events were queued on the device keeps its credential and data when its database is upgraded', async () => {
  const user = await server.register();
  cameraBrowser = await launchChromium({ fakeVideo: footageFile(FOOTAGE, 320, 240) });
  const first = await cameraBrowser.newContext();
  const paired = await first.newPage();
  await pairCameraPage(server, user.accessToken, paired, CAMERA);
  const credential = await paired.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('peerwatch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('credentials').objectStore('credentials').get('camera');
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  await first.close();

  // A browser whose database the app before this change made: version 4, its stores, this camera's credential and a cached poster.
  const context = await cameraBrowser.newContext();
  const camera = await context.newPage();
  await camera.goto(`${server.baseURL}/api/server`);
  await camera.evaluate(
    (credential) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('peerwatch', 4);
        open.onupgradeneeded = () => {
          const db = open.result;
          db.createObjectStore('credentials');
          db.createObjectStore('recordings', { keyPath: 'id' }).createIndex('by-start', 'startedAtMs');
          db.createObjectStore('chunks', { keyPath: ['recordingId', 'seq'] }).createIndex('by-recording-size', ['recordingId', 'sizeBytes']);
          db.createObjectStore('settings');
          db.createObjectStore('posters', { keyPath: 'recordingId' }).createIndex('by-cached', 'cachedAtMs');
          open.transaction!.objectStore('credentials').put(credential, 'camera');
          open.transaction!.objectStore('posters').put({ recordingId: 'old-recording', image: new Blob(['poster']), cachedAtMs: 1 });
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
      }),
    credential,
  );

  await camera.goto(`${server.baseURL}/`);
  await expect(camera.getByRole('switch', { name: 'Record' })).toBeVisible();
  const upgraded = await camera.evaluate(
    () =>
      new Promise<{ version: number; stores: string[]; credential: unknown; poster: unknown }>((resolve, reject) => {
        const open = indexedDB.open('peerwatch');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['credentials', 'posters']);
          const credential = tx.objectStore('credentials').get('camera');
          const poster = tx.objectStore('posters').get('old-recording');
          tx.oncomplete = () =>
            resolve({ version: db.version, stores: [...db.objectStoreNames], credential: credential.result, poster: poster.result.cachedAtMs });
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  expect(upgraded.version).toBe(6);
  expect(upgraded.stores).toEqual(['cameraSettings', 'chunks', 'credentials', 'eventOutbox', 'posters', 'recordings', 'settings']);
  expect(upgraded.credential).toEqual(credential);
  expect(upgraded.poster).toBe(1);
});
