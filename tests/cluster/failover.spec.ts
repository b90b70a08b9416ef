import { test, expect } from '@playwright/test';
import { pairCameraPage } from '../support/camera-page.js';
import { useClusterRig } from '../support/cluster-rig.js';
import { expectMovingPictures } from '../support/live-video.js';
import { cameraEntry } from '../support/viewer-page.js';

/**
 * Two instances behind haproxy (tests/support/cluster.ts) lose Redis for
 * 10 s: cameras and viewers go on.
 */

const rig = useClusterRig({ instances: 2 });

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
