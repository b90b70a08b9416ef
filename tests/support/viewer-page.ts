import { expect, type Locator, type Page } from '@playwright/test';
import { TEST_PASSWORD } from './server.js';

/**
 * Creates an account as a person would: the start page of `baseURL`, "Watch
 * cameras", then "Create account" with `email` and `TEST_PASSWORD`. Resolves
 * once the viewer shows "Add camera".
 */
export async function registerInViewer(page: Page, baseURL: string, email: string): Promise<void> {
  await page.goto(`${baseURL}/`);
  await page.getByRole('button', { name: 'Watch cameras' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Add camera' })).toBeVisible();
}

/** Opens `/viewer` of `baseURL` on `page` and signs in as `email` with `password` (resolves after the click). */
export async function signInToViewer(page: Page, baseURL: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseURL}/viewer`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The list entry of one camera on the viewer page. */
export function cameraEntry(viewer: Page, name: string): Locator {
  return viewer.getByRole('listitem').filter({ has: viewer.getByText(name, { exact: true }) });
}

/**
 * Pairs `camera` (a page in the camera's browser, of any engine) by opening
 * the pairing link the signed-in `viewer` shows under "Add camera" (the QR
 * code's URL). Resolves once the viewer said "Camera added" and was closed.
 */
export async function pairByLink(viewer: Page, camera: Page): Promise<void> {
  await viewer.getByRole('button', { name: 'Add camera' }).click();
  const url = (await viewer.getByText(/\/pair\?server=.+#/).textContent())!.trim();
  await camera.goto(url);
  await expect(viewer.getByText('Camera added')).toBeVisible();
  await viewer.getByRole('button', { name: 'Done' }).click();
}
