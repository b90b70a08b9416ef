import { test, expect, type Browser, type CDPSession, type Page } from '@playwright/test';
import type { AuthSession } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { countedOpenPeerConnections, countPeerConnections } from '../support/peer-connections.js';
import { footageY4m } from '../support/media.js';
import { recordingState, recordSwitch } from '../support/recording-rig.js';
import { TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * Soak: a camera page that runs for hours must not grow. A real server, a
 * real camera page (headless Chromium, its fake camera playing real footage)
 * recording all along, and a real viewer page that presses "Watch" and, once
 * the call is live, "Hang up", again and again.
 *
 * Real time, not Playwright's clock: jumping the camera page's clock 20 s
 * per call (`page.clock.fastForward`) stops its recording, since the
 * recorder's stall watchdog (`CHUNK_STALL_MS`, 10 s of the page's timers)
 * then sees no chunk from a MediaRecorder that delivers one every 2 s of
 * real time ("Recording stopped: the recorder delivered nothing for 10 s"),
 * and a clock slow enough for it (under 5× real time) cannot make 30 min
 * in a few minutes. So the viewer calls and hangs up back to back, 200
 * times (more than the 90 calls of 30 min at one per 20 s; about 45 s
 * here), with the camera's own timers (health reports, PeerJS heartbeats,
 * uploads) running as they do. (Measured over 400 calls, the heap grew
 * about 0.2 MB in the first 250 and then stayed flat.)
 *
 * Measured in the camera page (CDP): the JS heap after a forced garbage
 * collection (`HeapProfiler.collectGarbage`, `Runtime.getHeapUsage`), the
 * DOM node count (`Memory.getDOMCounters`), and its live `RTCPeerConnection`s
 * (counted by an init script that wraps the constructor and `close()`,
 * holding no connection itself). After each hang-up the camera has no open
 * peer connection; at the end its capture tracks still run (none ended or
 * muted: no stalled track), it still records (and says no problem), and the heap grew less than
 * 10 MB and the DOM by less than 100 nodes since the first calls.
 */

/** Calls made, back to back. */
const CALLS = 200;
/** Calls made before the first measurement (caches, code paths and pools warmed up). */
const WARM_UP_CALLS = 5;
const MAX_HEAP_GROWTH_BYTES = 10 * 1024 * 1024;
const MAX_DOM_NODE_GROWTH = 100;

test.setTimeout(6 * 60_000);

let server: TestServer;
let user: AuthSession;
let cameraBrowser: Browser;
let viewerBrowser: Browser;

test.beforeAll(async () => {
  server = await TestServer.start();
  user = await server.register();
  cameraBrowser = await launchChromium({ fakeVideo: footageY4m(30) });
  viewerBrowser = await launchChromium();
});

test.afterAll(async () => {
  await cameraBrowser?.close();
  await viewerBrowser?.close();
  await server?.stop();
});

/** The camera page's footprint: JS heap in use after a full GC, bytes, and its DOM nodes. */
async function footprint(cdp: CDPSession): Promise<{ heapBytes: number; domNodes: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  return { heapBytes: usedSize, domNodes: nodes };
}

const openPeerConnections = (camera: Page) => camera.evaluate(countedOpenPeerConnections);

/** The camera preview's tracks that ended or are muted (a stalled capture). */
const stalledTracks = (camera: Page) =>
  camera.getByLabel('Camera preview').evaluate((el: HTMLVideoElement) =>
    (el.srcObject as MediaStream)
      .getTracks()
      .filter((track) => track.readyState !== 'live' || track.muted)
      .map((track) => `${track.kind} ${track.readyState}${track.muted ? ' muted' : ''}`),
  );

/** One call from the viewer: Watch, live, Hang up; then the camera has no open peer connection. */
async function callAndHangUp(viewer: Page, camera: Page): Promise<void> {
  await viewer.getByRole('button', { name: 'Watch Soak' }).click();
  const tile = viewer.getByRole('article', { name: 'Soak' });
  await expect(tile.getByText('LIVE', { exact: true })).toBeVisible({ timeout: 20_000 });
  expect(await openPeerConnections(camera)).toBe(1);
  await tile.getByRole('button', { name: 'Hang up' }).click();
  await expect(tile).toHaveCount(0);
  await expect.poll(() => openPeerConnections(camera), { message: 'the camera closed the call' }).toBe(0);
}

test('a recording camera page called and hung up 200 times keeps its heap, DOM and peer connections flat', async () => {
  const context = await cameraBrowser.newContext();
  await context.addInitScript(countPeerConnections);
  const camera = await context.newPage();
  await pairCameraPage(server, user.accessToken, camera, 'Soak');
  await expect(camera.getByText('Ready for viewers')).toBeVisible();
  await recordSwitch(camera).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  const cdp = await context.newCDPSession(camera);

  const viewer = await (await viewerBrowser.newContext()).newPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);
  await expect(viewer.getByRole('button', { name: 'Watch Soak' })).toBeEnabled();

  let before: { heapBytes: number; domNodes: number } | null = null;
  for (let call = 0; call < CALLS; call++) {
    await callAndHangUp(viewer, camera);
    if (call + 1 === WARM_UP_CALLS) before = await footprint(cdp);
  }
  const after = await footprint(cdp);

  expect(await stalledTracks(camera)).toEqual([]);
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await expect(camera.getByRole('alert')).toHaveCount(0);
  expect(await openPeerConnections(camera)).toBe(0);
  const growth = { heapBytes: after.heapBytes - before!.heapBytes, domNodes: after.domNodes - before!.domNodes };
  test.info().annotations.push({ type: 'footprint', description: JSON.stringify({ before, after, growth }) });
  expect(growth.heapBytes, `heap ${before!.heapBytes} → ${after.heapBytes} bytes`).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  expect(growth.domNodes, `DOM nodes ${before!.domNodes} → ${after.domNodes}`).toBeLessThan(MAX_DOM_NODE_GROWTH);
});
