import type { RecordingState, RecordingStateEvent } from '../../protocol/index.js';
import type { RecordingControlRecord, Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import type { ContractRouter } from '../http/contract-router.js';
import { findVisibleDevice, readerOf } from '../auth/camera-access.js';

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
 * Told of every report a camera makes, with its control record before and
 * after (e.g. to notify the household when recording stops for a reason).
 * Must not throw; it runs after the camera got its answer.
 */
export type RecordingReportListener = (
  householdId: string,
  before: RecordingControlRecord,
  after: RecordingControlRecord,
) => void;

/** Told when a camera's "Record" switch was set (by a viewer or the camera). Must not throw. */
export type RecordingWishListener = (householdId: string, deviceId: string) => void;

/**
 * Remote recording control, under `/api/devices`:
 *
 * - `GET /:id/recording` (user) → `RecordingState`.
 * - `PUT /:id/recording` (user) `{enabled}` → `RecordingState`: the household's wish.
 * - `PUT /me/recording` (camera) `{enabled}` → `RecordingState`: the same wish, set
 *   with the switch on the camera itself.
 * - `PUT /me/recording-status` (camera) `{recording, problem?}` → `RecordingState`: what it does, and why not.
 *
 * Each change is published as a `recording-state` household event, which the
 * household's viewers and the camera's own event stream receive; each report
 * also goes to `onReport`, each set switch to `onWish`.
 */
export function recordingControlRoutes(
  api: ContractRouter,
  deps: { store: Store; hub: EventHub; onReport: RecordingReportListener; onWish: RecordingWishListener; audit: AuditLog },
): void {
  const { store, hub } = deps;

  /** Publishes the new state and answers it. */
  function publish(householdId: string, record: RecordingControlRecord): RecordingState {
    hub.publish(householdId, recordingStateEvent(record));
    return toRecordingState(record);
  }

  api.handle('PUT /api/devices/me/recording', async ({ principal, body, reply }, req) => {
    const { deviceId, householdId } = principal;
    reply(200, publish(householdId, await store.recordingControls.setEnabled(deviceId, body.enabled)));
    await deps.audit.record('recording-mode-changed', principal, seenFrom(req), { details: { record: body.enabled } });
    deps.onWish(householdId, deviceId);
  });

  api.handle('PUT /api/devices/me/recording-status', async ({ principal, body: { recording, problem }, reply }) => {
    const report = { recording, problem: recording ? null : problem, atMs: Date.now() };
    const before = await store.recordingControls.get(principal.deviceId);
    const after = await store.recordingControls.setReported(principal.deviceId, report);
    reply(200, publish(principal.householdId, after));
    deps.onReport(principal.householdId, before, after);
  });

  api.handle('GET /api/devices/:id/recording', async ({ principal, params, reply }) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    reply(200, toRecordingState(await store.recordingControls.get(device.id)));
  });

  api.handle('PUT /api/devices/:id/recording', async ({ principal, params, body, reply }, req) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    reply(200, publish(device.householdId, await store.recordingControls.setEnabled(device.id, body.enabled)));
    await deps.audit.record('recording-mode-changed', principal, seenFrom(req), { deviceId: device.id, details: { record: body.enabled } });
    deps.onWish(device.householdId, device.id);
  });
}
