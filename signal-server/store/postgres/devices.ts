import type pg from 'pg';
import { toDevice, toPairing } from '../rows.js';
import { claimOutcome } from '../pairing-claim.js';
import type { DeviceRepository, PairingRepository } from '../store.js';
import { changes, inTransaction, insertRow, one, rows } from './db.js';

/**
 * The PostgreSQL device and pairing repositories. A claim locks the pairing's
 * row (`SELECT … FOR UPDATE`) before it checks and spends it, so of two
 * concurrent claims of one token the second waits, then finds it claimed:
 * one device at most.
 */
export function postgresDeviceRepositories(pool: pg.Pool): { devices: DeviceRepository; pairings: PairingRepository } {
  return {
    devices: {
      async listByHousehold(householdId) {
        return (await rows(pool, 'SELECT * FROM devices WHERE household_id = $1 ORDER BY created_at_ms', [householdId])).map(toDevice);
      },
      async findById(id) {
        return one(pool, 'SELECT * FROM devices WHERE id = $1', [id], toDevice);
      },
      async findByTokenHash(tokenHash) {
        return one(pool, 'SELECT * FROM devices WHERE token_hash = $1', [tokenHash], toDevice);
      },
      async rename(id, name) {
        await pool.query('UPDATE devices SET name = $1 WHERE id = $2', [name, id]);
      },
      async delete(id) {
        return (await changes(pool, 'DELETE FROM devices WHERE id = $1', [id])) === 1;
      },
      async touchLastSeen(id, atMs) {
        await pool.query('UPDATE devices SET last_seen_at_ms = $1 WHERE id = $2', [atMs, id]);
      },
    },
    pairings: {
      async insert(p) {
        await insertRow(pool, 'pairings', {
          id: p.id,
          household_id: p.householdId,
          token_hash: p.tokenHash,
          name: p.name,
          created_at_ms: p.createdAtMs,
          expires_at_ms: p.expiresAtMs,
          claimed_at_ms: p.claimedAtMs,
          device_id: p.deviceId,
        });
      },
      async claim(tokenHash, nowMs, device) {
        return inTransaction(pool, async (tx) => {
          const pairing = await one(tx, 'SELECT * FROM pairings WHERE token_hash = $1 FOR UPDATE', [tokenHash], toPairing);
          const outcome = claimOutcome(pairing, nowMs, device);
          if (outcome.kind === 'claimed') {
            const d = outcome.device;
            await insertRow(tx, 'devices', {
              id: d.id,
              household_id: d.householdId,
              name: d.name,
              token_hash: d.tokenHash,
              created_at_ms: d.createdAtMs,
              last_seen_at_ms: d.lastSeenAtMs,
            });
            await tx.query('UPDATE pairings SET claimed_at_ms = $1, device_id = $2 WHERE id = $3', [nowMs, d.id, outcome.pairing.id]);
          }
          return outcome;
        });
      },
      async deleteExpired(beforeMs) {
        await pool.query('DELETE FROM pairings WHERE expires_at_ms < $1', [beforeMs]);
      },
    },
  };
}
