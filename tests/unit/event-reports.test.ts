import { test } from 'node:test';
import assert from 'node:assert/strict';
import { motionEventIdSchema, motionEventWriteSchema } from '../../protocol/index.js';
import { ApiRequestError } from '../../pwa/api/api-client.js';
import { newRandomId } from '../../pwa/camera/recording/recording-ids.js';
import { eventWrite } from '../../pwa/camera/motion/event-outbox.js';
import { failureOutcome } from '../../pwa/camera/motion/event-uploader.js';
import type { OpenEvent } from '../../pwa/camera/motion/motion-event.js';

const OPEN: OpenEvent = {
  kind: 'motion',
  startedAtMs: 1_764_579_000_000.4,
  lastMotionAtMs: 1_764_579_004_000,
  peak: { score: 0.31, atMs: 1_764_579_002_000, box: { x: 0.1, y: 0.2, width: 0.5, height: 0.6 } },
};

test('an event as the detector reports it becomes a body the server accepts, open and ended', () => {
  const started = eventWrite(OPEN, null);
  assert.deepEqual(started, {
    kind: 'motion',
    startedAtMs: 1_764_579_000_000,
    endedAtMs: null,
    score: 0.31,
    box: { x: 0.1, y: 0.2, width: 0.5, height: 0.6 },
  });
  assert.equal(motionEventWriteSchema.safeParse(started).success, true);
  const ended = eventWrite(OPEN, 1_764_579_014_000.6);
  assert.equal(ended.endedAtMs, 1_764_579_014_001);
  assert.equal(motionEventWriteSchema.safeParse(ended).success, true);
  // A score above 1 (rounding in the detector) and an end before the start are brought into what the schema allows.
  const odd = eventWrite({ ...OPEN, peak: { ...OPEN.peak, score: 1.0000001 } }, OPEN.startedAtMs - 5);
  assert.equal(odd.score, 1);
  assert.equal(odd.endedAtMs, odd.startedAtMs);
  assert.equal(motionEventWriteSchema.safeParse(odd).success, true);
});

test('camera-made event ids are 128 random bits in base64url, as the server expects', () => {
  const ids = new Set(Array.from({ length: 100 }, () => newRandomId()));
  assert.equal(ids.size, 100);
  for (const id of ids) {
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(motionEventIdSchema.safeParse(id).success, true);
  }
});

test('a failed send is retried when it may pass, stops on 401 and is dropped when it cannot succeed', () => {
  const outcome = (status: number, code: ConstructorParameters<typeof ApiRequestError>[1]) =>
    failureOutcome(new ApiRequestError(status, code, 'x'));
  assert.equal(outcome(0, 'network'), 'retry');
  assert.equal(outcome(503, 'http_error'), 'retry');
  assert.equal(outcome(429, 'rate_limited'), 'retry');
  assert.equal(outcome(400, 'upload_aborted'), 'retry');
  assert.equal(outcome(401, 'unauthorized'), 'stop');
  assert.equal(outcome(400, 'invalid_body'), 'drop');
  assert.equal(outcome(404, 'not_found'), 'drop');
  assert.equal(outcome(409, 'image_conflict'), 'drop');
  assert.equal(outcome(413, 'image_too_large'), 'drop');
});
