import { expect, type Page } from '@playwright/test';
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

/** Opens `/viewer` of `baseURL` on `page` and signs in as `email` with `TEST_PASSWORD` (resolves after the click). */
export async function signInToViewer(page: Page, baseURL: string, email: string): Promise<void> {
  await page.goto(`${baseURL}/viewer`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
