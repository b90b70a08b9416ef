import { maySee } from '../auth/camera-access.js';
import type { EventHub } from '../events/event-hub.js';
import type { CameraAccess, Store, UserRecord } from '../store/store.js';

/**
 * Tells each camera of `user`'s household that they could see and `after`
 * no longer lets them (null: none, they left or went) to hang up their
 * calls (`viewer-access-ended`).
 */
export async function endCallsOf(deps: { store: Store; hub: EventHub }, user: UserRecord, after: CameraAccess | null): Promise<void> {
  for (const device of await deps.store.devices.listByHousehold(user.householdId)) {
    const before = { householdId: user.householdId, cameras: user.cameras };
    const still = after !== null && maySee({ householdId: user.householdId, cameras: after }, device.householdId, device.id);
    if (maySee(before, device.householdId, device.id) && !still) {
      deps.hub.publish(user.householdId, { type: 'viewer-access-ended', deviceId: device.id, userId: user.id });
    }
  }
}
