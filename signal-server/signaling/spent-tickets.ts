/** Outcome of `SpentTickets.spend`. */
export type SpendOutcome = 'spent' | 'reused' | 'full';

/**
 * The ids (`jti`) of the signaling tickets that opened a socket, each kept
 * until its ticket expires, so that a ticket opens one socket only. Memory is
 * bounded: at most `maxEntries` ids (about 100 bytes each); expired ids are
 * dropped from the oldest on each `spend`. Ids are kept in the order they
 * were spent, and a ticket is spent within its lifetime of its issue, so every
 * id leaves within two ticket lifetimes.
 */
export class SpentTickets {
  /** Ticket id → its expiry, ms since the epoch; in the order spent. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxEntries: number) {}

  /** Number of ids kept. */
  get size(): number {
    return this.expiries.size;
  }

  /**
   * Spends ticket `id`, valid until `expiresAtMs` (ms since the epoch).
   * @returns `spent` the first time, `reused` when it was spent before, and
   *   `full` (not spent) when `maxEntries` unexpired ids are kept already.
   */
  spend(id: string, expiresAtMs: number, nowMs: number): SpendOutcome {
    for (const [oldId, oldExpiresAtMs] of this.expiries) {
      if (oldExpiresAtMs > nowMs) break;
      this.expiries.delete(oldId);
    }
    if (this.expiries.has(id)) return 'reused';
    if (this.expiries.size >= this.maxEntries) return 'full';
    this.expiries.set(id, expiresAtMs);
    return 'spent';
  }
}
