import { LOW_BATTERY_LEVEL, NOT_CHARGING_WARNING_MS } from './camera-quality.js';

/*
 * The rule for a camera's battery that needs a charger, shared by the viewer
 * (its warning over a live tile and a camera's card) and the server (the
 * household's "battery low" notification), with no dependency (the app
 * imports it without pulling in the schemas).
 */

/** A battery as a camera reports it (`PUT /api/devices/me/report`, W3C Battery Status API `BatteryManager`). */
export interface BatteryReading {
  /** 0–1. */
  level: number;
  charging: boolean;
  /** How long it has run on its battery, ms (0 while charging). */
  notChargingForMs: number;
}

/**
 * Why a camera's battery needs a charger: it runs on its battery below 20 %
 * (`low`, `LOW_BATTERY_LEVEL`), or has not charged for more than 10 min
 * (`not-charging`, `NOT_CHARGING_WARNING_MS`: its charger may have come off).
 */
export type BatteryAlarm = { kind: 'low'; level: number } | { kind: 'not-charging'; level: number; notChargingForMs: number };

/** The alarm a battery calls for, or null (charging, or on its battery at 20 % or more for 10 min or less). */
export function batteryAlarm(battery: BatteryReading): BatteryAlarm | null {
  if (battery.charging) return null;
  if (battery.level < LOW_BATTERY_LEVEL) return { kind: 'low', level: battery.level };
  if (battery.notChargingForMs > NOT_CHARGING_WARNING_MS) {
    return { kind: 'not-charging', level: battery.level, notChargingForMs: battery.notChargingForMs };
  }
  return null;
}

/** What an alarm says to people: "Battery low, not charging", "Not charging for 12 min". */
export function batteryAlarmText(alarm: BatteryAlarm): string {
  return alarm.kind === 'low' ? 'Battery low, not charging' : `Not charging for ${Math.floor(alarm.notChargingForMs / 60_000)} min`;
}
