import { test, expect, type Browser } from '@playwright/test';
import { TEST_PASSWORD, TestServer } from '../support/server.js';
import { pairCamera } from '../support/recording-client.js';
import { launchChromium } from '../support/browser.js';
import { registerInViewer } from '../support/viewer-page.js';

/**
 * The server confirms only names it stores exactly, and counts their length
 * in code points; the viewer's rename form counts the same way.
 */

let server: TestServer;
let browser: Browser | undefined;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off' } });
});
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('names that are not well-formed Unicode are refused; 60 emoji fit, 61 do not; what is confirmed is stored', async () => {
  const owner = await server.register();
  const auth = `Bearer ${owner.accessToken}`;
  const camera = await pairCamera(server, owner.accessToken, 'Porch');
  const rename = (name: string) => server.request('PATCH', `/api/devices/${camera.deviceId}`, { auth, body: { name } });
  const storedName = async () => (await server.request('GET', '/api/devices', { auth })).body[0].name as string;

  for (const name of ['\ud800', 'Garden \udfff', '\udc00\ud83d']) {
    const res = await rename(name);
    expect(res).toEqual({ status: 400, body: { error: { code: 'invalid_body', message: expect.stringMatching(/^name: /) } } });
    expect(await storedName()).toBe('Porch');
  }
  const pairing = await server.request('POST', '/api/pairings', { auth, body: { name: 'x\ud800' } });
  expect(pairing.status).toBe(400);

  const sixtyEmoji = '📷'.repeat(60);
  const ok = await rename(sixtyEmoji);
  expect(ok.status).toBe(200);
  expect(ok.body.name).toBe(sixtyEmoji);
  expect(await storedName()).toBe(sixtyEmoji);
  expect((await rename('📷'.repeat(61))).status).toBe(400);
  expect(await storedName()).toBe(sixtyEmoji);
});

test('the rename form takes a 60-emoji name and refuses 61, as the server does', async () => {
  browser = await launchChromium();
  const page = await (await browser.newContext()).newPage();
  const email = `names-${Math.random().toString(16).slice(2)}@example.com`;
  await registerInViewer(page, server.baseURL, email);
  const login = await server.request('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } });
  await pairCamera(server, login.body.accessToken, 'Porch');

  const sixtyEmoji = '📷'.repeat(60);
  await page.getByRole('button', { name: 'Rename Porch' }).click();
  await page.getByLabel('Camera name').fill(sixtyEmoji);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: `Rename ${sixtyEmoji}` })).toBeVisible();

  await page.getByRole('button', { name: `Rename ${sixtyEmoji}` }).click();
  await page.getByLabel('Camera name').fill(`${sixtyEmoji}📷`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('The camera name must be at most 60 characters.');
  const stored = await server.request('GET', '/api/devices', { auth: `Bearer ${login.body.accessToken}` });
  expect(stored.body[0].name).toBe(sixtyEmoji);
});
