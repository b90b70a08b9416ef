import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';

/** A camera came online or went offline, at `atMs`. */
export interface PresenceChange {
  householdId: string;
  deviceId: string;
  online: boolean;
  atMs: number;
}

/**
 * Knows which cameras are online: a camera is online while it holds an open
 * signaling socket (its heartbeat). Changes are pushed to the household's
 * viewers as `presence` events, the last-seen time is stored, and each
 * change goes to the listeners of `onChange`.
 */
export class PresenceTracker {
  private readonly online = new Set<string>();
  private readonly listeners = new Set<(change: PresenceChange) => void>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly logger: Logger,
  ) {}

  /** Calls `listener` on every change (it must not throw). @returns a function that ends that. */
  onChange(listener: (change: PresenceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many cameras are online now. */
  get onlineCount(): number {
    return this.online.size;
  }

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
    for (const listener of this.listeners) listener({ householdId, deviceId, online, atMs: now });
    this.store.devices
      .touchLastSeen(deviceId, now)
      .catch((err: unknown) => this.logger.error({ err, deviceId }, 'could not store last-seen time'));
  }
}
