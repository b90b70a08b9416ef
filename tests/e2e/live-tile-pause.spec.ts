import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { AuditPage } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { expectMovingPictures, expectStillPicture } from '../support/live-video.js';
import { footageY4m } from '../support/media.js';
import { setPageVisibility } from '../support/page-visibility.js';
import { openPeerConnectionCount, tapPeerConnections } from '../support/peer-connections.js';
import { TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * A live tile out of sight hangs up and comes back by itself: real server
 * process, a camera page whose fake camera plays real footage, a viewer page,
 * real WebRTC between them. Hidden (its tab) or scrolled out of the viewport
 * for more than the tile's grace (5 000 ms), the tile hangs up — the camera
 * counts one viewer less, the viewer page has no open RTCPeerConnection —
 * and shows the last frame it had; seen again, it plays live pictures.
 */

const CAMERA_NAME = 'Hallway';

let server: TestServer;
let cameraBrowser: Browser;
let viewerBrowser: Browser;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  [cameraBrowser, viewerBrowser] = await Promise.all([
    launchChromium({ fakeVideo: footageY4m(30) }),
    launchChromium(),
  ]);
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
  await cameraBrowser?.close();
  await viewerBrowser?.close();
  await server?.stop();
});

/** A paired camera page and a signed-in viewer page (RTCPeerConnections tapped) of one household. */
async function household(viewport: { width: number; height: number }): Promise<{ camera: Page; viewer: Page; accessToken: string }> {
  const session = await server.register();
  const cameraContext = await cameraBrowser.newContext();
  const viewerContext = await viewerBrowser.newContext({ viewport });
  contexts.push(cameraContext, viewerContext);
  await viewerContext.addInitScript(tapPeerConnections);
  const camera = await cameraContext.newPage();
  await pairCameraPage(server, session.accessToken, camera, CAMERA_NAME);
  const viewer = await viewerContext.newPage();
  await signInToViewer(viewer, server.baseURL, session.user.email);
  await viewer.getByRole('button', { name: `Watch ${CAMERA_NAME}`, disabled: false }).click();
  await expectMovingPictures(viewer.getByLabel(`Live: ${CAMERA_NAME}`));
  await expect(camera.getByText('1 watching')).toBeVisible();
  return { camera, viewer, accessToken: session.accessToken };
}

/** The kinds of the household's live-view audit rows, oldest first. */
async function liveViewRows(accessToken: string): Promise<string[]> {
  const res = await server.request('GET', '/api/audit?limit=200', { auth: `Bearer ${accessToken}` });
  expect(res.status).toBe(200);
  return (res.body as AuditPage).events
    .map((event) => event.kind)
    .filter((kind) => kind.startsWith('live-view-'))
    .reverse();
}

/** The tile has hung up and shows its last frame, standing still. */
async function expectPaused(camera: Page, viewer: Page): Promise<void> {
  await expect(camera.getByText('0 watching')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => viewer.evaluate(openPeerConnectionCount)).toBe(0);
  await expect(viewer.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
  await expectStillPicture(viewer.getByRole('img', { name: `Last picture: ${CAMERA_NAME}` }));
}

/** The tile is live again: moving pictures, one call open on both sides, the last frame gone. */
async function expectLiveAgain(camera: Page, viewer: Page): Promise<void> {
  await expectMovingPictures(viewer.getByLabel(`Live: ${CAMERA_NAME}`));
  await expect(camera.getByText('1 watching')).toBeVisible();
  expect(await viewer.evaluate(openPeerConnectionCount)).toBe(1);
  await expect(viewer.getByRole('img', { name: `Last picture: ${CAMERA_NAME}` })).toHaveCount(0);
}

test('a tile in a hidden tab hangs up after its grace, keeps its last frame and plays again when shown; the audit log ends its live view', async () => {
  const { camera, viewer, accessToken } = await household({ width: 1280, height: 900 });

  await setPageVisibility(viewer, 'hidden');
  // Within the grace the call stays up: a quick look at another tab costs nothing.
  await viewer.waitForTimeout(2_000);
  expect(await viewer.evaluate(openPeerConnectionCount)).toBe(1);
  await expect(camera.getByText('1 watching')).toBeVisible();
  await expectPaused(camera, viewer);
  // Nobody watches a hidden tab: its live view has ended.
  await expect.poll(() => liveViewRows(accessToken)).toEqual(['live-view-started', 'live-view-ended']);

  await setPageVisibility(viewer, 'visible');
  await expectLiveAgain(camera, viewer);
  await expect.poll(() => liveViewRows(accessToken)).toEqual(['live-view-started', 'live-view-ended', 'live-view-started']);
});

test('a tile scrolled out of the viewport hangs up after its grace and plays again when scrolled back', async () => {
  const { camera, viewer } = await household({ width: 390, height: 300 });
  const tile = viewer.locator('pw-live-tile');

  await viewer.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const tileBottom = await tile.evaluate((el) => el.getBoundingClientRect().bottom);
  expect(tileBottom).toBeLessThan(0); // wholly above the viewport
  await expectPaused(camera, viewer);

  await tile.scrollIntoViewIfNeeded();
  await expectLiveAgain(camera, viewer);
});
