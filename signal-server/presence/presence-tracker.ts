import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';

/**
 * A camera came online or went offline, at `atMs`. `owned`: this instance
 * is the one that acts on the change once for all instances (told the
 * household, stored the last-seen time, and owns what follows, such as the
 * offline notification); false when another instance does.
 */
export interface PresenceChange {
  householdId: string;
  deviceId: string;
  online: boolean;
  atMs: number;
  owned: boolean;
}

/** This instance began (`held`) or ended holding a camera's signaling socket, at `atMs`. */
export interface PresenceHold {
  householdId: string;
  deviceId: string;
  held: boolean;
  atMs: number;
}

/** The other instances that hold a camera's socket now: instance (process) id → since when, ms since the epoch. */
export type Holders = ReadonlyMap<string, number>;

/**
 * Knows which cameras are online: a camera is online while an instance
 * holds an open signaling socket of it (its heartbeat), this one or, with
 * several instances, another one (`heldElsewhere`, kept by `RedisPresence`).
 * `isOnline` and `onlineCount` answer from memory, synchronously.
 *
 * A change (offline → online or back, for all instances together) is acted
 * on by its owner: the instance whose socket made it, or the one a
 * cluster-wide lock chose for a change no socket made (an instance that
 * died): it pushes a `presence` event to the household's viewers and stores
 * the last-seen time. Each change goes to the listeners of `onChange`
 * (`owned` says whether this instance was the owner); each change of what
 * this instance holds goes to those of `onHold`.
 */
export class PresenceTracker {
  /** Device id → household id, of the cameras whose socket this instance holds. */
  private readonly held = new Map<string, string>();
  /** Device id → household id and holders, of cameras whose socket other instances hold. */
  private readonly elsewhere = new Map<string, { householdId: string; holders: Holders }>();
  private readonly listeners = new Set<(change: PresenceChange) => void>();
  private readonly holdListeners = new Set<(hold: PresenceHold) => void>();

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

  /** Calls `listener` whenever this instance begins or ends holding a camera's socket (it must not throw). @returns a function that ends that. */
  onHold(listener: (hold: PresenceHold) => void): () => void {
    this.holdListeners.add(listener);
    return () => this.holdListeners.delete(listener);
  }

  /** How many cameras are online now (on any instance). */
  get onlineCount(): number {
    let count = this.held.size;
    for (const deviceId of this.elsewhere.keys()) if (!this.held.has(deviceId)) count++;
    return count;
  }

  isOnline(deviceId: string): boolean {
    return this.held.has(deviceId) || this.elsewhere.has(deviceId);
  }

  /** The cameras whose socket this instance holds: device id → household id. */
  heldHere(): ReadonlyMap<string, string> {
    return this.held;
  }

  /** The cameras whose socket other instances hold: device id → household id and holders. */
  heldElsewhere(): ReadonlyMap<string, { householdId: string; holders: Holders }> {
    return this.elsewhere;
  }

  /** The camera's signaling socket opened. */
  connected(householdId: string, deviceId: string): void {
    const wasOnline = this.isOnline(deviceId);
    const known = this.held.has(deviceId);
    this.held.set(deviceId, householdId);
    const now = Date.now();
    if (!known) for (const listener of this.holdListeners) listener({ householdId, deviceId, held: true, atMs: now });
    if (!wasOnline) this.changed(householdId, deviceId, true, now, true);
  }

  /** The camera's signaling socket closed, or its heartbeats stopped. */
  disconnected(householdId: string, deviceId: string): void {
    if (!this.held.delete(deviceId)) return;
    const now = Date.now();
    for (const listener of this.holdListeners) listener({ householdId, deviceId, held: false, atMs: now });
    if (!this.isOnline(deviceId)) this.changed(householdId, deviceId, false, now, true);
  }

  /**
   * The other instances that hold the camera's socket are now `holders`
   * (empty: none). If that makes the camera change (online for all
   * instances together, or offline), the change is this instance's to act
   * on when `owned`.
   */
  setHeldElsewhere(householdId: string, deviceId: string, holders: Holders, owned: boolean): void {
    const wasOnline = this.isOnline(deviceId);
    if (holders.size > 0) this.elsewhere.set(deviceId, { householdId, holders });
    else this.elsewhere.delete(deviceId);
    const online = this.isOnline(deviceId);
    if (online !== wasOnline) this.changed(householdId, deviceId, online, Date.now(), owned);
  }

  /** True when setting the camera's holders elsewhere to `holders` would make it change. */
  wouldChange(deviceId: string, holders: Holders): boolean {
    return !this.held.has(deviceId) && this.elsewhere.has(deviceId) !== holders.size > 0;
  }

  private changed(householdId: string, deviceId: string, online: boolean, atMs: number, owned: boolean): void {
    if (owned) {
      this.hub.publish(householdId, { type: 'presence', deviceId, online, lastSeenAtMs: atMs });
      this.store.devices
        .touchLastSeen(deviceId, atMs)
        .catch((err: unknown) => this.logger.error({ err, deviceId }, 'could not store last-seen time'));
    }
    for (const listener of this.listeners) listener({ householdId, deviceId, online, atMs, owned });
  }
}
