import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import { TEST_PASSWORD, TestServer } from '../support/server.js';
import { recordAppLog, launchChromium, launchFirefox, launchPersistentChromium } from '../support/browser.js';
import { footageY4m, stillToY4m, tempDir } from '../support/media.js';
import { expectMovingPictures } from '../support/live-video.js';
import { cameraEntry, pairByLink, registerInViewer } from '../support/viewer-page.js';

/**
 * Live view end to end: real server process, real headless Chromium for the
 * viewer and for the camera (its fake capture device plays a file), real
 * WebRTC between them, real IndexedDB for the camera's credential.
 */

let server: TestServer;
let viewerBrowser: Browser;
const cameras: BrowserContext[] = [];
const folders: string[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  viewerBrowser = await launchChromium();
});

test.afterAll(async () => {
  await viewerBrowser?.close();
  await server?.stop();
});

test.afterEach(async () => {
  for (const context of cameras.splice(0)) await context.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A camera browser on its own profile folder, its fake camera playing `fakeVideo`. */
async function launchCamera(profileDir: string, fakeVideo: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchPersistentChromium(profileDir, { fakeVideo });
  await recordAppLog(context, 'camera');
  cameras.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

function newFolder(prefix: string): string {
  const folder = tempDir(prefix);
  folders.push(folder);
  return folder;
}

/** Registers a new account through the sign-in page; returns the viewer page. */
async function registerViewer(
  context: BrowserContext,
  email = `viewer-${Math.random().toString(16).slice(2)}@example.com`,
): Promise<Page> {
  await recordAppLog(context, 'viewer');
  const page = await context.newPage();
  await registerInViewer(page, server.baseURL, email);
  return page;
}

/** Pairs a camera browser by opening the pairing link the viewer shows (the QR code's URL). */
async function pairCameraByLink(viewer: Page, fakeVideo: string): Promise<{ context: BrowserContext; page: Page }> {
  const camera = await launchCamera(newFolder('peerwatch-camera-'), fakeVideo);
  await pairByLink(viewer, camera.page);
  return camera;
}

test('a camera paired by scanning the viewer QR code streams live video to the viewer', async () => {
  const viewerContext = await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } });
  const viewer = await registerViewer(viewerContext);

  await viewer.getByRole('button', { name: 'Add camera' }).click();
  const qr = viewer.getByRole('img', { name: 'Pairing QR code' });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(viewer.getByText(/Expires in \d+:\d\d/)).toBeVisible();
  const qrPng = path.join(newFolder('peerwatch-qr-'), 'pairing-qr.png');
  await qr.screenshot({ path: qrPng });

  // The camera browser sees the QR code through its camera and nothing else.
  const profileDir = newFolder('peerwatch-camera-profile-');
  const first = await launchCamera(profileDir, stillToY4m(qrPng));
  await first.page.goto(`${server.baseURL}/`);
  await first.page.getByRole('button', { name: 'Use this device as a camera' }).click();
  await expect(viewer.getByText('Camera added')).toBeVisible({ timeout: 30_000 });
  const entry = cameraEntry(viewer, 'Camera 1');
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();
  await expect(first.page.getByRole('heading', { name: 'Camera 1' })).toBeVisible();
  await first.context.close();
  await expect(entry.getByText('Offline', { exact: true })).toBeVisible();

  // Same profile, real footage: the credential in IndexedDB opens camera mode at once.
  const camera = await launchCamera(profileDir, footageY4m());
  await camera.page.goto(`${server.baseURL}/camera`);
  await expect(camera.page.getByLabel('Camera preview')).toBeVisible();
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();

  await viewer.getByRole('button', { name: 'Done' }).click();
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
  await expect(camera.page.getByText('LIVE', { exact: true })).toBeVisible();
  await expect(camera.page.getByText('1 watching')).toBeVisible();

  // Snapshot: a PNG of the current frame at the video's own size.
  const live = viewer.getByLabel('Live: Camera 1');
  const size = await live.evaluate((el: HTMLVideoElement) => ({ width: el.videoWidth, height: el.videoHeight }));
  const [download] = await Promise.all([
    viewer.waitForEvent('download'),
    viewer.getByRole('button', { name: 'Snapshot' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^Camera-1-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.png$/);
  const png = readFileSync(await download.path());
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(size);
  expect(png.length).toBeGreaterThan(50_000); // a real scene, not a blank frame

  await viewer.getByRole('button', { name: 'Full screen' }).click();
  const videoIsFullScreen = () =>
    live.evaluate((el) => (el.getRootNode() as ShadowRoot).fullscreenElement?.contains(el) ?? false);
  await expect.poll(videoIsFullScreen).toBe(true);
  await viewer.getByRole('button', { name: 'Exit full screen' }).click();
  await expect.poll(videoIsFullScreen).toBe(false);

  await viewer.getByRole('button', { name: 'Hang up' }).click();
  await expect(camera.page.getByText('0 watching')).toBeVisible();
  await expect(camera.page.getByText('LIVE', { exact: true })).toBeHidden();
  await expect(viewer.getByLabel('Live: Camera 1')).toHaveCount(0);

  const offline = expect(entry.getByText('Offline', { exact: true })).toBeVisible({ timeout: 2_000 });
  await camera.page.close();
  await offline;
  await expect(entry.getByText(/last seen/)).toBeVisible();
  await viewerContext.close();
});

test('two viewers watch one camera at once; the tiles say when the camera goes offline', async () => {
  const viewerContext = await viewerBrowser.newContext({ viewport: { width: 1024, height: 800 } });
  const viewer = await registerViewer(viewerContext);
  const camera = await pairCameraByLink(viewer, footageY4m());
  await expect(cameraEntry(viewer, 'Camera 1').getByText('Online', { exact: true })).toBeVisible();

  const second = await viewerContext.newPage();
  await second.goto(`${server.baseURL}/viewer`);
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  await second.getByRole('button', { name: 'Watch all' }).click();
  await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
  await expectMovingPictures(second.getByLabel('Live: Camera 1'));
  await expect(camera.page.getByText('2 watching')).toBeVisible();

  await second.getByRole('button', { name: 'Hang up' }).click();
  await expect(camera.page.getByText('1 watching')).toBeVisible();
  await second.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expect(camera.page.getByText('2 watching')).toBeVisible();

  await camera.page.close();
  await expect(viewer.getByText('Camera went offline')).toBeVisible();
  await expect(second.getByText('Camera went offline')).toBeVisible();
  await expect(cameraEntry(viewer, 'Camera 1').getByText('Offline', { exact: true })).toBeVisible();

  // The camera comes back (same profile): both tiles dial it again by themselves.
  const back = await camera.context.newPage();
  await back.goto(`${server.baseURL}/camera`);
  await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
  await expectMovingPictures(second.getByLabel('Live: Camera 1'));
  await expect(back.getByText('2 watching')).toBeVisible();
  await viewerContext.close();
  await expect(back.getByText('0 watching')).toBeVisible();
});

test('a scanned QR code that is not a Peerwatch pairing code is refused clearly', async () => {
  const png = path.join(newFolder('peerwatch-qr-'), 'other-qr.png');
  await QRCode.toFile(png, 'https://example.com/menu#today', { width: 400, margin: 2 });
  const camera = await launchCamera(newFolder('peerwatch-camera-'), stillToY4m(png));
  await camera.page.goto(`${server.baseURL}/camera`);
  await expect(camera.page.getByRole('alert')).toHaveText('This QR code is not a Peerwatch pairing code.', {
    timeout: 30_000,
  });
  await expect(camera.page.getByRole('heading', { name: 'Pair this camera' })).toBeVisible();
  await expect(camera.page.getByLabel('QR code scanner')).toBeVisible();
  expect(new URL(camera.page.url()).pathname).toBe('/camera');
});

for (const engine of ['chromium', 'firefox'] as const) {
  test(`a camera is renamed and removed from a ${engine} viewer; the removed camera says so; sign out and in`, async () => {
    const browser = engine === 'firefox' ? await launchFirefox() : viewerBrowser;
    const viewerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const email = `phone-${Math.random().toString(16).slice(2)}@example.com`;
    const viewer = await registerViewer(viewerContext, email);
    const camera = await pairCameraByLink(viewer, footageY4m());

    await viewer.getByRole('button', { name: 'Rename Camera 1' }).click();
    await viewer.getByLabel('Camera name').fill('Front door');
    await viewer.getByRole('button', { name: 'Save' }).click();
    await expect(viewer.getByRole('button', { name: 'Watch Front door' })).toBeVisible();
    await expect(cameraEntry(viewer, 'Front door').getByText('Online', { exact: true })).toBeVisible();
    // The camera shows its new name at once, without a reload.
    await expect(camera.page.getByRole('heading', { name: 'Front door' })).toBeVisible();

    await viewer.getByRole('button', { name: 'Rename Front door' }).click();
    await viewer.getByLabel('Camera name').fill('   ');
    await viewer.getByRole('button', { name: 'Save' }).click();
    await expect(viewer.getByRole('alert')).toContainText('must not be empty');
    await viewer.getByRole('button', { name: 'Cancel' }).click();

    await viewer.getByRole('button', { name: 'Remove Front door' }).click();
    await viewer.getByRole('button', { name: 'Yes, remove' }).click();
    await expect(camera.page.getByText('This camera was removed from its household.')).toBeVisible();
    await expect(viewer.getByText('No cameras yet.')).toBeVisible();

    await camera.page.getByRole('button', { name: 'Pair this camera again' }).click();
    await expect(camera.page.getByRole('heading', { name: 'Pair this camera' })).toBeVisible();
    await camera.page.reload();
    await expect(camera.page.getByRole('heading', { name: 'Pair this camera' })).toBeVisible();

    // An access token the server refuses is renewed with the refresh token, unnoticed.
    const stored = () => viewer.evaluate(() => JSON.parse(localStorage.getItem('peerwatch.session')!) as { accessToken: string });
    await viewer.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('peerwatch.session')!) as { accessToken: string };
      localStorage.setItem('peerwatch.session', JSON.stringify({ ...session, accessToken: 'expired' }));
    });
    await viewer.reload();
    await expect(viewer.getByText('No cameras yet.')).toBeVisible();
    expect((await stored()).accessToken).not.toBe('expired');

    await viewer.getByRole('button', { name: 'Sign out' }).click();
    await expect(viewer.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await viewer.getByLabel('Email').fill(email);
    await viewer.getByLabel('Password').fill('not the password');
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await expect(viewer.getByRole('alert')).toHaveText('Wrong email or password.');
    await viewer.getByLabel('Password').fill(TEST_PASSWORD);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await expect(viewer.getByText('No cameras yet.')).toBeVisible();
    await viewerContext.close();
    if (browser !== viewerBrowser) await browser.close();
  });
}

test('live video and signaling come back after a server restart', async () => {
  const viewerContext = await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } });
  const viewer = await registerViewer(viewerContext);
  const camera = await pairCameraByLink(viewer, footageY4m(20));
  const entry = cameraEntry(viewer, 'Camera 1');
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  const video = viewer.getByLabel('Live: Camera 1');
  await expectMovingPictures(video);

  await server.stop();
  await expect(camera.page.getByText('Connection lost, reconnecting…')).toBeVisible();
  // Media is peer to peer: it keeps flowing while the server is down.
  await expectMovingPictures(video);

  await server.restart();
  // Within 5 s of the server being back: the camera is registered and online again, pictures flow.
  await expect(camera.page.getByText('Ready for viewers')).toBeVisible({ timeout: 5_000 });
  await expect(entry.getByText('Online', { exact: true })).toBeVisible({ timeout: 5_000 });
  await expectMovingPictures(video);
  await expect(camera.page.getByText('1 watching')).toBeVisible();

  await viewer.getByRole('button', { name: 'Hang up' }).click();
  await expect(camera.page.getByText('0 watching')).toBeVisible();
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(video);
  await expect(camera.page.getByText('1 watching')).toBeVisible();
  await viewerContext.close();
});
