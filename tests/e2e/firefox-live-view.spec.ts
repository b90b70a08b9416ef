import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { launchChromium, launchFirefox } from '../support/browser.js';
import { expectMovingPictures } from '../support/live-video.js';
import { footageY4m } from '../support/media.js';
import { TestServer } from '../support/server.js';
import { cameraEntry, pairByLink, registerInViewer } from '../support/viewer-page.js';

/**
 * Live view across engines: a Firefox camera (its fake camera's test
 * pattern) watched from Chromium, and a Chromium camera (real footage)
 * watched from Firefox, over real WebRTC between the two browsers.
 */
let server: TestServer;
let chromium: Browser;
let firefox: Browser;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  firefox = await launchFirefox();
  chromium = await launchChromium();
});

test.afterAll(async () => {
  await firefox?.close();
  await chromium?.close();
  await server?.stop();
});

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** A new page in a new context of `browser` (closed after the test). */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

const newEmail = () => `viewer-${Math.random().toString(16).slice(2)}@example.com`;

test('a Firefox camera paired by its link streams live video to a Chromium viewer', async () => {
  const viewer = await newPage(chromium);
  await registerInViewer(viewer, server.baseURL, newEmail());
  const camera = await newPage(firefox);
  await pairByLink(viewer, camera);
  await expect(camera.getByLabel('Camera preview')).toBeVisible();
  await expect(cameraEntry(viewer, 'Camera 1').getByText('Online', { exact: true })).toBeVisible();

  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
  await expect(camera.getByText('1 watching')).toBeVisible();
  await viewer.getByRole('button', { name: 'Hang up' }).click();
  await expect(camera.getByText('0 watching')).toBeVisible();
});

test('a Firefox viewer watches a Chromium camera live', async () => {
  const cameraBrowser = await launchChromium({ fakeVideo: footageY4m() });
  try {
    const viewer = await newPage(firefox);
    await registerInViewer(viewer, server.baseURL, newEmail());
    const camera = await cameraBrowser.newPage();
    await pairByLink(viewer, camera);
    await expect(cameraEntry(viewer, 'Camera 1').getByText('Online', { exact: true })).toBeVisible();

    await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
    await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
    await expect(camera.getByText('1 watching')).toBeVisible();
  } finally {
    await cameraBrowser.close();
  }
});
