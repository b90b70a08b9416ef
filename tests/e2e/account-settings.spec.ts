import { test, expect, type Browser } from '@playwright/test';
import { bearer, TEST_PASSWORD, TestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import { joinHousehold } from '../support/household.js';
import { pairCamera } from '../support/recording-client.js';
import { cameraEntry, registerInViewer, signInToViewer } from '../support/viewer-page.js';

/**
 * Account settings in real Chromium: a person signed in in two browsers
 * changes their password in the Account panel of one; the other, signed in
 * before, is signed out at once (its page returns to sign-in), where the old
 * password no longer works and the new one does; then the first signs the
 * second out again from its list of sessions. A person alone in their
 * household deletes their account there, is told the household goes with
 * it, and is back at sign-in, where the account no longer exists. A
 * member leaves the household from the panel and their page follows them
 * into a household of their own at once; its last owner cannot leave.
 */
let server: TestServer;
let browser: Browser;

test.beforeAll(async () => {
  server = await TestServer.start();
  browser = await launchChromium();
});

test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const NEW_PASSWORD = 'a much better password 2';

test('changing the password in the Account panel signs out the other browser; the new password signs in', async () => {
  const email = `account-${Date.now()}@example.com`;
  const here = await (await browser.newContext()).newPage();
  const there = await (await browser.newContext()).newPage();
  await registerInViewer(here, server.baseURL, email);
  await signInToViewer(there, server.baseURL, email);
  await expect(there.getByRole('button', { name: 'Add camera' })).toBeVisible();

  await here.getByRole('button', { name: 'Account' }).click();
  const panel = here.getByRole('region', { name: 'Account' });
  const sessions = panel.getByRole('list', { name: 'Sessions' });
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await expect(sessions.getByRole('listitem').filter({ hasText: 'This device' })).toHaveCount(1);
  await expect(sessions).toContainText('Chrome');

  // A wrong current password is refused with the server's message.
  await panel.getByLabel('Current password').fill('not my password');
  await panel.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await panel.getByLabel('New password again').fill(NEW_PASSWORD);
  await panel.getByRole('button', { name: 'Change password' }).click();
  await expect(panel.getByRole('alert')).toHaveText('That is not your current password.');
  await expect(there.getByRole('button', { name: 'Add camera' })).toBeVisible();

  await panel.getByLabel('Current password').fill(TEST_PASSWORD);
  await panel.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await panel.getByLabel('New password again').fill(NEW_PASSWORD);
  await panel.getByRole('button', { name: 'Change password' }).click();
  await expect(panel.getByRole('status')).toHaveText('Your password was changed. Every other device was signed out.');

  // The other browser returns to sign-in by itself; this one stays signed in.
  await expect(there.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
  await expect(sessions.getByRole('listitem')).toHaveCount(1);
  await expect(here.getByRole('button', { name: 'Add camera' })).toBeVisible();

  // There, the old password is refused and the new one signs in.
  await there.getByLabel('Email').fill(email);
  await there.getByLabel('Password').fill(TEST_PASSWORD);
  await there.getByRole('button', { name: 'Sign in' }).click();
  await expect(there.getByRole('alert')).toHaveText('Wrong email or password.');
  await signInToViewer(there, server.baseURL, email, NEW_PASSWORD);
  await expect(there.getByRole('button', { name: 'Add camera' })).toBeVisible();

  // Signing that session out from here returns it to sign-in too.
  await panel.getByRole('button', { name: 'Close' }).click();
  await here.getByRole('button', { name: 'Account' }).click();
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await sessions.getByRole('button', { name: /^Sign out / }).click();
  await expect(there.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
  await expect(sessions.getByRole('listitem')).toHaveCount(1);
});

test('deleting the account in the Account panel: it says the household goes with it, asks the password, and returns to sign-in', async () => {
  const email = `alone-${Date.now()}@example.com`;
  const page = await (await browser.newContext()).newPage();
  await registerInViewer(page, server.baseURL, email);
  await page.getByRole('button', { name: 'Account' }).click();
  const deletion = page.getByRole('form', { name: 'Delete my account' });
  await expect(deletion).toContainText('You are the only person in this household, so it goes with your account');

  await deletion.getByLabel('Your password, to confirm').fill('not my password');
  await deletion.getByRole('button', { name: 'Delete my account' }).click();
  await expect(deletion.getByRole('alert')).toHaveText('That is not your current password.');

  await deletion.getByLabel('Your password, to confirm').fill(TEST_PASSWORD);
  await deletion.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
});

test('a member leaves the household from the Account panel: their page shows a household of their own at once; the last owner cannot leave', async () => {
  const owner = await server.register();
  await pairCamera(server, owner.accessToken, 'Porch');
  const member = await joinHousehold(server, owner, 'member');
  const page = await (await browser.newContext()).newPage();
  await signInToViewer(page, server.baseURL, member.user.email);
  await expect(cameraEntry(page, 'Porch')).toBeVisible();

  await page.getByRole('button', { name: 'Account' }).click();
  const leaving = page.getByRole('group', { name: 'Leave this household' });
  await expect(leaving).toContainText('You stop seeing its cameras');
  await leaving.getByRole('button', { name: 'Leave household' }).click();
  await expect(leaving.getByRole('status')).toHaveText('You left the household. You now have a household of your own: add a camera to start.');
  await expect(cameraEntry(page, 'Porch')).toHaveCount(0);
  await expect(page.getByText('No cameras yet.')).toBeVisible();
  // As the owner of their own household now, they may add cameras and manage people.
  await expect(page.getByRole('button', { name: 'Add camera' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Members' })).toBeVisible();
  const members = (await server.request('GET', '/api/members', { auth: bearer(owner) })).body as { email: string }[];
  expect(members.map((m) => m.email)).toEqual([owner.user.email]);

  // The household's only owner, with a member in it, is told to hand over first.
  await joinHousehold(server, owner, 'member');
  const ownerPage = await (await browser.newContext()).newPage();
  await signInToViewer(ownerPage, server.baseURL, owner.user.email);
  await ownerPage.getByRole('button', { name: 'Account' }).click();
  const ownerLeaving = ownerPage.getByRole('group', { name: 'Leave this household' });
  await expect(ownerLeaving).toContainText('You are the household’s only owner');
  await expect(ownerLeaving.getByRole('button', { name: 'Leave household' })).toBeDisabled();
});
