import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../signal-server/motion-events/cursor.js';
import { eventsByFootage, footageOf } from '../../signal-server/motion-events/footage.js';
import { ApiError } from '../../signal-server/http/errors.js';

const rec = (id: string, deviceId: string, startedAtMs: number, endedAtMs: number) => ({ id, deviceId, startedAtMs, endedAtMs });
const ev = (deviceId: string, startedAtMs: number, recordingId: string | null = null, footageOffsetMs: number | null = null) => ({
  deviceId,
  startedAtMs,
  recordingId,
  footageOffsetMs,
});

test('footage: the named recording of the camera first, else the latest one covering the start, else none', () => {
  const recordings = [rec('r1', 'cam', 1_000, 5_000), rec('r2', 'cam', 4_000, 9_000), rec('other', 'cam2', 0, 99_000)];
  assert.deepEqual(footageOf(ev('cam', 4_500), recordings), { recordingId: 'r2', offsetMs: 500 });
  assert.deepEqual(footageOf(ev('cam', 2_000), recordings), { recordingId: 'r1', offsetMs: 1_000 });
  assert.deepEqual(footageOf(ev('cam', 4_500, 'r1', 3_700), recordings), { recordingId: 'r1', offsetMs: 3_700 });
  assert.deepEqual(footageOf(ev('cam', 4_500, 'r1'), recordings), { recordingId: 'r1', offsetMs: 3_500 });
  // Another camera's recording is never an event's footage, named or covering.
  assert.equal(footageOf(ev('cam', 20_000, 'other'), recordings), null);
  assert.equal(footageOf(ev('cam', 500), recordings), null);
  const { byRecording, loose } = eventsByFootage([ev('cam', 2_000), ev('cam', 500), ev('cam2', 10)], recordings);
  assert.deepEqual([...byRecording.keys()].sort(), ['other', 'r1']);
  assert.equal(loose.length, 1);
});

test('cursor: round-trips a position, and anything not made by the server is a 400 invalid_query', () => {
  const position = { startedAtMs: 1_764_579_000_000, id: 'Ev9kQ2mZr4tW7yB1nC3dFg' };
  assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  for (const bad of ['abc', Buffer.from('[1,"short"]').toString('base64url'), Buffer.from('{"s":1}').toString('base64url')]) {
    assert.throws(() => decodeCursor(bad), (error: unknown) => error instanceof ApiError && error.code === 'invalid_query');
  }
});
