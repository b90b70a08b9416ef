import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cameraPeerId, parsePeerId, viewerPeerId } from '../../signal-server/signaling/peer-ids.js';

const PEERJS_ID_RULE = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/;

test('camera and viewer peer ids round-trip and fit the PeerJS id rule', () => {
  const camera = cameraPeerId('a1b2c3d4e5f60718', '0011223344556677');
  const viewer = viewerPeerId('a1b2c3d4e5f60718', '8899aabbccddeeff', '0123456789abcdef');
  assert.match(camera, PEERJS_ID_RULE);
  assert.match(viewer, PEERJS_ID_RULE);
  assert.deepEqual(parsePeerId(camera), {
    kind: 'camera',
    householdId: 'a1b2c3d4e5f60718',
    deviceId: '0011223344556677',
  });
  assert.deepEqual(parsePeerId(viewer), {
    kind: 'viewer',
    householdId: 'a1b2c3d4e5f60718',
    userId: '8899aabbccddeeff',
  });
  assert.equal(parsePeerId(viewer)?.householdId, 'a1b2c3d4e5f60718');
});

test('ids that are not Peerwatch peer ids have no household', () => {
  for (const id of ['', 'peerjs', 'abc', 'a1-x-b2', 'a1-c', 'a1-c-b2-c3', 'a1-v-b2', 'A1-c-b2', 'a1-c-zz', 'a1--c-b2']) {
    assert.equal(parsePeerId(id)?.householdId, undefined, id);
  }
});
