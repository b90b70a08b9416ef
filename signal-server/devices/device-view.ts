import type { Device } from '../../protocol/index.js';
import type { DeviceRecord } from '../store/store.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { cameraPeerId } from '../signaling/peer-ids.js';

/** The public view of a device record with its live presence; an online camera was last seen now. */
export function toDevice(record: DeviceRecord, presence: PresenceTracker): Device {
  const online = presence.isOnline(record.id);
  return {
    id: record.id,
    name: record.name,
    peerId: cameraPeerId(record.householdId, record.id),
    online,
    lastSeenAtMs: online ? Date.now() : record.lastSeenAtMs,
    createdAtMs: record.createdAtMs,
  };
}
