import type { Logger } from 'pino';
import type { PresenceChange } from '../presence/presence-tracker.js';
import type { Store } from '../store/store.js';
import { offlineNotification, onlineNotification } from './notification-content.js';
import type { Notifier } from './notifier.js';

/** A camera that went offline: still within the grace period, or reported offline to its household. */
type OfflineCamera =
  | { state: 'grace'; householdId: string; sinceMs: number; timer: NodeJS.Timeout }
  | { state: 'reported'; householdId: string; sinceMs: number };

/**
 * Reports cameras offline for longer than a grace period, and back online
 * after that. A camera back within the grace period (a Wi-Fi blip, a reload)
 * sends nothing. Fed by `PresenceTracker.onChange`. With several instances
 * only the owner of a camera's going offline (`PresenceChange.owned`) keeps
 * its grace period and tells the household, so each message goes out once;
 * every instance hears the camera come back, so the owner does too.
 */
export class OfflineWatch {
  private readonly offline = new Map<string, OfflineCamera>();

  /** @param graceMs how long a camera may be offline before its household is told, ms */
  constructor(
    private readonly deps: { graceMs: number; store: Store; notifier: Notifier; logger: Logger },
  ) {}

  /** A presence change of a camera. */
  changed(change: PresenceChange): void {
    const known = this.offline.get(change.deviceId);
    if (!change.online) {
      if (known || !change.owned) return;
      const timer = setTimeout(() => this.graceOver(change.deviceId), this.deps.graceMs);
      this.offline.set(change.deviceId, { state: 'grace', householdId: change.householdId, sinceMs: change.atMs, timer });
      return;
    }
    if (!known) return;
    this.offline.delete(change.deviceId);
    if (known.state === 'grace') {
      clearTimeout(known.timer);
      return;
    }
    this.tell(known.householdId, change.deviceId, (camera) =>
      onlineNotification(camera, change.atMs - known.sinceMs, Date.now()),
    );
  }

  /** Stops every grace timer. */
  close(): void {
    for (const camera of this.offline.values()) if (camera.state === 'grace') clearTimeout(camera.timer);
    this.offline.clear();
  }

  private graceOver(deviceId: string): void {
    const camera = this.offline.get(deviceId);
    if (camera?.state !== 'grace') return;
    this.offline.set(deviceId, { state: 'reported', householdId: camera.householdId, sinceMs: camera.sinceMs });
    this.tell(camera.householdId, deviceId, (device) => offlineNotification(device, camera.sinceMs, Date.now()));
  }

  /** Notifies the household about the camera, unless it was removed meanwhile (then it is forgotten). */
  private tell(
    householdId: string,
    deviceId: string,
    make: (camera: { id: string; name: string }) => Parameters<Notifier['notify']>[1],
  ): void {
    const { store, notifier, logger } = this.deps;
    void (async () => {
      const device = await store.devices.findById(deviceId);
      if (!device || device.householdId !== householdId) {
        this.offline.delete(deviceId);
        return;
      }
      await notifier.notify(householdId, make(device));
    })().catch((err: unknown) => logger.error({ err, deviceId }, 'could not notify about a camera’s presence'));
  }
}
