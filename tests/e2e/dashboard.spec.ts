import { statfsSync } from 'node:fs';
import { test, expect, type Browser } from '@playwright/test';
import { connectCamera, type CameraSocket } from '../support/camera-socket.js';
import { launchChromium } from '../support/browser.js';
import { footageFrame } from '../support/media.js';
import { newEventId, newRecordingId, pairCamera, randomChunks, uploadEventWithSnapshot, uploadRecording } from '../support/recording-client.js';
import { joinHousehold } from '../support/household.js';
import { bearer, TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * The overview in real Chromium: an owner's viewer shows what the server
 * counted from real uploads (a camera online and recording with a
 * recording and an event, one offline though asked to record), each
 * camera's storage bar and event strip, and the server's version; it
 * follows a camera going offline; a viewer's page has no overview.
 */
let server: TestServer;
let browser: Browser;
let socket: CameraSocket | undefined;

test.beforeAll(async () => {
  server = await TestServer.start();
  browser = await launchChromium();
});

test.afterAll(async () => {
  await socket?.close();
  await browser?.close();
  await server?.stop();
});

test('the overview shows the cameras, events and storage the server counted, and follows a camera going offline', async () => {
  const owner = await server.register();
  const porch = await pairCamera(server, owner.accessToken, 'Porch');
  const attic = await pairCamera(server, owner.accessToken, 'Attic');
  socket = await connectCamera(server, porch);
  for (const camera of [porch, attic]) {
    await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth: bearer(owner), body: { enabled: true } });
  }
  await server.request('PUT', '/api/devices/me/recording-status', { auth: porch.auth, body: { recording: true } });
  await uploadRecording(server, porch, newRecordingId(), randomChunks(3, 400_000, Date.now() - 120_000));
  const snapshot = footageFrame(3, 'jpg');
  await uploadEventWithSnapshot(server, porch, newEventId(), snapshot);
  const porchMegabytes = ((1_200_000 + snapshot.length) / 1e6).toFixed(1);

  const page = await (await browser.newContext()).newPage();
  await signInToViewer(page, server.baseURL, owner.user.email);
  const overview = page.getByRole('region', { name: 'Overview' });
  await expect(overview.getByLabel('Cameras and events')).toHaveText(/1\s+online\s+1\s+offline\s+1\s+recording\s+1\s+event today/);
  await expect(overview.getByRole('group', { name: 'Cameras that cannot record' })).toContainText('Attic: the camera is offline');
  const total = overview.getByLabel('Storage in total');
  await expect(total).toContainText(`use ${porchMegabytes} MB`);
  await expect(total).toContainText(/MB free of [\d.,]+ GB on the server’s disk|GB free of [\d.,]+ GB on the server’s disk/);
  await expect(total).toContainText('Kept for 7 days, at most 20 GB per camera');
  const disk = statfsSync(server.dataDir);
  await expect(overview.getByRole('meter', { name: 'Server disk in use' })).toHaveJSProperty('max', disk.blocks * disk.bsize);
  const porchBar = overview.getByRole('meter', { name: 'Storage of Porch' });
  await expect(porchBar).toHaveJSProperty('value', 1_200_000 + snapshot.length);
  await expect(porchBar).toHaveJSProperty('max', 20e9);
  await expect(overview.getByRole('row', { name: /Porch/ })).toContainText(`${porchMegabytes} MB`);
  await expect(overview.getByRole('img', { name: /^Events of Porch per hour/ })).toHaveAccessibleName(/1 event today, (0, ){23}1$/);
  await expect(overview.getByRole('img', { name: /^Events of Attic per hour/ })).toHaveAccessibleName(/0 events today, (0, ){23}0$/);
  await expect(overview.getByLabel('Server version and uptime')).toContainText('Peerwatch 0.1.0 · running for');

  // The porch camera goes offline: the overview follows.
  await socket.close();
  socket = undefined;
  await expect(overview.getByLabel('Cameras and events')).toHaveText(/0\s+online\s+2\s+offline\s+0\s+recording/, { timeout: 15_000 });
  await expect(overview.getByRole('group', { name: 'Cameras that cannot record' })).toContainText('Porch: the camera is offline');

  // A viewer has no overview.
  const viewer = await joinHousehold(server, owner, 'viewer');
  const viewerPage = await (await browser.newContext()).newPage();
  await signInToViewer(viewerPage, server.baseURL, viewer.user.email);
  await expect(viewerPage.getByRole('heading', { name: 'Cameras' })).toBeVisible();
  await expect(viewerPage.getByRole('region', { name: 'Overview' })).toHaveCount(0);
});
