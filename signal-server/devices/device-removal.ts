import type { EventHub } from '../events/event-hub.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { cameraPeerId } from '../signaling/peer-ids.js';
import type { DeviceRecord } from '../store/store.js';

/** Closes a peer's signaling socket, on whichever instance holds it (`SignalingServer`, or `relayPeerClosing` with several). */
export interface PeerCloser {
  closePeer(peerId: string): void;
}

/** What must hear that a camera is gone. */
export interface DeviceRemovalDeps {
  hub: EventHub;
  presence: PresenceTracker;
  signaling: PeerCloser;
}

/**
 * After a camera's row was deleted: closes its signaling socket at once,
 * marks it offline and tells the household's viewers (`device-removed`).
 * Its credential already fails, being looked up on every request.
 */
export function announceDeviceRemoved(deps: DeviceRemovalDeps, device: Pick<DeviceRecord, 'id' | 'householdId'>): void {
  deps.signaling.closePeer(cameraPeerId(device.householdId, device.id));
  deps.presence.disconnected(device.householdId, device.id);
  deps.hub.publish(device.householdId, { type: 'device-removed', deviceId: device.id });
}
