import { test, expect, type Browser } from '@playwright/test';
import type { MotionEventWrite } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { footageFile, stillMotionStill } from '../support/motion-footage.js';
import { newEventId, pairCamera, type PairedCamera } from '../support/recording-client.js';
import { TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * The viewer's Events view over a real server: filters by camera, kind and
 * day, more events loading as the list is scrolled to its end (cursor pages),
 * and a live tile's "Motion" badge while the camera it shows has an event open.
 */

let server: TestServer;
let viewerBrowser: Browser;
let cameraBrowser: Browser | undefined;

test.beforeAll(async () => {
  server = await TestServer.start();
  viewerBrowser = await launchChromium();
});

test.afterAll(async () => {
  await cameraBrowser?.close();
  await viewerBrowser?.close();
  await server?.stop();
});

const DAY_MS = 24 * 60 * 60_000;

async function putEvent(camera: PairedCamera, body: MotionEventWrite): Promise<void> {
  const res = await server.request('PUT', `/api/events/${newEventId()}`, { auth: camera.auth, body });
  expect(res.status).toBe(201);
}

test('filters by camera, kind and day, and loads older events as the list is scrolled to its end', async () => {
  const user = await server.register();
  const hall = await pairCamera(server, user.accessToken, 'Hall');
  const garden = await pairCamera(server, user.accessToken, 'Garden');
  // Today at noon (local time), 70 events of the hall a minute apart, 5 of them persons; yesterday 3 of the garden.
  const noon = new Date();
  noon.setHours(12, 0, 0, 0);
  const box = { x: 0.1, y: 0.1, width: 0.3, height: 0.5 };
  for (let i = 0; i < 70; i++) {
    const startedAtMs = noon.getTime() - i * 60_000;
    await putEvent(hall, { kind: i % 14 === 0 ? 'person' : 'motion', startedAtMs, endedAtMs: startedAtMs + 20_000, score: 0.3, box });
  }
  for (let i = 0; i < 3; i++) {
    const startedAtMs = noon.getTime() - DAY_MS - i * 60_000;
    await putEvent(garden, { kind: 'motion', startedAtMs, endedAtMs: startedAtMs + 10_000, score: 0.2, box });
  }

  const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);
  await viewer.getByRole('button', { name: 'Events', exact: true }).click();
  const items = viewer.getByRole('list', { name: 'Events' }).getByRole('listitem');
  await expect(items).toHaveCount(50);
  // Scrolled to the end: the next page comes, then the last.
  await items.last().scrollIntoViewIfNeeded();
  await expect(items).toHaveCount(73);
  await expect(viewer.getByRole('button', { name: 'Show older events' })).toBeHidden();
  await expect(items.last().getByText('Garden', { exact: true })).toBeVisible();

  const events = viewer.getByRole('region', { name: 'Events' });
  await events.getByLabel('Camera').selectOption({ label: 'Garden' });
  await expect(items).toHaveCount(3);
  await events.getByLabel('Camera').selectOption({ label: 'All cameras' });
  await events.getByLabel('Kind').selectOption({ label: 'Person' });
  await expect(items).toHaveCount(5);
  await expect(items.getByText('Person', { exact: true })).toHaveCount(5);
  await events.getByLabel('Kind').selectOption({ label: 'All kinds' });
  const yesterday = new Date(noon.getTime() - DAY_MS);
  const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  await events.getByLabel('Day').fill(ymd(yesterday));
  await expect(items).toHaveCount(3);
  await expect(items.getByText('Garden', { exact: true })).toHaveCount(3);
  await events.getByLabel('Kind').selectOption({ label: 'Person' });
  await expect(viewer.getByText('No events match these filters.')).toBeVisible();
});

test('a live tile shows "Motion", then "Person" once one is found, while the camera it shows has an event open', async () => {
  const user = await server.register();
  cameraBrowser = await launchChromium({ fakeVideo: footageFile(stillMotionStill(6, 6, 40), 320, 240) });
  const camera = await (await cameraBrowser.newContext()).newPage();
  await pairCameraPage(server, user.accessToken, camera, 'Porch');
  const viewer = await (await viewerBrowser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signInToViewer(viewer, server.baseURL, user.user.email);
  await viewer.getByRole('button', { name: 'Watch Porch' }).click();
  const status = viewer.getByRole('status', { name: 'Motion: Porch' });
  // "Motion" from the event's start; the footage's people soon make it "Person" (detection is on by default).
  const badge = status.getByText(/^(Motion|Person)$/);
  await expect(badge).toBeVisible({ timeout: 30_000 });
  await expect(status.getByText('Person', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(badge).toBeHidden({ timeout: 40_000 });
  const res = await server.request('GET', '/api/events', { auth: `Bearer ${user.accessToken}` });
  expect(res.body.events[0]).toMatchObject({ kind: 'person', endedAtMs: expect.any(Number) });
});
