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
 * the call is live, "Hang up": 30 minutes of the camera page's clock
 * (Playwright's clock) with a call every 20 s, 90 calls. Each call and
 * hang-up happen in real time; then the camera page's clock jumps to the
 * next call 20 s after the last (`clock.fastForward`, which runs each
 * overdue timer once, as a page does when a laptop's lid opens again), so
 * its own timers (health reports, PeerJS heartbeats, recording segments,
 * uploads, the recorder's stall watchdog) run as they would over 30 minutes,
 * while its MediaRecorder delivers chunks in real time.
 *
 * Measured in the camera page (CDP): the JS heap after a forced garbage
 * collection (`HeapProfiler.collectGarbage`, `Runtime.getHeapUsage`), the
 * DOM node count (`Memory.getDOMCounters`), and its live `RTCPeerConnection`s
 * (counted by an init script that wraps the constructor and `close()`,
 * holding no connection itself). After each hang-up the camera has no open
 * peer connection; at the end its capture tracks still run (none ended or
 * muted: no stalled track), it still records (and says no problem), its
 * clock has gone 30 minutes, and the heap grew less than 10 MB and the DOM by
 * less than 100 nodes since the first calls.
 */

/** The camera page's clock time the soak covers, ms. */
const SOAK_MS = 30 * 60_000;
/** A call every this long on the camera page's clock, ms. */
const CALL_EVERY_MS = 20_000;
/** Calls made: one every `CALL_EVERY_MS` for `SOAK_MS`. */
const CALLS = SOAK_MS / CALL_EVERY_MS;
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

test('a recording camera page called every 20 s for 30 min of its clock keeps its heap, DOM and peer connections flat', async () => {
  const context = await cameraBrowser.newContext();
  await context.addInitScript(countPeerConnections);
  await context.clock.install();
  const camera = await context.newPage();
  await pairCameraPage(server, user.accessToken, camera, 'Soak');
  await expect(camera.getByText('Ready for viewers')).toBeVisible();
  await recordSwitch(camera).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  const cdp = await context.newCDPSession(camera);

  const viewer = await (await viewerBrowser.newContext()).newPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);
  await expect(viewer.getByRole('button', { name: 'Watch Soak' })).toBeEnabled();

  const cameraClock = () => camera.evaluate(() => Date.now());
  const startedAtMs = await cameraClock();
  let before: { heapBytes: number; domNodes: number } | null = null;
  for (let call = 0; call < CALLS; call++) {
    const callAtMs = startedAtMs + call * CALL_EVERY_MS;
    await camera.clock.fastForward(Math.max(0, callAtMs - (await cameraClock())));
    await callAndHangUp(viewer, camera);
    if (call + 1 === WARM_UP_CALLS) before = await footprint(cdp);
  }
  await camera.clock.fastForward(Math.max(0, startedAtMs + SOAK_MS - (await cameraClock())));
  const after = await footprint(cdp);
  expect(await cameraClock()).toBeGreaterThanOrEqual(startedAtMs + SOAK_MS);

  expect(await stalledTracks(camera)).toEqual([]);
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await expect(camera.getByRole('alert')).toHaveCount(0);
  expect(await openPeerConnections(camera)).toBe(0);
  const growth = { heapBytes: after.heapBytes - before!.heapBytes, domNodes: after.domNodes - before!.domNodes };
  test.info().annotations.push({ type: 'footprint', description: JSON.stringify({ before, after, growth }) });
  expect(growth.heapBytes, `heap ${before!.heapBytes} → ${after.heapBytes} bytes`).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  expect(growth.domNodes, `DOM nodes ${before!.domNodes} → ${after.domNodes}`).toBeLessThan(MAX_DOM_NODE_GROWTH);
});
