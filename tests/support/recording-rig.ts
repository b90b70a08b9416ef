import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { AuthSession } from '../../protocol/index.js';
import { launchChromium, launchFirefox, type Engine } from './browser.js';
import { logChunkWrites, pairCameraPage, type ChunkLog } from './camera-page.js';
import { footageY4m } from './media.js';
import { TestServer } from './server.js';
import { signInToViewer } from './viewer-page.js';

/** What a recording test works with: a real server, a user, a paired camera page and a browser for viewers. */
export interface RecordingRig {
  server: TestServer;
  user: AuthSession;
  /** The camera's browser: headless Chromium whose fake camera plays 30 s of real footage (`footageY4m`), or Firefox. */
  cameraBrowser: Browser;
  cameraContext: BrowserContext;
  /** The camera page, paired and running (its Record switch shown). */
  camera: Page;
  deviceId: string;
  /** Every chunk and recording the camera context stores in IndexedDB. */
  log: ChunkLog;
  viewerBrowser: Browser;
}

/** How a rig differs from the default one. */
export interface RecordingRigOptions {
  /** Runs on the camera context before its page opens (e.g. an init script that changes what the browser offers). */
  prepareCamera?: (context: BrowserContext) => Promise<void>;
  /** Server settings (environment variables, see signal-server/config.ts). */
  serverEnv?: Record<string, string>;
  /** The camera's browser engine (default Chromium; Firefox's fake camera shows its test pattern). */
  cameraEngine?: Engine;
}

/**
 * Starts a server, registers a user, launches the camera and viewer
 * browsers and pairs a camera page named `cameraName` whose chunk writes are
 * logged.
 */
export async function startRecordingRig(
  cameraName: string,
  { prepareCamera = async () => {}, serverEnv = {}, cameraEngine = 'chromium' }: RecordingRigOptions = {},
): Promise<RecordingRig> {
  const server = await TestServer.start({ env: serverEnv });
  const user = await server.register();
  const cameraBrowser =
    cameraEngine === 'firefox' ? await launchFirefox() : await launchChromium({ fakeVideo: footageY4m(30) });
  const viewerBrowser = await launchChromium();
  const cameraContext = await cameraBrowser.newContext({ viewport: { width: 900, height: 1000 } });
  await prepareCamera(cameraContext);
  const log = await logChunkWrites(cameraContext);
  const camera = await cameraContext.newPage();
  const { deviceId } = await pairCameraPage(server, user.accessToken, camera, cameraName);
  return { server, user, cameraBrowser, cameraContext, camera, deviceId, log, viewerBrowser };
}

/** Closes the browsers and stops the server of a rig that may have started only in part. */
export async function stopRecordingRig(rig: Partial<RecordingRig> | undefined): Promise<void> {
  await rig?.cameraBrowser?.close();
  await rig?.viewerBrowser?.close();
  await rig?.server?.stop();
}

/** The Record switch of a camera page or of a viewer's camera card. */
export const recordSwitch = (page: Page | Locator) => page.getByRole('switch', { name: 'Record' });

/** The camera page's recording state line when it reads exactly `text` ("Recording", "Not recording"). */
export const recordingState = (camera: Page, text: string) =>
  camera.getByRole('status').filter({ hasText: new RegExp(`^${text}$`) });

/** Waits until the camera page `page` says "All recordings uploaded" (its upload queue is empty), up to `timeout` ms. */
export async function waitForEmptyQueue(page: Page, timeout = 30_000): Promise<void> {
  await expect(page.getByText('All recordings uploaded')).toBeVisible({ timeout });
}

/**
 * Signs in to a new viewer page (in `browser`, by default the rig's Chromium
 * viewer browser) as the rig's user and opens the recordings of `cameraName`;
 * returns their list.
 */
export async function openViewerRecordings(
  rig: RecordingRig,
  cameraName: string,
  browser: Browser = rig.viewerBrowser,
): Promise<{ viewer: Page; list: Locator }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const viewer = await context.newPage();
  await signInToViewer(viewer, rig.server.baseURL, rig.user.user.email);
  await viewer.getByRole('button', { name: `Recordings ${cameraName}` }).click();
  return { viewer, list: viewer.getByRole('list', { name: `Recordings of ${cameraName}` }) };
}
