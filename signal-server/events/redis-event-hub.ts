import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { householdEventSchema, type HouseholdEvent } from '../../protocol/index.js';
import type { RedisChannels } from '../cluster/redis-channels.js';
import { MAX_RECONNECT_DELAY_MS } from '../cluster/redis-connection.js';
import type { EventHub, HouseholdListener } from './event-hub.js';

/** The Redis channel of a household's events. */
export function householdChannel(householdId: string): string {
  return `peerwatch:household:${householdId}`;
}

/** How events published while Redis is away are held for the other instances. */
export interface HeldEventLimits {
  /** How many are held at most; beyond it the oldest go. */
  maxHeld: number;
  /** One held longer than this, ms, is news no more when Redis is back: it is not sent. */
  maxAgeMs: number;
  /** How long after Redis is back they are sent, ms. */
  settleMs: number;
}

/**
 * Defaults: a minute of a busy household's events; sent 3 s after Redis is
 * back, as the other instances that lost it too reconnect within
 * `MAX_RECONNECT_DELAY_MS` plus 100 ms of jitter (`reconnectDelayMs`) and
 * then subscribe again.
 */
export const HELD_EVENT_LIMITS: HeldEventLimits = { maxHeld: 1_000, maxAgeMs: 60_000, settleMs: MAX_RECONNECT_DELAY_MS + 1_000 };

/** An event published while Redis was away, and when (ms since the epoch). */
interface HeldEvent {
  householdId: string;
  event: HouseholdEvent;
  atMs: number;
}

/**
 * The EventHub of several instances: an event published on one instance
 * reaches the household's listeners on every instance. It is delivered to
 * this instance's listeners at once (so they go on hearing their own
 * instance's events while Redis is down) and PUBLISHed, as JSON, on the
 * household's channel (`householdChannel`) for the others, which skip
 * their own and validate what they receive with `householdEventSchema`. One
 * Redis subscription per household with local listeners.
 *
 * While Redis is away (the link is down, or the connection dropped under a
 * PUBLISH) events for the others are held, in order, and sent `settleMs`
 * after it is back (events published meanwhile join them, so the order
 * stays): at most `maxHeld`, the oldest dropped beyond that, and none older
 * than `maxAgeMs` (`HeldEventLimits`). A PUBLISH that Redis refuses while
 * connected is logged and not held.
 */
export class RedisEventHub implements EventHub {
  private readonly local = new EventEmitter().setMaxListeners(0);
  /** Household → the end of its Redis subscription, while it has local listeners. */
  private readonly remote = new Map<string, () => void>();
  /** Events not yet sent to the other instances, oldest first. */
  private held: HeldEvent[] = [];
  /** How many held events were dropped for `maxHeld` since the last sending. */
  private overflowed = 0;
  /** The sending of the held events, while Redis is back and settling. */
  private settling: NodeJS.Timeout | undefined;
  private readonly stopWatching: () => void;

  constructor(
    private readonly channels: RedisChannels,
    private readonly logger: Logger,
    private readonly limits: HeldEventLimits = HELD_EVENT_LIMITS,
  ) {
    this.stopWatching = channels.link.onChange((health) => {
      clearTimeout(this.settling);
      this.settling = undefined;
      if (health.state === 'up' && this.held.length > 0) this.settle();
    });
  }

  publish(householdId: string, event: HouseholdEvent): void {
    this.local.emit(householdId, event);
    const entry = { householdId, event, atMs: Date.now() };
    if (this.channels.link.health.state === 'up' && this.held.length === 0) void this.send(entry);
    else this.hold(entry);
  }

  subscribe(householdId: string, listener: HouseholdListener): () => void {
    this.local.on(householdId, listener);
    if (!this.remote.has(householdId)) {
      const stop = this.channels.subscribe(householdChannel(householdId), householdEventSchema, (event) =>
        this.local.emit(householdId, event),
      );
      this.remote.set(householdId, stop);
    }
    return () => {
      this.local.off(householdId, listener);
      if (this.local.listenerCount(householdId) > 0) return;
      this.remote.get(householdId)?.();
      this.remote.delete(householdId);
    };
  }

  /** Stops watching the link; events still held are not sent. */
  close(): void {
    this.stopWatching();
    clearTimeout(this.settling);
    this.held = [];
  }

  private async send(entry: HeldEvent): Promise<void> {
    const sent = await this.channels.send(householdChannel(entry.householdId), entry.event);
    // A connection that dropped under the PUBLISH is Redis away: hold it for when it is back.
    if (!sent && !this.channels.link.publisher.isReady) this.hold(entry);
  }

  private hold(entry: HeldEvent): void {
    this.held.push(entry);
    if (this.held.length > this.limits.maxHeld) {
      this.held.shift();
      this.overflowed++;
    }
    // A PUBLISH that failed as the link went down may be known only once it is up again.
    if (this.channels.link.health.state === 'up' && !this.settling) this.settle();
  }

  /** Sends the held events `settleMs` from now. */
  private settle(): void {
    this.settling = setTimeout(() => this.sendHeld(), this.limits.settleMs).unref();
  }

  private sendHeld(): void {
    this.settling = undefined;
    const now = Date.now();
    const held = this.held;
    const fresh = held.filter((entry) => now - entry.atMs <= this.limits.maxAgeMs);
    this.logger.info(
      { sent: fresh.length, tooOld: held.length - fresh.length, overflowed: this.overflowed },
      'events held while redis was away sent to the other instances',
    );
    this.held = [];
    this.overflowed = 0;
    for (const entry of fresh) void this.send(entry);
  }
}
