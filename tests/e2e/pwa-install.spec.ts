import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { launchFirefox, launchPersistentChromium, type Engine, type LaunchOptions } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { expectMovingPictures } from '../support/live-video.js';
import { footageY4m, tempDir } from '../support/media.js';
import { registerInViewer } from '../support/viewer-page.js';

/**
 * The installable, offline-first PWA: web app manifest and icons as Chromium
 * judges them, the service worker (`/sw.js`) controlling the page, the viewer
 * and a paired camera reloaded with no network, and a new version waiting
 * behind "Update available — Reload". Real server process, the built app
 * (`npm run build`), real Chromium on a real profile folder (installability
 * is not judged in incognito contexts), real Cache Storage and IndexedDB; the
 * camera's offline reload runs in Firefox too.
 */

const DIST = path.resolve(import.meta.dirname, '../../dist');

let server: TestServer;
const contexts: BrowserContext[] = [];
const folders: string[] = [];
const browsers: Browser[] = [];

test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off' } });
});

test.afterAll(async () => {
  await server?.stop();
});

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  for (const browser of browsers.splice(0)) await browser.close();
});

function newFolder(prefix: string): string {
  const folder = tempDir(prefix);
  folders.push(folder);
  return folder;
}

/** Chromium on a fresh profile folder (or Firefox, with a fresh context); its first page. */
async function launchApp(
  options: LaunchOptions = {},
  engine: Engine = 'chromium',
): Promise<{ context: BrowserContext; page: Page }> {
  let context: BrowserContext;
  if (engine === 'firefox') {
    const browser = await launchFirefox();
    browsers.push(browser);
    context = await browser.newContext();
  } else {
    context = await launchPersistentChromium(newFolder('peerwatch-pwa-profile-'), options);
  }
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Waits until the service worker is active and controls `page`. @returns its script URL. */
async function controlledBy(page: Page): Promise<string> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
}

/** Width and height of a PNG, from its IHDR chunk (PNG spec §11.2.2). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function fetchBytes(url: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

test('Chromium finds the app installable: manifest, icons, theme colour, service worker', async () => {
  const { context, page } = await launchApp();
  await page.goto(`${server.baseURL}/`);
  expect(await controlledBy(page)).toBe(`${server.baseURL}/sw.js`);

  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  const { url, errors, data } = await cdp.send('Page.getAppManifest');
  expect(url).toBe(`${server.baseURL}/manifest.webmanifest`);
  expect(errors).toEqual([]);
  const manifest = JSON.parse(data!) as Record<string, unknown> & { icons: ManifestIcon[] };
  expect(manifest).toMatchObject({
    name: 'Peerwatch',
    short_name: 'Peerwatch',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: '#0f766e',
    background_color: expect.stringMatching(/^#[0-9a-f]{6}$/),
    description: expect.stringContaining('camera'),
  });

  // Every PNG icon is served as a PNG of the size it declares; 192 and 512 px exist for both purposes.
  const pngIcons = manifest.icons.filter((icon) => icon.type === 'image/png');
  for (const icon of pngIcons) {
    const { status, type, bytes } = await fetchBytes(new URL(icon.src, server.baseURL).href);
    expect(status, icon.src).toBe(200);
    expect(type).toBe('image/png');
    const [width, height] = icon.sizes.split('x').map(Number);
    expect(pngSize(bytes), icon.src).toEqual({ width, height });
  }
  const declared = pngIcons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort();
  expect(declared).toEqual(['192x192 any', '192x192 maskable', '512x512 any', '512x512 maskable']);

  // The page head: theme colour and the home-screen icon for iOS.
  expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#0f766e');
  const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  expect(pngSize((await fetchBytes(new URL(touchIcon!, server.baseURL).href)).bytes)).toEqual({ width: 180, height: 180 });

  // The worker script is always revalidated, so a new version is seen on the next check.
  const sw = await fetch(`${server.baseURL}/sw.js`);
  expect(sw.headers.get('cache-control')).toBe('no-cache');
  expect(sw.headers.get('content-type')).toMatch(/^text\/javascript/);

  await expect(page.getByRole('button', { name: 'Watch cameras' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('start-page.png') });
});

test('with no network a signed-in viewer reloads into the viewer; API answers are never cached', async () => {
  const { context, page } = await launchApp();
  await page.setViewportSize({ width: 1024, height: 720 });
  const email = `offline-${Math.random().toString(16).slice(2)}@example.com`;
  await registerInViewer(page, server.baseURL, email);
  await controlledBy(page);

  await context.setOffline(true);
  await page.reload();
  expect(new URL(page.url()).pathname).toBe('/viewer');
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'You are offline.' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText(
    'The server cannot be reached. The cameras show as soon as it can be; trying again.',
  );
  await page.screenshot({ path: test.info().outputPath('viewer-offline.png') });

  // Offline, the API fails as it should instead of answering from a cache…
  const apiOffline = await page.evaluate(() =>
    fetch('/api/devices').then(
      (res) => `answered ${res.status}`,
      () => 'network error',
    ),
  );
  expect(apiOffline).toBe('network error');
  // …and nothing from /api/ or /peerjs/ was ever stored in Cache Storage.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cached).toContain('/index.html');
  expect(cached.filter((url) => /^\/(api|peerjs)\//.test(url))).toEqual([]);
  // The lazily loaded libraries are precached too, so the pairing scanner, the player and the WebCodecs
  // recorder work offline.
  expect(cached.some((url) => /^\/assets\/qr-scanner-.*\.js$/.test(url))).toBe(true);
  expect(cached.some((url) => /^\/assets\/hls-.*\.js$/.test(url))).toBe(true);
  expect(cached.some((url) => /^\/assets\/webcodecs-recorder-.*\.js$/.test(url))).toBe(true);

  // Back online, the viewer loads its cameras by itself.
  await context.setOffline(false);
  await expect(page.getByText('No cameras yet.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('You are offline.')).toBeHidden();
});

for (const engine of ['chromium', 'firefox'] as const) {
  test(`with no network a paired camera in ${engine} reloads into camera mode with its preview, and connects when the network returns`, async () => {
    const { context, page } = await launchApp({ fakeVideo: footageY4m() }, engine);
    const session = await server.register();
    const { deviceId } = await pairCameraPage(server, session.accessToken, page, 'Porch');
    await expect(page.getByText('Ready for viewers')).toBeVisible();
    await controlledBy(page);

    await context.setOffline(true);
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/camera');
    await expect(page.getByRole('heading', { name: 'Porch' })).toBeVisible();
    await expectMovingPictures(page.getByLabel('Camera preview'));
    await expect(page.getByText('Ready for viewers')).toBeHidden();
    await expect(page.getByText('You are offline.')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`camera-offline-${engine}.png`) });
    const onlineWhileOffline = await server.request('GET', '/api/devices', { auth: `Bearer ${session.accessToken}` });
    expect(onlineWhileOffline.body.find((d: { id: string }) => d.id === deviceId).online).toBe(false);

    await context.setOffline(false);
    await expect(page.getByText('Ready for viewers')).toBeVisible({ timeout: 20_000 });
    await expect
      .poll(async () => {
        const res = await server.request('GET', '/api/devices', { auth: `Bearer ${session.accessToken}` });
        return res.body.find((d: { id: string }) => d.id === deviceId).online;
      })
      .toBe(true);
  });
}

/**
 * Puts a new version of the app into `publicDir`, as a deploy of a rebuild
 * would: a changed `index.html` (marked with `version`) and a `sw.js` whose
 * precache list carries the new file's revision (workbox-build: MD5 of the
 * file's bytes), so the worker script itself changes.
 */
function deployNewVersion(publicDir: string, version: string): void {
  const indexFile = path.join(publicDir, 'index.html');
  const html = readFileSync(indexFile, 'utf8').replace(
    '</head>',
    `  <meta name="peerwatch-test-version" content="${version}" />\n  </head>`,
  );
  const swFile = path.join(publicDir, 'sw.js');
  const sw = readFileSync(swFile, 'utf8');
  const entry = /"revision":"([0-9a-f]{32})","url":"index\.html"/;
  expect(sw).toMatch(entry);
  const revision = createHash('md5').update(html).digest('hex');
  writeFileSync(indexFile, html);
  writeFileSync(swFile, sw.replace(entry, `"revision":"${revision}","url":"index.html"`));
}

test('a new version waits behind "Update available — Reload" and takes over only when Reload is pressed', async () => {
  const publicDir = newFolder('peerwatch-public-');
  cpSync(DIST, publicDir, { recursive: true });
  const deployed = await TestServer.start({ env: { HTTPS: 'off', PUBLIC_DIR: publicDir } });
  try {
    const { page } = await launchApp();
    await page.setViewportSize({ width: 800, height: 600 });
    const version = page.locator('meta[name="peerwatch-test-version"]');
    await page.goto(`${deployed.baseURL}/`);
    await controlledBy(page);
    await expect(page.getByRole('button', { name: 'Reload' })).toHaveCount(0);

    deployNewVersion(publicDir, 'v2');
    // A navigation makes the browser check /sw.js; the new worker installs and waits.
    await page.reload();
    const banner = page.getByRole('status').filter({ hasText: 'Update available' });
    await expect(banner).toBeVisible();
    await expect(banner.getByRole('button', { name: 'Reload' })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('update-banner.png') });

    // Not swapped by itself: another reload still runs the old version, and asks again.
    await page.reload();
    await expect(banner).toBeVisible();
    await expect(version).toHaveCount(0);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);

    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(version).toHaveAttribute('content', 'v2');
    await expect(page.getByText('Update available')).toHaveCount(0);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await expect(page.getByRole('button', { name: 'Watch cameras' })).toBeVisible();
  } finally {
    await deployed.stop();
  }
});
