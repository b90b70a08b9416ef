import { test, expect, type Browser } from '@playwright/test';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { footageY4m } from '../support/media.js';
import { TestServer } from '../support/server.js';

/**
 * A camera view left while it still waits for the camera starts nothing:
 * real server process, a paired camera page in headless Chromium whose
 * getUserMedia is held back (an init script wraps it; the real fake camera
 * answers once released). The person leaves camera mode (Back to the viewer
 * page) before the camera opens: when it opens, its tracks are stopped at
 * once and the page never registers with signaling or opens its event stream.
 */

let server: TestServer;
let browser: Browser;

test.beforeAll(async () => {
  server = await TestServer.start();
  browser = await launchChromium({ fakeVideo: footageY4m() });
});

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** What the init script keeps in the page. */
interface HeldCamera {
  openCamera(): void;
  /** getUserMedia calls so far (each waits for `openCamera`). */
  asked: number;
  openedStreams: MediaStream[];
}

test('a camera view left while getUserMedia is pending stops the camera and starts no session', async () => {
  const session = await server.register();
  const context = await browser.newContext();
  const page = await context.newPage();
  await pairCameraPage(server, session.accessToken, page, 'Porch');

  await context.addInitScript(() => {
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const held: HeldCamera = { openCamera: () => open(), asked: 0, openedStreams: [] };
    Object.assign(window, { heldCamera: held });
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      held.asked++;
      await opened;
      const stream = await getUserMedia(constraints);
      held.openedStreams.push(stream);
      return stream;
    };
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Porch' })).toBeVisible();
  // The camera reads its controls first, then asks for the camera: leave only once it asked.
  await expect.poll(() => page.evaluate(() => (window as unknown as { heldCamera: HeldCamera }).heldCamera.asked)).toBe(1);

  const started: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path === '/api/signaling/tickets' || path === '/api/stream' || path.startsWith('/peerjs')) started.push(path);
  });
  // Back to the viewer page (as the browser's Back button would), while the camera has not opened.
  await page.evaluate(() => {
    history.pushState(null, '', '/viewer');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Camera preview')).toHaveCount(0);

  await page.evaluate(() => (window as unknown as { heldCamera: HeldCamera }).heldCamera.openCamera());
  const trackStates = () =>
    page.evaluate(() =>
      (window as unknown as { heldCamera: HeldCamera }).heldCamera.openedStreams.flatMap((stream) =>
        stream.getTracks().map((track) => track.readyState),
      ),
    );
  await expect.poll(trackStates).not.toHaveLength(0);
  await expect.poll(async () => (await trackStates()).every((state) => state === 'ended')).toBe(true);
  // Anything it had started would have asked for a signaling ticket or its event stream by now.
  await page.waitForTimeout(2_000);
  expect(started).toEqual([]);
  await context.close();
});
