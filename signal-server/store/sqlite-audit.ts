import type Database from 'better-sqlite3';
import { auditColumns, toAudit, type Row } from './rows.js';
import type { AuditRecord, AuditRepository } from './store.js';

/** The SQLite audit log: keyset-paged by (time, id), newest first. */
export function sqliteAuditRepository(db: Database.Database): { audit: AuditRepository } {
  const q = {
    insert: db.prepare(
      `INSERT INTO audit_events (id, household_id, at_ms, kind, actor_kind, actor_user_id, actor_email, actor_token_id, device_id, details, address, user_agent)
       VALUES (@id, @householdId, @atMs, @kind, @actorKind, @actorUserId, @actorEmail, @actorTokenId, @deviceId, @details, @address, @userAgent)`,
    ),
    list: db.prepare(
      `SELECT * FROM audit_events WHERE household_id = @householdId
         AND (@personId IS NULL OR actor_user_id = @personId)
         AND (@deviceId IS NULL OR device_id = @deviceId)
         AND (@kind IS NULL OR kind = @kind)
         AND (@fromMs IS NULL OR at_ms >= @fromMs)
         AND (@toMs IS NULL OR at_ms <= @toMs)
         AND (@afterAtMs IS NULL OR at_ms < @afterAtMs OR (at_ms = @afterAtMs AND id < @afterId))
       ORDER BY at_ms DESC, id DESC
       LIMIT @limit`,
    ),
    deleteOlder: db.prepare('DELETE FROM audit_events WHERE at_ms < ?'),
  };
  return {
    audit: {
      async insert(record) {
        q.insert.run(auditColumns(record));
      },
      async list(query) {
        const params = {
          householdId: query.householdId,
          personId: query.personId ?? null,
          deviceId: query.deviceId ?? null,
          kind: query.kind ?? null,
          fromMs: query.fromMs ?? null,
          toMs: query.toMs ?? null,
          afterAtMs: query.after?.atMs ?? null,
          afterId: query.after?.id ?? null,
          limit: query.limit,
        };
        return (q.list.all(params) as Row[]).map(toAudit);
      },
      async deleteOlderThan(beforeMs) {
        return q.deleteOlder.run(beforeMs).changes;
      },
    },
  };
}
