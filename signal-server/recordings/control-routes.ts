import { Router, type Response } from 'express';
import { z } from 'zod';
import type { RecordingProblem, RecordingState, RecordingStateEvent } from '../api-types.js';
import type { RecordingControlRecord, Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import { deviceOf, userOf } from '../auth/principal.js';
import { findOwnDevice } from '../devices/own-device.js';
import { parseBody } from '../http/validate.js';

const desiredSchema = z.object({ enabled: z.boolean() });
const RECORDING_PROBLEMS = ['storage-low', 'cannot-record', 'recorder-failed'] as const satisfies readonly RecordingProblem[];
const reportSchema = z.object({ recording: z.boolean(), problem: z.enum(RECORDING_PROBLEMS).nullable().default(null) });

/** The public view of a camera's control record. */
function toRecordingState(record: RecordingControlRecord): RecordingState {
  return {
    deviceId: record.deviceId,
    enabled: record.enabled,
    recording: record.recording,
    problem: record.problem,
    reportedAtMs: record.reportedAtMs,
  };
}

/** The `recording-state` event of a camera's control record. */
export function recordingStateEvent(record: RecordingControlRecord): RecordingStateEvent {
  return { type: 'recording-state', ...toRecordingState(record) };
}

/**
 * Remote recording control, under `/api/devices` (behind `authenticate`):
 *
 * - `GET /:id/recording` (user) → `RecordingState`.
 * - `PUT /:id/recording` (user) `{enabled}` → `RecordingState`: the household's wish.
 * - `PUT /me/recording` (camera) `{enabled}` → `RecordingState`: the same wish, set
 *   with the switch on the camera itself.
 * - `PUT /me/recording-status` (camera) `{recording, problem?}` → `RecordingState`: what it does, and why not.
 *
 * Each change is published as a `recording-state` household event, which the
 * household's viewers and the camera's own event stream receive.
 */
export function recordingControlRoutes(deps: { store: Store; hub: EventHub }): Router {
  const { store, hub } = deps;
  const router = Router();

  const householdCamera = (res: Response, id: string) => findOwnDevice(store, userOf(res).householdId, id);

  function publish(res: Response, householdId: string, record: RecordingControlRecord): void {
    hub.publish(householdId, recordingStateEvent(record));
    res.json(toRecordingState(record));
  }

  router.put('/me/recording', async (req, res) => {
    const { deviceId, householdId } = deviceOf(res);
    const { enabled } = parseBody(desiredSchema, req.body);
    publish(res, householdId, await store.recordingControls.setEnabled(deviceId, enabled));
  });

  router.get('/:id/recording', async (req, res) => {
    const device = await householdCamera(res, req.params.id);
    res.json(toRecordingState(await store.recordingControls.get(device.id)));
  });

  router.put('/:id/recording', async (req, res) => {
    const device = await householdCamera(res, req.params.id);
    const { enabled } = parseBody(desiredSchema, req.body);
    publish(res, device.householdId, await store.recordingControls.setEnabled(device.id, enabled));
  });

  router.put('/me/recording-status', async (req, res) => {
    const { deviceId, householdId } = deviceOf(res);
    const { recording, problem } = parseBody(reportSchema, req.body);
    const report = { recording, problem: recording ? null : problem, atMs: Date.now() };
    publish(res, householdId, await store.recordingControls.setReported(deviceId, report));
  });

  return router;
}
