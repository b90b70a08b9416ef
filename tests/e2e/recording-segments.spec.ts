import { setTimeout } from 'node:timers/promises';
import { test, expect } from '@playwright/test';
import { SEGMENT_MAX_MS } from '../../pwa/camera/recording/segment-recorder.js';
import { expectFfmpegDecodes, expectServerHasEveryChunk, playlistUrlOf } from '../support/recording-checks.js';
import {
  recordingState,
  recordSwitch,
  startRecordingRig,
  stopRecordingRig,
  type RecordingRig,
  waitForEmptyQueue,
} from '../support/recording-rig.js';

/**
 * Bounded recordings: a camera that records longer than `SEGMENT_MAX_MS`
 * (10 min) goes on in a new recording, so no recording grows without end.
 * The camera page's clock is Playwright's (time flows, and the test jumps it
 * ahead by the 10 minutes); the recorder, IndexedDB, uploads and the server
 * are real.
 */
let rig: RecordingRig;

test.beforeAll(async () => {
  rig = await startRecordingRig('Hallway', { prepareCamera: (context) => context.clock.install() });
});

test.afterAll(() => stopRecordingRig(rig));


test('recording longer than 10 minutes goes on in a new recording; both are whole on the server and play', async () => {
  const { server, user, camera, deviceId, log } = rig;
  await recordSwitch(camera).check();
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await setTimeout(4_000);
  await camera.clock.fastForward(SEGMENT_MAX_MS);
  await expect.poll(() => log.recordings.length).toBe(2);
  await expect(recordingState(camera, 'Recording')).toBeVisible();
  await setTimeout(4_000);
  await recordSwitch(camera).uncheck();
  await expect(recordingState(camera, 'Not recording')).toBeVisible();
  await waitForEmptyQueue(camera);

  const [first, second] = log.recordings;
  expect(second!.startedAtMs - first!.startedAtMs).toBeGreaterThanOrEqual(SEGMENT_MAX_MS);
  await expectServerHasEveryChunk(server, user.accessToken, { log, deviceId }, [first!.id, second!.id]);
  for (const recording of [first!, second!]) {
    const chunks = log.chunks.filter((c) => c.recordingId === recording.id);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expectFfmpegDecodes(await playlistUrlOf(server, user.accessToken, recording.id));
  }
});
