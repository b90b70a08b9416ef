import { rmSync } from 'node:fs';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { MotionEventWrite } from '../../protocol/index.js';
import { launchFirefox, launchPersistentChromium } from '../support/browser.js';
import { expectMovingPictures } from '../support/live-video.js';
import { footageFrame, footageY4m, tempDir } from '../support/media.js';
import { newEventId, pairCamera, type PairedCamera } from '../support/recording-client.js';
import { TestServer } from '../support/server.js';
import { pairByLink, registerInViewer, signInToViewer } from '../support/viewer-page.js';

/**
 * What came after live view and recording, driven from Firefox ESR (Playwright
 * over WebDriver BiDi, see tests/support/browser.ts): the Events view (filters,
 * an event's snapshot) and the bell's in-app list, and on a live tile the
 * camera's controls (pause, resume) and push-to-talk to a Chromium camera,
 * whose talk-back element then plays Firefox's fake microphone.
 */
let server: TestServer;
let firefox: Browser;
const contexts: BrowserContext[] = [];
const folders: string[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  firefox = await launchFirefox();
});

test.afterAll(async () => {
  await firefox?.close();
  await server?.stop();
});

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A Firefox page in a context of its own (closed after the test). */
async function firefoxPage(): Promise<Page> {
  const context = await firefox.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

/** Reports an ended event of `camera` with its thumbnail and snapshot (real footage frames), as a camera does. */
async function reportEvent(camera: PairedCamera, body: MotionEventWrite): Promise<void> {
  const id = newEventId();
  expect((await server.request('PUT', `/api/events/${id}`, { auth: camera.auth, body })).status).toBe(201);
  for (const [image, height] of [['thumbnail', 180], ['snapshot', 480]] as const) {
    const res = await fetch(`${server.baseURL}/api/events/${id}/${image}`, {
      method: 'PUT',
      headers: { authorization: camera.auth, 'content-type': 'image/jpeg' },
      body: new Uint8Array(footageFrame(2, 'jpg', height)),
    });
    expect(res.status).toBe(201);
  }
}

test('a Firefox viewer filters events, opens one with its snapshot, and its bell lists them and opens one', async () => {
  const user = await server.register();
  const hall = await pairCamera(server, user.accessToken, 'Hall');
  const garden = await pairCamera(server, user.accessToken, 'Garden');
  const box = { x: 0.2, y: 0.2, width: 0.3, height: 0.5 };
  const now = Date.now();
  await reportEvent(hall, { kind: 'person', startedAtMs: now - 60_000, endedAtMs: now - 45_000, score: 0.4, box });
  await reportEvent(garden, { kind: 'motion', startedAtMs: now - 30_000, endedAtMs: now - 20_000, score: 0.2, box });

  const viewer = await firefoxPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);

  await viewer.getByRole('button', { name: 'Events', exact: true }).click();
  const items = viewer.getByRole('list', { name: 'Events' }).getByRole('listitem');
  await expect(items).toHaveCount(2);
  const events = viewer.getByRole('region', { name: 'Events' });
  await events.getByLabel('Kind').selectOption({ label: 'Person' });
  await expect(items).toHaveCount(1);
  await expect(items.getByText('Hall', { exact: true })).toBeVisible();
  // The thumbnail and, opened, the full snapshot load as real pictures.
  const thumbnail = items.getByRole('img', { name: /^Event snapshot: Hall / });
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalHeight)).toBe(180);
  await items.getByRole('button', { name: /^Open event: Hall / }).click();
  const snapshot = viewer.getByRole('img', { name: /^Full snapshot: / });
  await expect.poll(() => snapshot.evaluate((img: HTMLImageElement) => img.complete && img.naturalHeight)).toBe(480);
  await viewer.getByRole('button', { name: 'Close snapshot' }).click();
  await viewer.getByRole('button', { name: 'Close events' }).click();

  // The bell's list: each event once, by camera and kind; one pressed opens it and counts as read.
  await viewer.getByRole('button', { name: 'Notifications, 2 unread' }).click();
  const list = viewer.getByRole('list', { name: 'Notification list' });
  await expect(list.getByRole('button', { name: /Person on Hall/ })).toBeVisible();
  await list.getByRole('button', { name: /Motion on Garden/ }).click();
  await expect(viewer.getByText(/^Motion · Garden /)).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
});

test('a Firefox viewer pauses and resumes a Chromium camera from its live tile, and talks through it', async () => {
  const viewer = await firefoxPage();
  const email = `firefox-${Math.random().toString(16).slice(2)}@example.com`;
  await registerInViewer(viewer, server.baseURL, email);
  const folder = tempDir('peerwatch-firefox-features-camera-');
  folders.push(folder);
  const cameraContext = await launchPersistentChromium(folder, { fakeVideo: footageY4m() });
  contexts.push(cameraContext);
  const camera = cameraContext.pages()[0] ?? (await cameraContext.newPage());
  await pairByLink(viewer, camera);
  await expect(camera.getByText('Ready for viewers')).toBeVisible();

  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  const tile = viewer.getByRole('article', { name: 'Camera 1' });
  const video = tile.getByLabel('Live: Camera 1');
  await expectMovingPictures(video);

  await tile.getByRole('button', { name: 'Pause camera' }).click();
  await expect(tile.getByText(`Paused by ${email}`)).toBeVisible();
  await expect(camera.getByText(`Paused by ${email}`)).toBeVisible();
  await tile.getByRole('button', { name: 'Resume camera' }).click();
  await expect(tile.getByText(`Paused by ${email}`)).toBeHidden();
  await expectMovingPictures(video);

  // Push-to-talk: held, the camera plays the Firefox microphone; let go, it stops.
  await tile.getByRole('button', { name: 'Talk' }).hover();
  await viewer.mouse.down();
  await expect(camera.getByText('Talking…')).toBeVisible();
  await expect(tile.getByText('Talking…')).toBeVisible();
  const talkBack = camera.locator('pw-talk-back audio');
  await expect.poll(() => talkBack.evaluate((el: HTMLAudioElement) => !el.paused && el.readyState >= 2)).toBe(true);
  const playedAt = await talkBack.evaluate((el: HTMLAudioElement) => el.currentTime);
  await expect.poll(() => talkBack.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeGreaterThan(playedAt);
  await viewer.mouse.up();
  await expect(camera.getByText('Talking…')).toBeHidden();
  await expect(tile.getByText('Talking…')).toBeHidden();
});
