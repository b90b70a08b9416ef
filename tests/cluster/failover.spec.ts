import { test, expect } from '@playwright/test';
import { pairCameraPage } from '../support/camera-page.js';
import { useClusterRig } from '../support/cluster-rig.js';
import { expectMovingPictures } from '../support/live-video.js';
import { expectServerHasEveryChunk } from '../support/recording-checks.js';
import { recordingState, waitForEmptyQueue } from '../support/recording-rig.js';
import { bearer, type TestServer } from '../support/server.js';
import { cameraEntry } from '../support/viewer-page.js';

/**
 * Two instances behind haproxy (tests/support/cluster.ts) lose an instance
 * to SIGKILL, and lose Redis for 10 s: cameras and viewers go on.
 */

const METRICS_TOKEN = 'cluster-metrics';
const rig = useClusterRig({ instances: 2, env: { METRICS_TOKEN } });

/** How many signaling sockets an instance holds (its `peerwatch_signaling_sockets` metric). */
async function signalingSockets(server: TestServer): Promise<number> {
  const res = await fetch(`${server.baseURL}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return Number(/^peerwatch_signaling_sockets (\d+)$/m.exec(await res.text())![1]);
}

test('an instance killed with SIGKILL: its recording camera moves through haproxy to the other, is watched there within 10 s, loses no chunk', async () => {
  const { cluster } = rig;
  const user = await cluster.instance(1).register();
  const camera = await rig.launchCamera();
  const { deviceId } = await pairCameraPage(cluster.instance(1), user.accessToken, camera.page, 'Camera 1', cluster.haproxy.baseURL);
  // The instance haproxy gave the camera's signaling socket to, and the other one.
  await expect.poll(async () => (await Promise.all(cluster.instances.map(signalingSockets))).reduce((a, b) => a + b)).toBe(1);
  const holderIndex = (await Promise.all(cluster.instances.map(signalingSockets))).indexOf(1);
  const [holder, survivor] = [cluster.instances[holderIndex]!, cluster.instances[1 - holderIndex]!];
  const viewer = await rig.openViewer(survivor, user.user.email);
  const entry = cameraEntry(viewer, 'Camera 1');
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();

  const recording = (enabled: boolean) =>
    survivor.request('PUT', `/api/devices/${deviceId}/recording`, { auth: bearer(user), body: { enabled } });
  expect((await recording(true)).status).toBe(200);
  await expect(recordingState(camera.page, 'Recording')).toBeVisible();
  await expect.poll(() => camera.log.chunks.length, { timeout: 20_000 }).toBeGreaterThan(2);

  await holder.stop('SIGKILL');
  const killedAtMs = Date.now();
  // The camera's socket is on the survivor now (beside the viewer's), and the viewer can watch it.
  await expect.poll(() => signalingSockets(survivor), { timeout: 10_000 }).toBe(2);
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  const live = viewer.getByLabel('Live: Camera 1');
  await expect.poll(() => live.evaluate((el: HTMLVideoElement) => el.videoWidth), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(Date.now() - killedAtMs).toBeLessThan(10_000);
  await expectMovingPictures(live);

  // Chunks go on through the survivor; every one recorded is stored whole in the bucket, none twice.
  const chunksAtKill = camera.log.chunks.length;
  await expect.poll(() => camera.log.chunks.length, { timeout: 20_000 }).toBeGreaterThan(chunksAtKill + 2);
  expect((await recording(false)).status).toBe(200);
  await expect(recordingState(camera.page, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(camera.page);
  const recordingIds = camera.log.recordings.map((r) => r.id);
  await expectServerHasEveryChunk(survivor, user.accessToken, { log: camera.log, deviceId }, recordingIds, cluster.s3.recordingChunks());

  // Started again, the killed instance comes back into haproxy's rotation.
  const backUp = `Server peerwatch/peerwatch${holderIndex + 1} is UP`;
  const timesUp = () => cluster.haproxy.log.split('\n').filter((line) => line.startsWith(backUp)).length;
  const upBefore = timesUp();
  await holder.startAgain();
  await expect.poll(timesUp, { timeout: 10_000 }).toBeGreaterThan(upBefore);
  await viewer.context().close();
});

test('Redis away for 10 s: each instance serves its own sockets, says so on /healthz and in its log, and recovers without a restart', async () => {
  const { cluster } = rig;
  const [one, two] = [cluster.instance(1), cluster.instance(2)];
  const user = await one.register();
  const camera = await rig.launchCamera();
  await pairCameraPage(one, user.accessToken, camera.page, 'Camera 1');
  const sameInstance = await rig.openViewer(one, user.user.email);
  const otherInstance = await rig.openViewer(two, user.user.email);
  await expect(cameraEntry(otherInstance, 'Camera 1').getByText('Online', { exact: true })).toBeVisible();

  const upLines = (n: number) => cluster.loggedMessages(n).filter((msg) => msg === 'redis connection is up').length;
  const upsBefore = [upLines(1), upLines(2)];
  await cluster.whileRedisDown(async () => {
    const stoppedAtMs = Date.now();
    for (const [n, server] of [one, two].entries()) {
      await expect.poll(async () => (await server.request('GET', '/healthz')).status, { timeout: 5_000 }).toBe(503);
      expect((await server.request('GET', '/healthz')).body).toMatchObject({ ok: false, redis: 'down' });
      expect(cluster.loggedMessages(n + 1).some((msg) => msg.startsWith('redis connection lost'))).toBe(true);
    }
    // Both out of haproxy's rotation; haproxy still serves through any instance that is up.
    await expect.poll(() => cluster.haproxy.log, { timeout: 10_000 }).toContain('Server peerwatch/peerwatch2 is DOWN');
    await expect.poll(() => cluster.haproxy.log).toContain('Server peerwatch/peerwatch1 is DOWN');
    expect((await fetch(`${cluster.haproxy.baseURL}/api/server`)).status).toBe(200);
    // A viewer on the camera's own instance calls it and watches.
    await sameInstance.getByRole('button', { name: 'Watch Camera 1' }).click();
    await expectMovingPictures(sameInstance.getByLabel('Live: Camera 1'));
    await sameInstance.getByRole('button', { name: 'Hang up' }).click();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - stoppedAtMs))));
  });

  for (const [n, server] of [one, two].entries()) {
    await expect.poll(async () => (await server.request('GET', '/healthz')).status, { timeout: 15_000 }).toBe(200);
    expect((await server.request('GET', '/healthz')).body).toEqual({ ok: true, redis: 'up' });
    expect(upLines(n + 1)).toBe(upsBefore[n]! + 1);
  }
  // Across instances again: presence and a call from instance 2 to the camera on instance 1.
  await expect(cameraEntry(otherInstance, 'Camera 1').getByText('Online', { exact: true })).toBeVisible({ timeout: 15_000 });
  await otherInstance.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(otherInstance.getByLabel('Live: Camera 1'));
  await otherInstance.context().close();
  await sameInstance.context().close();
});
