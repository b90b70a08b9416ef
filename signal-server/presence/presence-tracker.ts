import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';

/**
 * Knows which cameras are online: a camera is online while it holds an open
 * signaling socket (its heartbeat). Changes are pushed to the household's
 * viewers as `presence` events and the last-seen time is stored.
 */
export class PresenceTracker {
  private readonly online = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly logger: Logger,
  ) {}

  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  /** The camera's signaling socket opened. */
  connected(householdId: string, deviceId: string): void {
    this.online.add(deviceId);
    this.changed(householdId, deviceId, true);
  }

  /** The camera's signaling socket closed, or its heartbeats stopped. */
  disconnected(householdId: string, deviceId: string): void {
    if (!this.online.delete(deviceId)) return;
    this.changed(householdId, deviceId, false);
  }

  private changed(householdId: string, deviceId: string, online: boolean): void {
    const now = Date.now();
    this.hub.publish(householdId, { type: 'presence', deviceId, online, lastSeenAtMs: now });
    this.store.devices
      .touchLastSeen(deviceId, now)
      .catch((err: unknown) => this.logger.error({ err, deviceId }, 'could not store last-seen time'));
  }
}
