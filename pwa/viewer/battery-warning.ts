import { LOW_BATTERY_LEVEL, NOT_CHARGING_WARNING_MS } from '../../protocol/camera-quality.js';
import type { CameraReport } from '../../protocol/index.js';

/**
 * The warning a camera's battery calls for, or null: running on its battery
 * below 20 % (`LOW_BATTERY_LEVEL`), or not charging for more than 10 min
 * (`NOT_CHARGING_WARNING_MS`: its charger may have come off).
 */
export function batteryWarning(battery: NonNullable<CameraReport['battery']>): string | null {
  if (battery.charging) return null;
  if (battery.level < LOW_BATTERY_LEVEL) return 'Battery low, not charging';
  if (battery.notChargingForMs > NOT_CHARGING_WARNING_MS) return `Not charging for ${Math.floor(battery.notChargingForMs / 60_000)} min`;
  return null;
}
