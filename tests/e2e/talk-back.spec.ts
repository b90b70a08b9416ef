import { rmSync } from 'node:fs';
import { test, expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { launchChromium, launchPersistentChromium } from '../support/browser.js';
import { footageY4m, tempDir, toneWav } from '../support/media.js';
import { startToneMeter } from '../support/tone-meter.js';
import { pairByLink, registerInViewer, signInToViewer } from '../support/viewer-page.js';

/**
 * Two-way audio end to end: a real server, real headless Chromium for the
 * camera (its fake microphone: Chromium's beep) and for each viewer (its fake
 * microphone plays a sine tone from a WAV file, a different pitch per viewer
 * browser), real WebRTC. What the camera plays is measured on the talk-back
 * `<audio>` element's captured stream (`captureStream()`) while the element
 * plays, what the viewer receives on its video element's MediaStream, both
 * with an AnalyserNode.
 */

/** Viewer A's voice, Hz. */
const TONE_A_HZ = 1_000;
/** Viewer B's voice, Hz. */
const TONE_B_HZ = 2_500;

let server: TestServer;
let viewerA: Browser;
let viewerB: Browser;
const cameras: BrowserContext[] = [];
const folders: string[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  viewerA = await launchChromium({ args: [`--use-file-for-fake-audio-capture=${toneWav(TONE_A_HZ)}`] });
  viewerB = await launchChromium({ args: [`--use-file-for-fake-audio-capture=${toneWav(TONE_B_HZ)}`] });
});

test.afterAll(async () => {
  await viewerA?.close();
  await viewerB?.close();
  await server?.stop();
});

test.afterEach(async () => {
  for (const context of cameras.splice(0)) await context.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * Stands in for a browser that plays no sound before a tap on the page
 * (e.g. an Android WebView with `mediaPlaybackRequiresUserGesture`): Chromium
 * and Firefox let a page that captures its camera play sound without one, so
 * the camera page here would never need the tap. Until a trusted pointer or
 * key event reaches the page, `play()` of an unmuted media element rejects
 * with NotAllowedError, as HTML §4.8.11.8 has it for media not "allowed to play".
 */
function blockSoundUntilTap(): void {
  let tapped = false;
  const tap = (event: Event) => {
    if (event.isTrusted) tapped = true;
  };
  addEventListener('pointerdown', tap, true);
  addEventListener('keydown', tap, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (tapped || this.muted) return play.call(this);
    return Promise.reject(new DOMException("play() failed because the user didn't interact with the document first.", 'NotAllowedError'));
  };
}

/** A paired camera, its fake camera playing real footage, on its own profile folder. */
async function pairCamera(viewer: Page, options: { blockSoundUntilTap: boolean }): Promise<Page> {
  const folder = tempDir('peerwatch-talk-camera-');
  folders.push(folder);
  const context = await launchPersistentChromium(folder, { fakeVideo: footageY4m() });
  cameras.push(context);
  if (options.blockSoundUntilTap) await context.addInitScript(blockSoundUntilTap);
  const camera = context.pages()[0] ?? (await context.newPage());
  await pairByLink(viewer, camera);
  await expect(camera.getByText('Ready for viewers')).toBeVisible();
  return camera;
}

/** Opens the live tile of `name` on `viewer` and waits until it is live. */
async function watch(viewer: Page, name: string): Promise<Locator> {
  await viewer.getByRole('button', { name: `Watch ${name}` }).click();
  const tile = viewer.getByRole('article', { name });
  await expect(tile.getByText('LIVE', { exact: true })).toBeVisible({ timeout: 20_000 });
  return tile;
}

/** The camera page's talk-back element (what it plays through its speaker). */
function talkBackAudio(camera: Page): Locator {
  return camera.locator('pw-talk-back audio');
}

/**
 * Asserts that the talk-back element plays: not paused, and its clock moves.
 * Needed beside the tone meter: Chromium's `captureStream()` of an element
 * whose source is a MediaStream carries that stream's audio even while the
 * element is paused (checked), so the tone alone does not prove playback.
 */
async function expectPlaying(audio: Locator): Promise<void> {
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => !el.paused && el.readyState >= 2)).toBe(true);
  const before = await audio.evaluate((el: HTMLAudioElement) => el.currentTime);
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime)).toBeGreaterThan(before);
}

test('holding Talk (mouse, then touch) plays the viewer’s voice on the camera once it was allowed one tap; letting go stops it within 500 ms; the camera’s own sound reaches the viewer', async () => {
  const viewer = await (await viewerA.newContext({ hasTouch: true })).newPage();
  await registerInViewer(viewer, server.baseURL, `talk-${Date.now()}@example.com`);
  const camera = await pairCamera(viewer, { blockSoundUntilTap: true });
  const tile = await watch(viewer, 'Camera 1');
  // The camera's own capture cancels the echo of what it plays.
  const capture = await camera
    .getByLabel('Camera preview')
    .evaluate((el: HTMLVideoElement) => (el.srcObject as MediaStream).getAudioTracks()[0]?.getSettings().echoCancellation);
  expect(capture).toBe(true);

  // Listen: muted at first, "Sound on" unmutes, the volume follows the slider, the camera's microphone arrives.
  const video = tile.getByLabel('Live: Camera 1');
  expect(await video.evaluate((el: HTMLVideoElement) => el.muted)).toBe(true);
  await tile.getByRole('button', { name: 'Sound on' }).click();
  await expect(tile.getByRole('button', { name: 'Sound off' })).toBeVisible();
  expect(await video.evaluate((el: HTMLVideoElement) => el.muted)).toBe(false);
  await tile.getByRole('slider', { name: 'Volume' }).fill('0.5');
  expect(await video.evaluate((el: HTMLVideoElement) => el.volume)).toBe(0.5);
  const cameraSound = await startToneMeter(video, 'any', 'srcObject');
  await expect.poll(async () => (await cameraSound.read()).toneSamples, { timeout: 15_000 }).toBeGreaterThan(0);

  // Talk: the camera's browser may not play sound yet; both sides say so until someone taps the camera.
  const talk = tile.getByRole('button', { name: 'Talk' });
  await talk.hover();
  await viewer.mouse.down();
  await expect(tile.getByText('The camera cannot play your voice yet')).toBeVisible();
  const allow = camera.getByRole('button', { name: 'Allow talk-back sound' });
  await expect(allow).toBeVisible();
  expect(await talkBackAudio(camera).evaluate((el: HTMLAudioElement) => el.paused)).toBe(true);
  await allow.click();
  await expect(camera.getByText('Talking…')).toBeVisible();
  await expect(allow).toBeHidden();
  await expect(tile.getByText('Talking…')).toBeVisible();
  await expect(talk).toHaveAttribute('aria-pressed', 'true');

  await expectPlaying(talkBackAudio(camera));
  const voice = await startToneMeter(talkBackAudio(camera), TONE_A_HZ);
  await expect.poll(async () => (await voice.read()).toneSamples, { timeout: 5_000 }).toBeGreaterThan(10);

  const releasedAtMs = Date.now();
  await viewer.mouse.up();
  await expect(camera.getByText('Talking…')).toBeHidden();
  await expect(tile.getByText('Talking…')).toBeHidden();
  expect(await talkBackAudio(camera).evaluate((el: HTMLAudioElement) => el.paused)).toBe(true);
  await viewer.waitForTimeout(1_500);
  const after = await voice.read();
  expect(after.lastToneAtMs).not.toBeNull();
  expect(after.lastToneAtMs! - releasedAtMs).toBeLessThan(500);

  // The camera's sound still reaches the viewer after the talk.
  const stillSound = await startToneMeter(video, 'any', 'srcObject');
  await expect.poll(async () => (await stillSound.read()).toneSamples, { timeout: 15_000 }).toBeGreaterThan(0);

  // A finger held on Talk talks too; the one tap on the camera was enough.
  const touch = await viewer.context().newCDPSession(viewer);
  const box = (await talk.boundingBox())!;
  const finger = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [finger] });
  await expect(tile.getByText('Talking…')).toBeVisible();
  await expect(camera.getByText('Talking…')).toBeVisible();
  await expectPlaying(talkBackAudio(camera));
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(tile.getByText('Talking…')).toBeHidden();
  await expect(camera.getByText('Talking…')).toBeHidden();
});

test('two viewers cannot talk at once: the second is told who talks, and talks (space bar) once the first let go', async () => {
  const email = `talk-two-${Date.now()}@example.com`;
  const first = await (await viewerA.newContext()).newPage();
  await registerInViewer(first, server.baseURL, email);
  const camera = await pairCamera(first, { blockSoundUntilTap: false });
  const second = await (await viewerB.newContext()).newPage();
  await signInToViewer(second, server.baseURL, email);
  const firstTile = await watch(first, 'Camera 1');
  const secondTile = await watch(second, 'Camera 1');

  // A capturing camera page in Chromium plays sound without a tap: no tap is asked for.
  await firstTile.getByRole('button', { name: 'Talk' }).hover();
  await first.mouse.down();
  await expect(firstTile.getByText('Talking…')).toBeVisible();
  await expect(camera.getByText(`Talking… ${email}`)).toBeVisible();
  await expect(camera.getByRole('button', { name: 'Allow talk-back sound' })).toBeHidden();

  // The second viewer holds the space bar on its focused tile: refused, told who talks.
  await secondTile.focus();
  await second.keyboard.down(' ');
  await expect(secondTile.getByText(`Another viewer is talking (${email}).`)).toBeVisible();
  await second.keyboard.up(' ');
  await expectPlaying(talkBackAudio(camera));
  const firstVoice = await startToneMeter(talkBackAudio(camera), TONE_A_HZ);
  const secondVoice = await startToneMeter(talkBackAudio(camera), TONE_B_HZ);
  await expect.poll(async () => (await firstVoice.read()).toneSamples, { timeout: 5_000 }).toBeGreaterThan(10);
  expect((await secondVoice.read()).toneSamples).toBe(0);
  await expect(firstTile.getByText('Talking…')).toBeVisible();

  await first.mouse.up();
  await expect(camera.getByText('Talking…')).toBeHidden();

  await secondTile.focus();
  await second.keyboard.down(' ');
  await expect(secondTile.getByText('Talking…')).toBeVisible();
  await expect(camera.getByText(`Talking… ${email}`)).toBeVisible();
  await expectPlaying(talkBackAudio(camera));
  const secondNow = await startToneMeter(talkBackAudio(camera), TONE_B_HZ);
  await expect.poll(async () => (await secondNow.read()).toneSamples, { timeout: 5_000 }).toBeGreaterThan(10);
  await second.keyboard.up(' ');
  await expect(camera.getByText('Talking…')).toBeHidden();
});
