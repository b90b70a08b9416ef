import type { Logger } from 'pino';
import { batteryAlarm } from '../../protocol/battery-alarm.js';
import type { CameraReportListener } from '../camera-controls/routes.js';
import type { Store } from '../store/store.js';
import { batteryNotification } from './notification-content.js';
import type { Notifier } from './notifier.js';

/**
 * Tells a camera's household when its battery needs a charger
 * (`batteryAlarm`: on its battery below 20 %, or not charging for more than
 * 10 min), once per episode: the episode is kept in the store
 * (`batteryAlerts`, so a restart does not tell again) and ends with a report
 * whose battery is fine (charging, or above the thresholds); the next alarm
 * after that tells again. A report without a battery (no Battery Status API)
 * changes nothing. Preferences (topic `battery`), quiet hours and snoozes
 * apply as to every notification (`Notifier`).
 */
export function notifyBatteryAlarms(deps: { store: Store; notifier: Notifier; logger: Logger }): CameraReportListener {
  const { store, notifier, logger } = deps;
  return (householdId, report) => {
    const battery = report.battery;
    if (!battery) return;
    const alarm = batteryAlarm(battery);
    void (async () => {
      if (!alarm) {
        await store.batteryAlerts.end(report.deviceId);
        return;
      }
      if (!(await store.batteryAlerts.start(report.deviceId, report.reportedAtMs))) return;
      const device = await store.devices.findById(report.deviceId);
      if (!device || device.householdId !== householdId) return;
      await notifier.notify(householdId, batteryNotification(device, alarm, battery, Date.now()));
    })().catch((err: unknown) => logger.error({ err, deviceId: report.deviceId }, 'could not notify about a camera’s battery'));
  };
}
