import type pg from 'pg';
import { auditColumns, toAudit } from '../rows.js';
import type { AuditRepository } from '../store.js';
import { changes, rows } from './db.js';

/** The PostgreSQL audit log: keyset-paged by (time, id), newest first. */
export function postgresAuditRepository(pool: pg.Pool): { audit: AuditRepository } {
  return {
    audit: {
      async insert(record) {
        await pool.query(
          `INSERT INTO audit_events (id, household_id, at_ms, kind, actor_kind, actor_user_id, actor_email, actor_token_id, device_id, details, address, user_agent)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          Object.values(auditColumns(record)),
        );
      },
      async list(query) {
        const found = await rows(
          pool,
          `SELECT * FROM audit_events WHERE household_id = $1
             AND ($2::text IS NULL OR actor_user_id = $2)
             AND ($3::text IS NULL OR device_id = $3)
             AND ($4::text IS NULL OR kind = $4)
             AND ($5::bigint IS NULL OR at_ms >= $5)
             AND ($6::bigint IS NULL OR at_ms <= $6)
             AND ($7::bigint IS NULL OR at_ms < $7 OR (at_ms = $7 AND id < $8))
           ORDER BY at_ms DESC, id DESC
           LIMIT $9`,
          [
            query.householdId,
            query.personId ?? null,
            query.deviceId ?? null,
            query.kind ?? null,
            query.fromMs ?? null,
            query.toMs ?? null,
            query.after?.atMs ?? null,
            query.after?.id ?? null,
            query.limit,
          ],
        );
        return found.map(toAudit);
      },
      async deleteOlderThan(beforeMs) {
        return changes(pool, 'DELETE FROM audit_events WHERE at_ms < $1', [beforeMs]);
      },
    },
  };
}
