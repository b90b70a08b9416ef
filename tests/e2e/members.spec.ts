import { rmSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Device, SignalingTicket } from '../../protocol/index.js';
import { TEST_PASSWORD, TestServer } from '../support/server.js';
import { launchChromium, launchPersistentChromium } from '../support/browser.js';
import { footageY4m, tempDir } from '../support/media.js';
import { expectMovingPictures } from '../support/live-video.js';
import { pairCamera } from '../support/recording-client.js';
import { cameraEntry, pairByLink, registerInViewer } from '../support/viewer-page.js';

/**
 * A household of two people in real Chromium: the owner invites a viewer of
 * one camera from the Members panel (link and QR code), the second person
 * opens the link, creates an account, sees only that camera (no Record
 * switch, no Add camera) and watches it live; the owner removes them: the
 * camera hangs up on them, also on a call from a bare PeerJS client that
 * would never hang up by itself (the server tells the camera), and their page
 * says they no longer have access.
 */
const PEERJS = path.resolve(import.meta.dirname, '../../node_modules/peerjs/dist/peerjs.min.js');
let server: TestServer;
let browser: Browser;
let camera: BrowserContext | undefined;
const folder = tempDir('peerwatch-members-camera-');

test.beforeAll(async () => {
  server = await TestServer.start();
  browser = await launchChromium();
});

test.afterAll(async () => {
  await camera?.close();
  await browser?.close();
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** What the bare viewer page keeps on `window`. */
interface Rogue {
  streaming: boolean;
}

/** A page with the bare PeerJS client calling `cameraPeerId` with a ticket of `accessToken`; it never hangs up by itself. */
async function bareViewer(accessToken: string, cameraPeerId: string): Promise<Page> {
  const ticket = (await server.request('POST', '/api/signaling/tickets', { auth: `Bearer ${accessToken}`, body: {} })).body as SignalingTicket;
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(`${server.baseURL}/healthz`);
  await page.addScriptTag({ path: PEERJS });
  await page.evaluate(
    ({ ticket, cameraPeerId, port }) => {
      const w = window as unknown as Rogue & { Peer: new (id: string, options: object) => any };
      w.streaming = false;
      const peer = new w.Peer(ticket.peerId, { host: 'localhost', port, path: ticket.path, key: ticket.key, token: ticket.ticket, config: { iceServers: [] } });
      peer.on('open', async () => {
        const call = peer.call(cameraPeerId, await navigator.mediaDevices.getUserMedia({ video: true }));
        call.on('stream', () => (w.streaming = true));
      });
    },
    { ticket, cameraPeerId, port: server.port },
  );
  return page;
}

test('an invited viewer signs up from the link, watches only their camera, and is told at once when removed', async () => {
  const ownerEmail = `owner-${Date.now()}@example.com`;
  const guestEmail = `guest-${Date.now()}@example.com`;
  const owner = await (await browser.newContext()).newPage();
  await registerInViewer(owner, server.baseURL, ownerEmail);

  camera = await launchPersistentChromium(folder, { fakeVideo: footageY4m() });
  const cameraPage = camera.pages()[0] ?? (await camera.newPage());
  await pairByLink(owner, cameraPage);
  await expect(cameraEntry(owner, 'Camera 1').getByText('Online', { exact: true })).toBeVisible();
  // A second camera the guest is not given.
  const login = await server.request('POST', '/api/auth/login', { body: { email: ownerEmail, password: TEST_PASSWORD } });
  await pairCamera(server, login.body.accessToken, 'Back door');
  await expect(cameraEntry(owner, 'Back door')).toBeVisible();

  // The owner invites a viewer of Camera 1 only.
  await owner.getByRole('button', { name: 'Members' }).click();
  await owner.getByLabel('Role of the invited person').selectOption('viewer');
  await owner.getByRole('checkbox', { name: 'All cameras' }).uncheck();
  await owner.getByRole('checkbox', { name: 'Camera 1 for the invited person' }).check();
  await owner.getByRole('button', { name: 'Create invite link' }).click();
  const qr = owner.getByRole('img', { name: 'Invitation QR code' });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const link = (await owner.getByLabel('Invite link').textContent())!.trim();
  expect(link).toMatch(new RegExp(`^${server.baseURL}/invite#[\\w-]{43}$`));

  // The second person opens the link and creates an account: they join as a viewer of Camera 1.
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: 'You are invited to a Peerwatch household' })).toBeVisible();
  await guest.getByLabel('Email').fill(guestEmail);
  await guest.getByLabel('Password').fill(TEST_PASSWORD);
  await guest.getByRole('button', { name: 'Create account' }).click();
  await expect(guest).toHaveURL(`${server.baseURL}/viewer`);
  const entry = cameraEntry(guest, 'Camera 1');
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();
  await expect(guest.getByText('Back door')).toHaveCount(0);
  await expect(guest.getByRole('switch', { name: 'Record' })).toHaveCount(0);
  await expect(guest.getByRole('button', { name: 'Add camera' })).toHaveCount(0);
  await expect(guest.getByRole('button', { name: 'Members' })).toHaveCount(0);
  await expect(entry.getByRole('button', { name: 'Rename Camera 1' })).toHaveCount(0);

  await guest.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(guest.getByLabel('Live: Camera 1'));
  // A viewer changes nothing: the tile offers no camera controls (quality, pause…), only watching and talking.
  await expect(guest.getByRole('group', { name: 'Controls: Camera 1' })).toHaveCount(0);
  await expect(guest.getByLabel('Quality')).toHaveCount(0);
  await expect(cameraPage.getByText('1 watching')).toBeVisible();

  // A second call with the guest's session from a bare PeerJS client, which will never hang up by itself.
  const accessToken = await guest.evaluate(() => (JSON.parse(localStorage.getItem('peerwatch.session')!) as { accessToken: string }).accessToken);
  const cameraPeerId = ((await server.request('GET', '/api/devices', { auth: `Bearer ${accessToken}` })).body as Device[])[0]!.peerId;
  const rogue = await bareViewer(accessToken, cameraPeerId);
  await expect.poll(() => rogue.evaluate(() => (window as unknown as Rogue).streaming)).toBe(true);
  await expect(cameraPage.getByText('2 watching')).toBeVisible();

  // The owner sees them in Members and removes them: the camera, told by the server, hangs up both calls.
  await owner.getByRole('button', { name: 'Close' }).click();
  await owner.getByRole('button', { name: 'Members' }).click();
  await expect(owner.getByLabel(`Role of ${guestEmail}`)).toHaveValue('viewer');
  await owner.getByRole('button', { name: `Remove ${guestEmail}` }).click();
  await expect(owner.getByText(guestEmail)).toHaveCount(0);
  await expect(guest.getByRole('heading', { name: 'You no longer have access' })).toBeVisible();
  await expect(guest.getByLabel('Live: Camera 1')).toHaveCount(0);
  // PeerJS does not tell the far side of a hang-up (peerjs #636): the camera's own count shows it hung up.
  await expect(cameraPage.getByText('0 watching')).toBeVisible();

  // Signing in again, they are the owner of a household of their own, without the cameras.
  await guest.getByRole('button', { name: 'Sign in again' }).click();
  await guest.getByLabel('Email').fill(guestEmail);
  await guest.getByLabel('Password').fill(TEST_PASSWORD);
  await guest.getByRole('button', { name: 'Sign in' }).click();
  await expect(guest.getByRole('button', { name: 'Add camera' })).toBeVisible();
  await expect(cameraEntry(guest, 'Camera 1')).toHaveCount(0);
});
