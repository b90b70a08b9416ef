import { EventEmitter } from 'node:events';
import { householdEventSchema, type HouseholdEvent } from '../../protocol/index.js';
import type { RedisChannels } from '../cluster/redis-channels.js';
import type { EventHub, HouseholdListener } from './event-hub.js';

/** The Redis channel of a household's events. */
export function householdChannel(householdId: string): string {
  return `peerwatch:household:${householdId}`;
}

/**
 * The EventHub of several instances: an event published on one instance
 * reaches the household's listeners on every instance. It is delivered to
 * this instance's listeners at once (so they go on hearing their own
 * instance's events while Redis is down) and PUBLISHed, as JSON, on the
 * household's channel (`householdChannel`) for the others, which skip
 * their own and validate what they receive with `householdEventSchema`. One
 * Redis subscription per household with local listeners.
 */
export class RedisEventHub implements EventHub {
  private readonly local = new EventEmitter().setMaxListeners(0);
  /** Household → the end of its Redis subscription, while it has local listeners. */
  private readonly remote = new Map<string, () => void>();

  constructor(private readonly channels: RedisChannels) {}

  publish(householdId: string, event: HouseholdEvent): void {
    this.local.emit(householdId, event);
    this.channels.publish(householdChannel(householdId), event);
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
}
