import { setTimeout as sleep } from 'node:timers/promises';
import { test, expect, type BrowserContext } from '@playwright/test';
import type { AuthSession } from '../../protocol/index.js';
import { launchPersistentChromium } from '../support/browser.js';
import { logChunkWrites, pairCameraPage } from '../support/camera-page.js';
import { footageY4m, tempDir } from '../support/media.js';
import { expectServerHasEveryChunk } from '../support/recording-checks.js';
import { recordingState, recordSwitch, waitForEmptyQueue } from '../support/recording-rig.js';
import { TestServer } from '../support/server.js';

/**
 * The upload queue outlives the browser: a camera records while the server
 * is down, its browser is closed before anything is uploaded, and when the
 * browser is started again on the same profile (server back) the camera
 * uploads what it kept. (The server is stopped rather than the context set
 * offline: Playwright lifts the offline emulation while it closes a browser,
 * and the camera would upload in that moment.)
 */
let server: TestServer;
let user: AuthSession;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  server = await TestServer.start();
  user = await server.register();
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
  await server?.stop();
});

test('chunks recorded while the server was down and left when the browser closed are uploaded after it starts again', async () => {
  const profile = tempDir('peerwatch-camera-profile-');
  const launch = async () => {
    const context = await launchPersistentChromium(profile, { fakeVideo: footageY4m(30) });
    contexts.push(context);
    return context;
  };

  const first = await launch();
  const log = await logChunkWrites(first);
  const page = first.pages()[0] ?? (await first.newPage());
  const { deviceId } = await pairCameraPage(server, user.accessToken, page, 'Garden');
  await server.stop();
  await recordSwitch(page).check();
  await expect(recordingState(page, 'Recording')).toBeVisible();
  await sleep(6_000);
  await recordSwitch(page).uncheck();
  await expect(recordingState(page, 'Not recording')).toBeVisible();
  const waiting = page.getByText(/\d+ chunks? \/ [\d.]+ MB waiting/);
  await expect(waiting).toBeVisible();
  const backlog = await waiting.textContent();
  await first.close();
  await server.startAgain();

  // Started again online, first with chunk uploads refused: the camera shows the backlog it kept.
  const second = await launch();
  const uploads = '**/api/recordings/*/chunks/*';
  await second.route(uploads, (route) => route.abort('connectionrefused'));
  const camera = second.pages()[0] ?? (await second.newPage());
  await camera.goto(`${server.baseURL}/`);
  await expect(camera.getByRole('heading', { name: 'Garden' })).toBeVisible();
  await expect(camera.getByText(backlog!, { exact: true })).toBeVisible();
  await second.unroute(uploads);
  await waitForEmptyQueue(camera);
  expect(log.recordings).toHaveLength(1);
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, [log.recordings[0]!.id]);
});
