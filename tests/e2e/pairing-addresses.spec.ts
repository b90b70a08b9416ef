import { rmSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import type { Device, Pairing } from '../../protocol/index.js';
import { TestServer } from '../support/server.js';
import { launchPersistentChromium } from '../support/browser.js';
import { stillToY4m, tempDir } from '../support/media.js';

/**
 * Pairing by QR code when the camera reached the server by another address
 * than the one the code names: real server processes, a real headless
 * Chromium camera whose fake capture device shows the QR code.
 */

const servers: TestServer[] = [];
const cameras: BrowserContext[] = [];
const folders: string[] = [];

test.afterEach(async () => {
  for (const context of cameras.splice(0)) await context.close();
  for (const server of servers.splice(0)) await server.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function startServer(env?: Record<string, string>): Promise<TestServer> {
  const server = await TestServer.start({ env });
  servers.push(server);
  return server;
}

function newFolder(prefix: string): string {
  const folder = tempDir(prefix);
  folders.push(folder);
  return folder;
}

/** A new account on `server` and a pairing made by it, as the viewer's "Add camera" makes one. */
async function pairingOn(server: TestServer): Promise<{ accessToken: string; pairing: Pairing }> {
  const { accessToken } = await server.register();
  const res = await server.request('POST', '/api/pairings', { auth: `Bearer ${accessToken}`, body: { name: 'Camera 1' } });
  expect(res.status).toBe(201);
  return { accessToken, pairing: res.body as Pairing };
}

/** A camera browser whose fake camera sees nothing but the QR code of `url`, on `pageUrl`. */
async function cameraSeeing(url: string, pageUrl: string): Promise<Page> {
  const png = path.join(newFolder('peerwatch-qr-'), 'pairing-qr.png');
  await QRCode.toFile(png, url, { width: 400, margin: 2 });
  const context = await launchPersistentChromium(newFolder('peerwatch-camera-'), { fakeVideo: stillToY4m(png) });
  cameras.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pageUrl);
  return page;
}

async function devicesOf(server: TestServer, accessToken: string): Promise<Device[]> {
  return (await server.request('GET', '/api/devices', { auth: `Bearer ${accessToken}` })).body as Device[];
}

test('a camera pairs with a code that names another address of the same server', async () => {
  // Bound to every interface: a viewer on plain HTTP gets a link to the LAN HTTPS address (where there is one).
  const server = await startServer({ HOST: '0.0.0.0' });
  const { accessToken, pairing } = await pairingOn(server);
  const cameraOrigin = `http://127.0.0.1:${server.port}`;
  expect(new URL(pairing.url).origin).not.toBe(cameraOrigin);

  const camera = await cameraSeeing(pairing.url, `${cameraOrigin}/camera`);
  await expect(camera.getByRole('heading', { name: 'Camera 1' })).toBeVisible({ timeout: 30_000 });
  expect(new URL(camera.url()).origin).toBe(cameraOrigin);
  expect((await devicesOf(server, accessToken)).map((d) => d.name)).toEqual(['Camera 1']);
});

test('a code of another server offers to open it there, and the camera pairs with that server', async () => {
  const here = await startServer();
  const there = await startServer();
  const { accessToken, pairing } = await pairingOn(there);
  const thereOrigin = new URL(pairing.url).origin;
  expect(thereOrigin).toBe(there.baseURL);

  const camera = await cameraSeeing(pairing.url, `${here.baseURL}/camera`);
  const alert = camera.getByRole('alert');
  await expect(alert).toContainText(`This pairing code belongs to another Peerwatch server, at ${thereOrigin}.`, {
    timeout: 30_000,
  });
  await camera.getByRole('button', { name: `Pair with ${thereOrigin}` }).click();
  await expect(camera.getByRole('heading', { name: 'Camera 1' })).toBeVisible();
  expect(camera.url()).toBe(`${thereOrigin}/camera`);
  expect((await devicesOf(there, accessToken)).map((d) => d.name)).toEqual(['Camera 1']);
  expect((await here.request('GET', '/api/devices')).status).toBe(401);
});
