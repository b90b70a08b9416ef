import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MediaConnection } from 'peerjs';
import { isViewerOfHousehold, parseTalkMessage, talkCallMetadata, talkerOf, viewerUserOf } from '../../pwa/shared/talk-protocol.js';

/** An incoming call as far as `talkerOf` reads it: its PeerJS metadata. */
const callWith = (metadata: unknown) => ({ metadata }) as MediaConnection;

test('a talk call is told from a live call by its metadata, with its talker', () => {
  assert.equal(talkerOf(callWith(talkCallMetadata('ana@example.com'))), 'ana@example.com');
  assert.equal(talkerOf(callWith(undefined)), undefined);
  assert.equal(talkerOf(callWith({ purpose: 'live' })), undefined);
  assert.equal(talkerOf(callWith('talk')), undefined);
});

test('a talk call without a usable talker is "A viewer"; a long one is cut to 254 characters', () => {
  assert.equal(talkerOf(callWith({ purpose: 'talk' })), 'A viewer');
  assert.equal(talkerOf(callWith({ purpose: 'talk', talker: '   ' })), 'A viewer');
  assert.equal(talkerOf(callWith({ purpose: 'talk', talker: 42 })), 'A viewer');
  assert.equal(talkerOf(callWith({ purpose: 'talk', talker: 'x'.repeat(1_000) }))?.length, 254);
});

test('talk channel messages are read; anything else is undefined', () => {
  assert.deepEqual(parseTalkMessage('{"type":"talking"}'), { type: 'talking' });
  assert.deepEqual(parseTalkMessage('{"type":"cannot-play"}'), { type: 'cannot-play' });
  assert.deepEqual(parseTalkMessage('{"type":"busy","talker":"ana@example.com"}'), { type: 'busy', talker: 'ana@example.com' });
  for (const data of ['{"type":"busy"}', '{"type":"shout"}', 'not json', 'null', '"talking"', new ArrayBuffer(4)]) {
    assert.equal(parseTalkMessage(data), undefined, String(data));
  }
});

test('only viewers of the camera’s own household may talk through it', () => {
  assert.equal(isViewerOfHousehold('ab12-c-cd34', 'ab12-v-ef56-0a'), true);
  assert.equal(isViewerOfHousehold('ab12-c-cd34', 'ff99-v-ef56-0a'), false);
  assert.equal(isViewerOfHousehold('ab12-c-cd34', 'ab12-c-0000'), false);
  assert.equal(isViewerOfHousehold(undefined, 'ab12-v-ef56-0a'), false);
});

test('the user of a viewer peer id, and none for a camera or anything else', () => {
  assert.equal(viewerUserOf('ab12-v-ef56-0a'), 'ef56');
  assert.equal(viewerUserOf('ab12-c-cd34'), undefined);
  assert.equal(viewerUserOf('nonsense'), undefined);
});
