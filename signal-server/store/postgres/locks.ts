import type pg from 'pg';
import type { StoreLocks, SweepOutcome } from '../store.js';

/**
 * First key of the two-key advisory locks of sweeps (the second is
 * `hashtext(name)`); two-key locks never collide with one-key ones such as
 * the migrations' (PostgreSQL docs, "Advisory Lock Functions").
 */
const SWEEP_LOCK_CLASS = 0x5057; // "PW"

/**
 * Sweeps across servers over one PostgreSQL database: a sweep runs while
 * its server holds a session-level `pg_try_advisory_lock` on one pooled
 * connection; a server that does not get it skips the sweep. A server that
 * dies mid-sweep loses its connection, and with it the lock.
 */
export function postgresLocks(pool: pg.Pool): StoreLocks {
  return {
    async trySweep<T>(name: string, fn: () => Promise<T>): Promise<SweepOutcome<T>> {
      const client = await pool.connect();
      /** Set when the unlock failed: the connection is then destroyed, which releases the lock too. */
      let broken: Error | undefined;
      try {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
          SWEEP_LOCK_CLASS,
          name,
        ]);
        if (!rows[0]?.locked) return { kind: 'busy' };
        try {
          return { kind: 'ran', value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SWEEP_LOCK_CLASS, name]).catch((error: unknown) => {
            broken = error as Error;
          });
        }
      } finally {
        client.release(broken);
      }
    },
  };
}
