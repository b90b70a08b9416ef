import type { RedisClientType } from 'redis';
import { withinMs } from './within-ms.js';

/** The Redis key of a spent signaling ticket (`jti`). */
const ticketKey = (ticketId: string): string => `signal:ticket:${ticketId}`;

/**
 * The signaling tickets spent on any instance, in Redis, so that a ticket
 * opens one socket across all instances: one key per ticket id, written with
 * `SET NX` (only the first instance to spend it succeeds) and gone when the
 * ticket expires (`PXAT` = the ticket's expiry), so Redis keeps no more than
 * the tickets still valid. Each instance's `SpentTickets` still answers
 * first, without a round trip, for tickets reused on the same instance.
 */
export class SharedSpentTickets {
  constructor(
    private readonly redis: RedisClientType,
    /** Who spent it (the key's value), to tell in Redis which instance did. */
    private readonly instanceId: string,
    private readonly waitMs: number,
  ) {}

  /**
   * Spends ticket `ticketId`, valid until `expiresAtMs` (ms since the epoch).
   * @returns true the first time on any instance, false when it was spent before
   * @throws Error when Redis fails or does not answer within `waitMs`
   */
  async spend(ticketId: string, expiresAtMs: number): Promise<boolean> {
    const set = await withinMs(
      this.redis.set(ticketKey(ticketId), this.instanceId, {
        condition: 'NX',
        expiration: { type: 'PXAT', value: Math.ceil(expiresAtMs) },
      }),
      this.waitMs,
      'ticket spend',
    );
    return set === 'OK';
  }
}
