import type Database from 'better-sqlite3';
import { TOKEN_COLUMNS, tokenOf, toUser, type Row } from './rows.js';
import type { ApiTokenRecord, ApiTokenRepository } from './store.js';

/** The SQLite API token repository: a token lives as long as its session row has not ended. */
export function sqliteApiTokenRepository(db: Database.Database): { apiTokens: ApiTokenRepository } {
  const q = {
    insertSession: db.prepare('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES (?, ?, NULL)'),
    insert: db.prepare(
      `INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_at_ms, expires_at_ms, last_used_at_ms)
       VALUES (@id, @userId, @name, @tokenHash, @scopes, @createdAtMs, @expiresAtMs, NULL)`,
    ),
    active: db.prepare(
      `SELECT users.*, ${TOKEN_COLUMNS} FROM api_tokens t JOIN sessions s ON s.id = t.id JOIN users ON users.id = t.user_id
       WHERE t.token_hash = ? AND s.ended_at_ms IS NULL`,
    ),
    byHousehold: db.prepare(
      `SELECT users.email AS email, ${TOKEN_COLUMNS} FROM api_tokens t JOIN sessions s ON s.id = t.id JOIN users ON users.id = t.user_id
       WHERE users.household_id = ? AND s.ended_at_ms IS NULL ORDER BY t.created_at_ms DESC, t.id`,
    ),
    inHousehold: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens t JOIN sessions s ON s.id = t.id JOIN users ON users.id = t.user_id
       WHERE t.id = ? AND users.household_id = ? AND s.ended_at_ms IS NULL`,
    ),
    touch: db.prepare('UPDATE api_tokens SET last_used_at_ms = ? WHERE id = ?'),
  };
  const insertTx = db.transaction((token: ApiTokenRecord) => {
    q.insertSession.run(token.id, token.userId);
    q.insert.run({ ...token, scopes: JSON.stringify(token.scopes) });
  });
  return {
    apiTokens: {
      async insert(token) {
        insertTx(token);
      },
      async findActive(tokenHash) {
        const row = q.active.get(tokenHash) as Row | undefined;
        return row && { token: tokenOf(row), user: toUser(row) };
      },
      async listByHousehold(householdId) {
        return (q.byHousehold.all(householdId) as Row[]).map((row) => ({ ...tokenOf(row), email: row.email as string }));
      },
      async findInHousehold(id, householdId) {
        const row = q.inHousehold.get(id, householdId) as Row | undefined;
        return row && tokenOf(row);
      },
      async touchLastUsed(id, atMs) {
        q.touch.run(atMs, id);
      },
    },
  };
}
