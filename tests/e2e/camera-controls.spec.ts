import { test, expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { AuthSession } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { logChunkWrites, pairCameraPage, type ChunkLog } from '../support/camera-page.js';
import { footageY4m } from '../support/media.js';
import { expectFfmpegDecodes, expectServerHasEveryChunk, playlistUrlOf } from '../support/recording-checks.js';
import { recordingState, recordSwitch, waitForEmptyQueue } from '../support/recording-rig.js';
import { tapPeerConnections } from '../support/peer-connections.js';
import { TestServer } from '../support/server.js';
import { cameraEntry, signInToViewer } from '../support/viewer-page.js';

/**
 * Camera controls end to end: a real server, real headless Chromium for the
 * camera and the viewer, real WebRTC, the real recorder and uploads. The
 * viewer changes the camera through the server (`PUT /api/devices/:id/controls`
 * and `/pause`, the camera's event stream); what the viewer receives is read from the live
 * call's own statistics (`inbound-rtp`, W3C webrtc-stats), what the camera
 * records from its IndexedDB writes and the server.
 */

let server: TestServer;
let user: AuthSession;
/**
 * Chromium with three fake capture devices (Chromium's test pattern). The
 * second one delivers Y16 depth frames, which a video element shows but
 * WebRTC does not encode (nothing reaches a viewer, with or without
 * Peerwatch); the first (I420) and the third (MJPEG) are ordinary cameras.
 */
let fakeCameras: Browser;
/** Chromium whose fake camera plays real footage. */
let footageCamera: Browser;
let viewerBrowser: Browser;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  user = await server.register();
  fakeCameras = await launchChromium({ args: ['--use-fake-device-for-media-stream=device-count=3'] });
  footageCamera = await launchChromium({ fakeVideo: footageY4m(30) });
  viewerBrowser = await launchChromium();
});

test.afterAll(async () => {
  await fakeCameras?.close();
  await footageCamera?.close();
  await viewerBrowser?.close();
  await server?.stop();
});

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

/** A paired camera page in `browser`, its peer connections tapped and its chunk writes logged. */
async function startCamera(
  browser: Browser,
  name: string,
  prepare: (context: BrowserContext) => Promise<void> = async () => {},
): Promise<{ camera: Page; deviceId: string; log: ChunkLog }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  contexts.push(context);
  await context.addInitScript(tapPeerConnections);
  await prepare(context);
  const log = await logChunkWrites(context);
  const camera = await context.newPage();
  const { deviceId } = await pairCameraPage(server, user.accessToken, camera, name);
  await expect(camera.getByText('Ready for viewers')).toBeVisible();
  return { camera, deviceId, log };
}

/** A viewer page (its peer connections tapped), signed in as `email` (the test's user, an owner, by default). */
async function openViewer(email = user.user.email): Promise<Page> {
  const context = await viewerBrowser.newContext({ viewport: { width: 1280, height: 1400 } });
  contexts.push(context);
  await context.addInitScript(tapPeerConnections);
  const viewer = await context.newPage();
  await signInToViewer(viewer, server.baseURL, email);
  return viewer;
}

/** A new person who joined the test user's household as a member. */
async function joinAsMember(): Promise<AuthSession> {
  const member = await server.register();
  const invite = await server.request('POST', '/api/invites', { auth: `Bearer ${user.accessToken}`, body: { role: 'member' } });
  const joined = await server.request('POST', '/api/invites/accept', { auth: `Bearer ${member.accessToken}`, body: { token: invite.body.token } });
  expect(joined.status).toBe(200);
  return member;
}

/** A signed-in viewer page watching `name` live; returns its tile. */
async function watch(name: string): Promise<{ viewer: Page; tile: Locator }> {
  const viewer = await openViewer();
  await viewer.getByRole('button', { name: `Watch ${name}` }).click();
  const tile = viewer.getByRole('article', { name });
  await expect(tile.getByText('LIVE', { exact: true })).toBeVisible({ timeout: 20_000 });
  return { viewer, tile };
}

/** What the viewer's live call receives now: frames decoded so far and their size (inbound-rtp of its video). */
function received(viewer: Page): Promise<{ framesDecoded: number; frameHeight: number }> {
  return viewer.evaluate(async () => {
    const made = (window as unknown as { tappedPeerConnections: RTCPeerConnection[] }).tappedPeerConnections;
    let found = { framesDecoded: 0, frameHeight: 0 };
    for (const pc of made.filter((p) => p.connectionState !== 'closed')) {
      (await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number; frameHeight?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') {
          found = { framesDecoded: report.framesDecoded ?? 0, frameHeight: report.frameHeight ?? 0 };
        }
      });
    }
    return found;
  });
}

/** Resolves once the viewer's call decoded more frames than it had when called. */
async function expectFramesArriving(viewer: Page): Promise<void> {
  const before = (await received(viewer)).framesDecoded;
  await expect.poll(async () => (await received(viewer)).framesDecoded).toBeGreaterThan(before + 5);
}

/** How many peer connections the page made, and how many are open. */
const peerConnections = (page: Page) =>
  page.evaluate(() => {
    const made = (window as unknown as { tappedPeerConnections: RTCPeerConnection[] }).tappedPeerConnections;
    return { made: made.length, open: made.filter((pc) => pc.connectionState !== 'closed').length };
  });

/** The capture device of the camera page's video track (`getSettings().deviceId`), as its preview shows it. */
const cameraDeviceId = (camera: Page) =>
  camera
    .getByLabel('Camera preview')
    .evaluate((el: HTMLVideoElement) => (el.srcObject as MediaStream | null)?.getVideoTracks()[0]?.getSettings().deviceId ?? '');

test('switching to another camera while a viewer watches: frames keep arriving on the same call, the recording goes on in a new one, and the choice is kept', async () => {
  const { camera, deviceId, log } = await startCamera(fakeCameras, 'Porch');
  await recordSwitch(camera).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  const { viewer, tile } = await watch('Porch');
  await expectFramesArriving(viewer);

  // The camera reported its capture devices: the viewer offers "Camera", the one in use chosen.
  const choice = tile.getByRole('combobox', { name: 'Camera' });
  await expect(choice.locator('option')).toHaveCount(3);
  const values = await choice.locator('option').evaluateAll((options: HTMLOptionElement[]) => options.map((o) => o.value));
  await expect(choice).toHaveValue(await cameraDeviceId(camera));
  expect(await cameraDeviceId(camera)).toBe(values[0]);
  const other = values[2]!;
  await expect.poll(() => log.chunks.filter((c) => c.recordingId === log.recordings[0]?.id).length).toBeGreaterThanOrEqual(2);
  const callsBefore = { viewer: await peerConnections(viewer), camera: await peerConnections(camera) };

  await choice.selectOption(other);
  await expect.poll(() => cameraDeviceId(camera)).toBe(other);
  await expectFramesArriving(viewer);
  await expect(tile.getByText('LIVE', { exact: true })).toBeVisible();
  // No new call on either side: the track was replaced in the call that was up.
  expect(await peerConnections(viewer)).toEqual(callsBefore.viewer);
  expect(await peerConnections(camera)).toEqual(callsBefore.camera);

  // The recording goes on in a new one, which gets chunks of its own.
  await expect.poll(() => log.recordings.length).toBe(2);
  await expect.poll(() => log.chunks.filter((c) => c.recordingId === log.recordings[1]!.id).length).toBeGreaterThanOrEqual(2);
  await recordSwitch(camera).uncheck();
  await expect(recordingState(camera, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);
  const ids = log.recordings.map((r) => r.id);
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, ids);
  for (const id of ids) expectFfmpegDecodes(await playlistUrlOf(server, user.accessToken, id));

  // The choice is kept on the server: the camera opened again uses it.
  await camera.reload();
  await expect(camera.getByText('Ready for viewers')).toBeVisible();
  await expect.poll(() => cameraDeviceId(camera)).toBe(other);
});

test('a quality preset shows in the viewer’s stats; torch and zoom are offered only where the track has them', async () => {
  const { camera } = await startCamera(fakeCameras, 'Hall');
  const { viewer, tile } = await watch('Hall');
  await expect.poll(async () => (await received(viewer)).frameHeight).toBe(720);

  const quality = tile.getByRole('combobox', { name: 'Quality' });
  await quality.selectOption('data-saver');
  await expect.poll(async () => (await received(viewer)).frameHeight).toBe(480);
  await expect(camera.getByRole('combobox', { name: 'Quality' })).toHaveValue('data-saver');
  await expectFramesArriving(viewer);
  await quality.selectOption('standard');
  await expect.poll(async () => (await received(viewer)).frameHeight).toBe(720);

  // Chromium's fake camera has neither torch nor zoom: neither is offered.
  await expect(tile.getByRole('switch', { name: 'Torch' })).toBeHidden();
  await expect(tile.getByRole('slider', { name: 'Zoom' })).toBeHidden();
  await expect(camera.getByRole('switch', { name: 'Torch' })).toBeHidden();

  // A track that offers them (faked where Chromium lacks them): both shown, and what is set reaches the track.
  const { camera: phone } = await startCamera(footageCamera, 'Phone', async (context) => void (await context.addInitScript(fakeTorchAndZoom)));
  const phoneTile = (await watch('Phone')).tile;
  // It captures 640×480 at most (the footage): High (1080p) is not offered, the two others are.
  await expect(phoneTile.getByRole('combobox', { name: 'Quality' }).locator('option')).toHaveText([/^Data saver/, /^Standard/]);
  await expect(phoneTile.getByRole('combobox', { name: 'Camera' })).toBeHidden();
  const torch = phoneTile.getByRole('switch', { name: 'Torch' });
  await expect(torch).toBeVisible();
  await expect(phoneTile.getByRole('slider', { name: 'Zoom' })).toBeVisible();
  await torch.check();
  await expect.poll(() => phone.evaluate(() => (window as unknown as FakeImageWindow).imageConstraints.some((c) => c.torch === true))).toBe(true);
  await phoneTile.getByRole('slider', { name: 'Zoom' }).fill('3');
  await expect.poll(() => phone.evaluate(() => (window as unknown as FakeImageWindow).imageConstraints.some((c) => c.zoom === 3))).toBe(true);
  await expect(phone.getByRole('switch', { name: 'Torch' })).toBeChecked();
});

/** What `fakeTorchAndZoom` records in the camera page. */
interface FakeImageWindow {
  imageConstraints: { torch?: boolean; zoom?: number }[];
}

/**
 * Init script: video tracks offer a torch and zoom 1–5 (`getCapabilities`),
 * as a phone's rear camera does, and every advanced constraint applied is
 * recorded in `window.imageConstraints` (Chromium ignores the ones its fake
 * camera cannot do, W3C mediacapture-main §4.3.8: advanced sets are optional).
 */
function fakeTorchAndZoom(): void {
  const recorded: { torch?: boolean; zoom?: number }[] = [];
  (window as unknown as FakeImageWindow).imageConstraints = recorded;
  const getCapabilities = MediaStreamTrack.prototype.getCapabilities;
  MediaStreamTrack.prototype.getCapabilities = function (this: MediaStreamTrack) {
    const caps = getCapabilities.call(this);
    return this.kind === 'video' ? { ...caps, torch: true, zoom: { min: 1, max: 5, step: 0.5 } } : caps;
  };
  const applyConstraints = MediaStreamTrack.prototype.applyConstraints;
  MediaStreamTrack.prototype.applyConstraints = function (this: MediaStreamTrack, constraints?: MediaTrackConstraints) {
    for (const set of constraints?.advanced ?? []) recorded.push(set as { torch?: boolean; zoom?: number });
    return applyConstraints.call(this, constraints);
  };
}

test('pausing from the viewer stops frames and recording and says who paused; resuming restores both; the camera pauses itself too', async () => {
  const { camera, log } = await startCamera(footageCamera, 'Garden');
  await recordSwitch(camera).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  const { viewer, tile } = await watch('Garden');
  await expectFramesArriving(viewer);
  const callsBefore = await peerConnections(viewer);

  await tile.getByRole('button', { name: 'Pause camera' }).click();
  await expect(tile.getByText(`Paused by ${user.user.email}`)).toBeVisible();
  await expect(camera.getByText(`Paused by ${user.user.email}`)).toBeVisible();
  await expect(recordingState(camera, 'Not recording')).toBeVisible();
  // The camera and microphone are off.
  await expect
    .poll(() =>
      camera.getByLabel('Camera preview').evaluate((el: HTMLVideoElement) =>
        (el.srcObject as MediaStream).getTracks().every((t) => t.readyState === 'ended'),
      ),
    )
    .toBe(true);
  // Once the last chunk is stored, no frame arrives and no chunk is written.
  await expect.poll(() => log.chunks.at(-1)?.final).toBe(true);
  const chunksWhilePaused = log.chunks.length;
  const framesWhilePaused = (await received(viewer)).framesDecoded;
  await expect(viewer.getByRole('status').filter({ hasText: 'the camera is paused' })).toBeVisible();
  expect((await received(viewer)).framesDecoded).toBe(framesWhilePaused);
  expect(log.chunks.length).toBe(chunksWhilePaused);

  // A viewer who comes while the camera is paused is answered, and told so. A
  // member is not offered to resume (pausing from the viewer is for owners),
  // and keeps the other controls.
  const late = await openViewer((await joinAsMember()).user.email);
  await late.getByRole('button', { name: 'Watch Garden' }).click();
  const lateTile = late.getByRole('article', { name: 'Garden' });
  await expect(lateTile.getByText(`Paused by ${user.user.email}`)).toBeVisible();
  await expect(lateTile.getByRole('combobox', { name: 'Quality' })).toBeVisible();
  await expect(lateTile.getByRole('button', { name: /^(Pause|Resume) camera$/ })).toHaveCount(0);

  await tile.getByRole('button', { name: 'Resume camera' }).click();
  await expect(tile.getByText(`Paused by ${user.user.email}`)).toBeHidden();
  await expectFramesArriving(viewer);
  // The viewer who came meanwhile gets the camera on the call it had.
  await expect(lateTile.getByText('LIVE', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expectFramesArriving(late);
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await expect.poll(() => log.chunks.length).toBeGreaterThan(chunksWhilePaused + 1);
  expect(await peerConnections(viewer)).toEqual(callsBefore);

  // On the camera itself: the same control, in the camera's name.
  await camera.getByRole('button', { name: 'Pause camera' }).click();
  await expect(tile.getByText('Paused by Garden')).toBeVisible();
  await camera.getByRole('button', { name: 'Resume camera' }).click();
  await expect(tile.getByText('Paused by Garden')).toBeHidden();
  await expectFramesArriving(viewer);
});

/** What `fakeBattery` gives the test to change the battery with. */
interface FakeBatteryWindow {
  setBattery(level: number, charging: boolean): void;
}

/**
 * Init script: `navigator.getBattery()` (W3C Battery Status API) resolves to
 * a battery at 64 %, charging; `window.setBattery(level, charging)` changes
 * it and fires `levelchange` and `chargingchange`, as a real one does.
 */
function fakeBattery(): void {
  const battery = Object.assign(new EventTarget(), { level: 0.64, charging: true });
  Object.defineProperty(navigator, 'getBattery', { value: () => Promise.resolve(battery), configurable: true });
  (window as unknown as FakeBatteryWindow).setBattery = (level, charging) => {
    battery.level = level;
    battery.charging = charging;
    battery.dispatchEvent(new Event('levelchange'));
    battery.dispatchEvent(new Event('chargingchange'));
  };
}

test('the viewer shows the camera’s battery and warns below 20 % on battery or after 10 min unplugged; "Dim screen" blacks out the camera while live view goes on', async () => {
  const { camera } = await startCamera(footageCamera, 'Shelf', async (context) => {
    await context.addInitScript(fakeBattery);
    await context.clock.install();
  });
  const { viewer, tile } = await watch('Shelf');
  await expect(tile.getByRole('img', { name: 'Battery 64 %, charging' })).toBeVisible();
  await expect(tile.getByRole('alert').filter({ hasText: 'Battery low' })).toBeHidden();

  await camera.evaluate(() => (window as unknown as FakeBatteryWindow).setBattery(0.15, false));
  await expect(tile.getByRole('img', { name: 'Battery 15 %' })).toBeVisible();
  await expect(tile.getByRole('alert').filter({ hasText: 'Battery low, not charging' })).toBeVisible();
  // The camera's card in the list says so too.
  await expect(cameraEntry(viewer, 'Shelf').getByRole('alert').filter({ hasText: 'Battery low, not charging' })).toBeVisible();
  // The page's health comes with the same reports: frames captured per second and the height sent.
  await expect(tile.getByText(/^Camera: \d+(\.\d)? fps captured.* · sends \d+p/)).toBeVisible();
  await camera.evaluate(() => (window as unknown as FakeBatteryWindow).setBattery(0.16, true));
  await expect(tile.getByRole('img', { name: 'Battery 16 %, charging' })).toBeVisible();
  await expect(tile.getByRole('alert').filter({ hasText: 'Battery low' })).toBeHidden();
  // Unplugged: no warning at first, one once it has not been charging for more than 10 min (the camera page's clock jumps).
  await camera.evaluate(() => (window as unknown as FakeBatteryWindow).setBattery(0.5, false));
  await expect(tile.getByRole('img', { name: 'Battery 50 %' })).toBeVisible();
  await expect(tile.getByRole('alert')).toBeHidden();
  await camera.clock.fastForward('11:00');
  await expect(tile.getByRole('alert').filter({ hasText: /^Not charging for 1[12] min$/ })).toBeVisible();

  await camera.getByRole('button', { name: 'Dim screen' }).click();
  const wake = camera.getByRole('button', { name: 'Wake screen' });
  await expect(wake).toBeVisible();
  await expectFramesArriving(viewer);
  await wake.click();
  await expect(wake).toBeHidden();
  await expect(camera.getByRole('button', { name: 'Dim screen' })).toBeVisible();
});
