import { test, expect } from '@playwright/test';
import { connectCamera } from '../support/camera-socket.js';
import { footageChunks } from '../support/fmp4.js';
import { footageFrame } from '../support/media.js';
import { newEventId, newRecordingId, pairCamera, uploadRecording } from '../support/recording-client.js';
import { TEST_PASSWORD, TestServer } from '../support/server.js';
import { launchWebKit, type WebKitBrowser } from '../support/webkit.js';
import { findByName, pageText, waitForText } from '../support/webkit-page.js';

/**
 * WebKit (Safari's engine) as far as it can be tested here: Debian's
 * WebKitGTK under WebDriver, built without WebRTC and with a MediaRecorder
 * that records nothing. The viewer's sign-in, camera list, events and
 * recordings playback (hls.js over Media Source Extensions) must work; the
 * camera's pairing must work and say plainly what this browser cannot do.
 */

let server: TestServer;
let browser: WebKitBrowser | undefined;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off' } });
});
test.afterAll(async () => server.stop());
test.afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

test('a WebKit camera pairs by its link, says it has no live view, and says so when it cannot record', async () => {
  const user = await server.register();
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${user.accessToken}`, body: { name: 'Hall' } });
  expect(pairing.status).toBe(201);
  browser = await launchWebKit();
  const { driver } = browser;
  await driver.get(pairing.body.url);
  await waitForText(driver, 'No live view from this browser: it has no WebRTC.');
  const [device] = (await server.request('GET', '/api/devices', { auth: `Bearer ${user.accessToken}` })).body;
  expect(device.name).toBe('Hall');

  // Asked to record (the viewer's Record switch): its recorder makes nothing here, and the camera and the server say so instead of "Recording".
  const asked = await server.request('PUT', `/api/devices/${device.id}/recording`, {
    auth: `Bearer ${user.accessToken}`,
    body: { enabled: true },
  });
  expect(asked.status).toBe(200);
  await waitForText(driver, 'Recording stopped: the recorder delivered nothing', 30_000);
  await expect
    .poll(async () => (await server.request('GET', `/api/devices/${device.id}/recording`, { auth: `Bearer ${user.accessToken}` })).body)
    .toMatchObject({ enabled: true, recording: false, problem: 'recorder-failed' });
  expect((await server.request('GET', `/api/recordings?deviceId=${device.id}`, { auth: `Bearer ${user.accessToken}` })).body).toEqual([]);
  // The page goes on: name and status are still shown.
  expect(await pageText(driver)).toContain('Hall');
});

test('a WebKit viewer signs in, lists the cameras, opens an event, plays a recording and seeks; live view says what is missing', async () => {
  const user = await server.register();
  const camera = await pairCamera(server, user.accessToken, 'Porch');
  const startedAtMs = Date.now() - 60_000;
  await uploadRecording(server, camera, newRecordingId(), footageChunks(startedAtMs));
  const eventId = newEventId();
  const event = { kind: 'motion', startedAtMs: startedAtMs + 2_000, endedAtMs: startedAtMs + 6_000, score: 0.4, box: { x: 0.2, y: 0.1, width: 0.5, height: 0.8 } };
  expect((await server.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: event })).status).toBeLessThan(300);
  for (const [image, bytes] of [['snapshot', footageFrame(4, 'jpg')], ['thumbnail', footageFrame(4, 'webp', 180)]] as const) {
    const type = image === 'snapshot' ? 'image/jpeg' : 'image/webp';
    const res = await fetch(`${server.baseURL}/api/events/${eventId}/${image}`, {
      method: 'PUT',
      headers: { authorization: camera.auth, 'content-type': type },
      body: new Uint8Array(bytes),
    });
    expect(res.status).toBeLessThan(300);
  }

  browser = await launchWebKit();
  const { driver } = browser;
  await driver.get(`${server.baseURL}/viewer`);
  await (await findByName(driver, 'input', 'Email')).sendKeys(user.user.email);
  await (await findByName(driver, 'input', 'Password')).sendKeys(TEST_PASSWORD);
  await (await findByName(driver, 'button', 'Sign in')).click();
  await waitForText(driver, 'Porch');

  // Events: the list with the event's thumbnail, loaded; opening it shows the full snapshot.
  await (await findByName(driver, 'button', 'Events')).click();
  const thumbnail = await findByName(driver, 'img', /^Event snapshot: Porch /);
  await expect.poll(() => driver.executeScript<number>((img: HTMLImageElement) => img.naturalHeight, thumbnail)).toBe(180);
  await (await findByName(driver, 'button', /^Open event: Porch /)).click();
  const snapshot = await findByName(driver, 'img', /^Full snapshot: Porch /);
  await expect.poll(() => driver.executeScript<number>((img: HTMLImageElement) => img.naturalWidth, snapshot)).toBeGreaterThan(600);
  await (await findByName(driver, 'button', 'Close events')).click();

  // A recording plays through hls.js (Media Source Extensions), and the Timeline seeks it.
  await (await findByName(driver, 'button', 'Recordings Porch')).click();
  await (await findByName(driver, 'button', /^Play recording /)).click();
  const video = await findByName(driver, 'video', /^Recording: Porch /);
  const played = () =>
    driver.executeScript<{ time: number; frames: number; duration: number }>(
      (el: HTMLVideoElement) => ({ time: el.currentTime, frames: el.getVideoPlaybackQuality().totalVideoFrames, duration: el.duration }),
      video,
    );
  await expect.poll(async () => (await played()).frames, { timeout: 20_000 }).toBeGreaterThan(10);
  await expect.poll(async () => (await played()).time).toBeGreaterThan(1);
  const { duration } = await played();
  expect(duration).toBeGreaterThan(6);
  await driver.executeScript((el: HTMLVideoElement) => el.pause(), video);
  // A click in the middle of the Timeline slider, as a person seeks.
  const timeline = await findByName(driver, 'input', 'Timeline');
  await driver.actions().move({ origin: timeline }).click().perform();
  await expect.poll(async () => Math.abs((await played()).time - duration / 2)).toBeLessThan(1.5);
  const atSeek = await played();
  await driver.executeScript((el: HTMLVideoElement) => el.play(), video);
  await expect.poll(async () => (await played()).frames).toBeGreaterThan(atSeek.frames + 10);
  expect((await played()).time).toBeGreaterThan(atSeek.time);

  // Live view: the page says up front there is none here, and a camera's tile says why instead of dialling for ever.
  await (await findByName(driver, 'button', 'Close recordings')).click();
  expect(await pageText(driver)).toContain('Live video needs WebRTC, which this browser lacks.');
  const online = await connectCamera(server, camera);
  try {
    await waitForText(driver, /Porch Online/);
    await (await findByName(driver, 'button', 'Watch Porch')).click();
    await waitForText(driver, 'This browser cannot play live video: it has no WebRTC.');
  } finally {
    await online.close();
  }
});
