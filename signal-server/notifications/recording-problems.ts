import type { Logger } from 'pino';
import type { RecordingReportListener } from '../recordings/control-routes.js';
import type { RecordingControlRecord, Store } from '../store/store.js';
import { recordingProblemNotification } from './notification-content.js';
import type { Notifier } from './notifier.js';

/**
 * True when a report makes a camera that is asked to record stop for a
 * reason it did not already have: a new problem, not the same one reported
 * again. A pause is someone's choice, not a problem: it notifies nobody.
 */
export function startedFailing(before: RecordingControlRecord, after: RecordingControlRecord): boolean {
  if (!after.enabled || after.recording || after.problem === null || after.problem === 'paused') return false;
  return !(before.enabled && !before.recording && before.problem === after.problem);
}

/** A `RecordingReportListener` that notifies the household when a camera asked to record stops for a reason. */
export function notifyRecordingProblems(deps: { store: Store; notifier: Notifier; logger: Logger }): RecordingReportListener {
  return (householdId, before, after) => {
    if (!startedFailing(before, after) || after.problem === null) return;
    const problem = after.problem;
    void (async () => {
      const device = await deps.store.devices.findById(after.deviceId);
      if (!device) return;
      await deps.notifier.notify(householdId, recordingProblemNotification(device, problem, Date.now()));
    })().catch((err: unknown) =>
      deps.logger.error({ err, deviceId: after.deviceId }, 'could not notify about a recording problem'),
    );
  };
}
