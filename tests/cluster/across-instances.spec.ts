import { test, expect } from '@playwright/test';
import { useClusterRig } from '../support/cluster-rig.js';
import { pairCamera } from '../support/recording-client.js';
import { bearer } from '../support/server.js';
import { joinHousehold } from '../support/household.js';
import { offerTo, openSignalingSocket } from '../support/signaling-client.js';

/**
 * Two Peerwatch instances over one PostgreSQL, one Redis and one bucket
 * (tests/support/cluster.ts): cameras on instance 1, viewers on instance 2,
 * with the same household checks as on one server.
 */

const rig = useClusterRig({ instances: 2 });

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
