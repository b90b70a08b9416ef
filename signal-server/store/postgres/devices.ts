import type pg from 'pg';
import { toDevice, toPairing } from '../rows.js';
import type { ClaimOutcome, DeviceRecord, DeviceRepository, PairingRepository } from '../store.js';
import { changes, inTransaction, one, rows } from './db.js';

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
        await pool.query(
          'INSERT INTO pairings (id, household_id, token_hash, name, created_at_ms, expires_at_ms, claimed_at_ms, device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [p.id, p.householdId, p.tokenHash, p.name, p.createdAtMs, p.expiresAtMs, p.claimedAtMs, p.deviceId],
        );
      },
      async claim(tokenHash, nowMs, device) {
        return inTransaction(pool, async (tx): Promise<ClaimOutcome> => {
          const pairing = await one(tx, 'SELECT * FROM pairings WHERE token_hash = $1 FOR UPDATE', [tokenHash], toPairing);
          if (!pairing) return { kind: 'not-found' };
          if (pairing.claimedAtMs !== null) return { kind: 'already-claimed' };
          if (pairing.expiresAtMs <= nowMs) return { kind: 'expired' };
          const stored: DeviceRecord = {
            ...device,
            householdId: pairing.householdId,
            name: device.name ?? pairing.name ?? 'Camera',
          };
          await tx.query(
            'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES ($1, $2, $3, $4, $5, $6)',
            [stored.id, stored.householdId, stored.name, stored.tokenHash, stored.createdAtMs, stored.lastSeenAtMs],
          );
          await tx.query('UPDATE pairings SET claimed_at_ms = $1, device_id = $2 WHERE id = $3', [nowMs, stored.id, pairing.id]);
          return { kind: 'claimed', pairing: { ...pairing, claimedAtMs: nowMs, deviceId: stored.id }, device: stored };
        });
      },
      async deleteExpired(beforeMs) {
        await pool.query('DELETE FROM pairings WHERE expires_at_ms < $1', [beforeMs]);
      },
    },
  };
}
