import { readFileSync } from 'node:fs';
import { setTimeout } from 'node:timers/promises';
import { test, expect } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import type { AuditEvent, AuditPage } from '../../protocol/index.js';
import { expectMovingPictures } from '../support/live-video.js';
import {
  openViewerRecordings,
  recordSwitch,
  startRecordingRig,
  stopRecordingRig,
  waitForEmptyQueue,
  type RecordingRig,
} from '../support/recording-rig.js';

/**
 * The audit log of a real session: a real server, a camera page in headless
 * Chromium (its fake camera plays real footage) that records, and the
 * owner's viewer page in another Chromium, which signs in, watches the camera
 * live over real WebRTC for about 5 s, hangs up, plays and downloads a
 * recording. The owner's "Audit log" panel then shows those rows with the
 * right person, camera and live-view duration, and its CSV export holds the
 * same rows as the API.
 */
const CAMERA = 'Hall';

let rig: RecordingRig;
test.beforeAll(async () => {
  rig = await startRecordingRig(CAMERA);
});
test.afterAll(() => stopRecordingRig(rig));

async function auditRows(): Promise<AuditEvent[]> {
  const res = await rig.server.request('GET', '/api/audit?limit=200', { auth: `Bearer ${rig.user.accessToken}` });
  expect(res.status).toBe(200);
  return (res.body as AuditPage).events;
}

test('sign-in, 5 s live, hang-up, play and download show in the owner’s Audit log with person, camera and duration; the CSV matches', async ({}, testInfo) => {
  const { camera, deviceId, user } = rig;
  // A recording to play and download.
  await recordSwitch(camera).check();
  await setTimeout(5_000);
  await recordSwitch(camera).uncheck();
  await waitForEmptyQueue(camera);

  // The owner signs in through the viewer page.
  const { viewer } = await openViewerRecordings(rig, CAMERA);
  const userAgent = await viewer.evaluate(() => navigator.userAgent);

  // Live for about 5 s, then hang up.
  const watchAtMs = Date.now();
  await viewer.getByRole('button', { name: `Watch ${CAMERA}` }).click();
  await expectMovingPictures(viewer.getByLabel(`Live: ${CAMERA}`));
  await setTimeout(Math.max(0, watchAtMs + 5_000 - Date.now()));
  await viewer.getByRole('button', { name: 'Hang up' }).click();
  const watchedMs = Date.now() - watchAtMs;
  await expect(viewer.getByLabel(`Live: ${CAMERA}`)).toHaveCount(0);

  // Play the recording, then download it.
  const recordings = viewer.getByRole('region', { name: /^Recordings/ });
  await recordings.getByRole('button', { name: /^Play recording / }).first().click();
  await expect.poll(() => recordings.locator('video').evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(0.5);
  const [recording] = await Promise.all([viewer.waitForEvent('download'), recordings.getByRole('button', { name: 'Download' }).click()]);
  await recording.path();

  // What the server logged.
  await expect.poll(async () => (await auditRows()).map((e) => e.kind)).toContain('live-view-ended');
  const rows = await auditRows();
  const one = (kind: AuditEvent['kind']) => {
    const found = rows.filter((e) => e.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0]!;
  };
  const person = { kind: 'user', userId: user.user.id, email: user.user.email, tokenId: null };
  expect(one('sign-in')).toMatchObject({ actor: person, address: '127.0.0.1', userAgent });
  expect(one('camera-paired')).toMatchObject({ actor: { kind: 'device' }, deviceId, details: { cameraName: CAMERA } });
  expect(one('live-view-started')).toMatchObject({ actor: person, deviceId, userAgent });
  const ended = one('live-view-ended');
  expect(ended).toMatchObject({ actor: person, deviceId, details: { cameraName: CAMERA, endedBy: 'hang-up' } });
  const durationMs = ended.details.durationMs as number;
  testInfo.annotations.push({ type: 'live view', description: `watched ${watchedMs} ms, logged ${durationMs} ms` });
  expect(durationMs).toBeGreaterThanOrEqual(4_000);
  expect(Math.abs(durationMs - watchedMs)).toBeLessThan(1_500);
  expect(one('recording-played')).toMatchObject({ actor: person, deviceId });
  expect(one('recording-downloaded')).toMatchObject({ actor: person, deviceId });

  // The owner's Audit log panel shows them.
  await viewer.getByRole('button', { name: 'Audit log' }).click();
  const table = viewer.getByRole('table', { name: 'Audit log' });
  const row = (what: string) => table.getByRole('row').filter({ hasText: what });
  const seconds = `${Math.round(durationMs / 1000)} s`;
  await expect(row('Stopped watching live')).toHaveCount(1);
  for (const cell of [user.user.email, 'Stopped watching live', CAMERA, seconds]) {
    await expect(row('Stopped watching live').getByRole('cell', { name: cell, exact: true })).toHaveCount(1);
  }
  for (const what of ['Signed in', 'Started watching live', 'Played a recording', 'Downloaded a recording']) {
    await expect(row(what).getByRole('cell', { name: user.user.email, exact: true }), what).toHaveCount(1);
  }
  await expect(row('Downloaded a recording').getByRole('cell', { name: CAMERA, exact: true })).toHaveCount(1);
  await expect(row('Camera paired').getByRole('cell', { name: 'The camera', exact: true })).toHaveCount(1);
  await viewer.screenshot({ path: testInfo.outputPath('audit-log.png'), fullPage: true });

  // A filter narrows the list; the CSV export of that filter holds the same rows as the API.
  const panel = viewer.getByRole('region', { name: 'Audit log' });
  await panel.getByRole('combobox', { name: 'Camera', exact: true }).selectOption({ label: CAMERA });
  await expect(table.getByRole('row').filter({ hasText: 'Signed in' })).toHaveCount(0);
  const [csv] = await Promise.all([viewer.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^peerwatch-audit-\d{4}-\d\d-\d\d\.csv$/);
  const lines = parse(readFileSync(await csv.path(), 'utf8'), { columns: true }) as Record<string, string>[];
  const ofCamera = (await auditRows()).filter((e) => e.deviceId === deviceId);
  expect(lines.map((l) => [l.id, l.kind, l.email, l.deviceId, l.durationMs])).toEqual(
    ofCamera.map((e) => [e.id, e.kind, e.actor.email ?? '', e.deviceId, typeof e.details.durationMs === 'number' ? String(e.details.durationMs) : '']),
  );
  await expect(table.getByRole('row')).toHaveCount(ofCamera.length + 1);
});
