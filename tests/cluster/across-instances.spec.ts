import { test, expect, type Locator, type Page } from '@playwright/test';
import { pairCameraPage, type ChunkLog } from '../support/camera-page.js';
import { useClusterRig } from '../support/cluster-rig.js';
import { expectMovingPictures } from '../support/live-video.js';
import { footageFrame } from '../support/media.js';
import { expectServerHasEveryChunk } from '../support/recording-checks.js';
import { EventStreamReader, newEventId, pairCamera, uploadEventWithSnapshot } from '../support/recording-client.js';
import { recordingState, recordSwitch, waitForEmptyQueue } from '../support/recording-rig.js';
import { bearer } from '../support/server.js';
import { joinHousehold } from '../support/household.js';
import { offerTo, openSignalingSocket } from '../support/signaling-client.js';
import { cameraEntry } from '../support/viewer-page.js';

/**
 * Two Peerwatch instances over one PostgreSQL, one Redis and one bucket
 * (tests/support/cluster.ts): the camera's browser talks to instance 1, the
 * viewer's browser to instance 2, and everything a single server does works
 * across them: pairing, presence, live video (signaling forwarded between
 * the instances), the Record switch, recordings uploaded to one instance
 * and played with hls.js from the bucket through the other, events pushed
 * across; with the same household checks as on one server.
 */

const rig = useClusterRig({ instances: 2 });

/**
 * Turns the Record switch of a viewer's camera card on, waits until the
 * camera page has recorded `chunks` chunks, turns it off, and waits until
 * the camera says so and has uploaded everything.
 */
async function recordWithSwitch(card: Locator, camera: { page: Page; log: ChunkLog }, chunks: number): Promise<void> {
  await recordSwitch(card).check();
  await expect(recordingState(camera.page, 'Recording')).toBeVisible();
  await expect.poll(() => camera.log.chunks.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(chunks);
  await recordSwitch(card).uncheck();
  await expect(recordingState(camera.page, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(camera.page);
}

test('camera on instance 1, viewer on instance 2: pairing, presence, live video, the Record switch, playback from the bucket, events', async () => {
  const { cluster } = rig;
  const [one, two] = [cluster.instance(1), cluster.instance(2)];
  const user = await two.register();
  const viewer = await rig.openViewer(two, user.user.email);
  const camera = await rig.launchCamera();

  // Pairing: the code shown by instance 2 is claimed on instance 1; instance 2's viewer hears of it at once.
  await viewer.getByRole('button', { name: 'Add camera' }).click();
  const link = new URL((await viewer.getByText(/\/pair\?server=.+#/).textContent())!.trim());
  await camera.page.goto(`${one.baseURL}${link.pathname}${link.search}${link.hash}`);
  await expect(viewer.getByText('Camera added')).toBeVisible();
  await viewer.getByRole('button', { name: 'Done' }).click();
  await expect(camera.page.getByRole('switch', { name: 'Record' })).toBeVisible();

  // Presence and live video across the instances.
  const entry = cameraEntry(viewer, 'Camera 1');
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
  await expect(camera.page.getByText('1 watching')).toBeVisible();
  await viewer.getByRole('button', { name: 'Hang up' }).click();
  await expect(camera.page.getByText('0 watching')).toBeVisible();

  // The Record switch on instance 2 starts the camera on instance 1, whose chunks go to the bucket.
  await recordWithSwitch(entry, camera, 5);
  const [recording] = camera.log.recordings;
  const devices = await two.request('GET', '/api/devices', { auth: bearer(user) });
  const deviceId = (devices.body as { id: string }[])[0]!.id;
  await expectServerHasEveryChunk(two, user.accessToken, { log: camera.log, deviceId }, [recording!.id], cluster.s3.recordingChunks());

  // hls.js in the viewer plays it through instance 2, from the bucket.
  await viewer.getByRole('button', { name: 'Recordings Camera 1' }).click();
  const list = viewer.getByRole('list', { name: 'Recordings of Camera 1' });
  await expect(list.getByText('complete', { exact: true })).toHaveCount(1, { timeout: 15_000 });
  await list.getByRole('button', { name: /^Play recording / }).click();
  const video = viewer.getByRole('region', { name: /^Recordings/ }).locator('video');
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime), { timeout: 15_000 }).toBeGreaterThan(1);

  // A camera event stored through instance 1 reaches a live stream on instance 2.
  const stream = await EventStreamReader.open(two, bearer(user));
  const porch = await pairCamera(one, user.accessToken, 'Porch');
  const eventId = newEventId();
  await uploadEventWithSnapshot(one, porch, eventId, footageFrame(3, 'jpg'));
  const pushed = await stream.next('motion-ended', (data) => data.event.id === eventId);
  expect(pushed.event.deviceId).toBe(porch.deviceId);
  stream.close();

  // The camera going away on instance 1 ends the live view the audit log on instance 2 has open.
  await viewer.getByRole('button', { name: 'Watch Camera 1' }).click();
  await expectMovingPictures(viewer.getByLabel('Live: Camera 1'));
  await camera.page.close();
  await expect(entry.getByText('Offline', { exact: true })).toBeVisible({ timeout: 15_000 });
  const ended = async () => {
    const page = await two.request('GET', '/api/audit?kind=live-view-ended', { auth: bearer(user) });
    return (page.body as { events: Array<{ details: { endedBy: string } }> }).events.map((event) => event.details.endedBy);
  };
  await expect.poll(ended).toEqual(['camera-gone', 'hang-up']);
  await viewer.context().close();
});

test('camera and viewer both through haproxy: signaling sockets and event streams pass, live video and the Record switch work', async () => {
  const { cluster } = rig;
  const user = await cluster.instance(1).register();
  const camera = await rig.launchCamera();
  const { deviceId } = await pairCameraPage(cluster.instance(1), user.accessToken, camera.page, 'Porch', cluster.haproxy.baseURL);
  const viewer = await rig.openViewer(cluster.haproxy, user.user.email);
  const entry = cameraEntry(viewer, 'Porch');
  await expect(entry.getByText('Online', { exact: true })).toBeVisible();
  await viewer.getByRole('button', { name: 'Watch Porch' }).click();
  await expectMovingPictures(viewer.getByLabel('Live: Porch'));
  await expect(camera.page.getByText('1 watching')).toBeVisible();

  await recordWithSwitch(entry, camera, 3);
  const recordingIds = camera.log.recordings.map((r) => r.id);
  await expectServerHasEveryChunk(cluster.instance(2), user.accessToken, { log: camera.log, deviceId }, recordingIds, cluster.s3.recordingChunks());
  await viewer.context().close();
});

test('across instances only the camera’s household, and of it only who may watch that camera, can call it', async () => {
  const { cluster } = rig;
  const [one, two] = [cluster.instance(1), cluster.instance(2)];
  const owner = await one.register();
  const stranger = await two.register();
  const yard = await pairCamera(one, owner.accessToken, 'Yard');
  const gate = await pairCamera(one, owner.accessToken, 'Gate');
  // A viewer of the same household who was given only the gate camera.
  const gateOnly = await joinHousehold(one, owner, 'viewer', [gate.deviceId]);

  const camera = await openSignalingSocket(one, yard.auth);
  const strangerPage = await openSignalingSocket(two, bearer(stranger));
  const gateOnlyPage = await openSignalingSocket(two, bearer(gateOnly));
  const ownerPage = await openSignalingSocket(two, bearer(owner));
  strangerPage.ws.send(offerTo(camera.peerId, 'mc_stranger'));
  gateOnlyPage.ws.send(offerTo(camera.peerId, 'mc_gate_only'));
  // The owner's page on the same instance gets through, so the refusals above could have failed.
  ownerPage.ws.send(offerTo(camera.peerId, 'mc_owner'));
  const offerSources = () => camera.received.filter((m) => m.type === 'OFFER').map((m) => m.src);
  await expect.poll(offerSources).toEqual([ownerPage.peerId]);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(offerSources()).toEqual([ownerPage.peerId]);
  for (const socket of [camera, strangerPage, gateOnlyPage, ownerPage]) socket.ws.close();
});
