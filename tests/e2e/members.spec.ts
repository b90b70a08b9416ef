import { rmSync } from 'node:fs';
import { test, expect, type Browser, type BrowserContext } from '@playwright/test';
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
 * switch, no Add camera) and watches it live; the owner removes them and
 * their page says they no longer have access, the camera hangs up.
 */
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
  await expect(cameraPage.getByText('1 watching')).toBeVisible();

  // The owner sees them in Members and removes them: the guest's page says so, and the call ends.
  await owner.getByRole('button', { name: 'Close' }).click();
  await owner.getByRole('button', { name: 'Members' }).click();
  await expect(owner.getByLabel(`Role of ${guestEmail}`)).toHaveValue('viewer');
  await owner.getByRole('button', { name: `Remove ${guestEmail}` }).click();
  await expect(owner.getByText(guestEmail)).toHaveCount(0);
  await expect(guest.getByRole('heading', { name: 'You no longer have access' })).toBeVisible();
  await expect(guest.getByLabel('Live: Camera 1')).toHaveCount(0);
  await expect(cameraPage.getByText('0 watching')).toBeVisible();

  // Signing in again, they are the owner of a household of their own, without the cameras.
  await guest.getByRole('button', { name: 'Sign in again' }).click();
  await guest.getByLabel('Email').fill(guestEmail);
  await guest.getByLabel('Password').fill(TEST_PASSWORD);
  await guest.getByRole('button', { name: 'Sign in' }).click();
  await expect(guest.getByRole('button', { name: 'Add camera' })).toBeVisible();
  await expect(cameraEntry(guest, 'Camera 1')).toHaveCount(0);
});
