import type Database from 'better-sqlite3';
import type { TokenScope } from '../../protocol/index.js';
import { toUser } from './sqlite-members.js';
import type { ApiTokenRecord, ApiTokenRepository } from './store.js';

type Row = Record<string, unknown>;

const toApiToken = (r: Row): ApiTokenRecord => ({
  id: r.id as string,
  userId: r.user_id as string,
  name: r.name as string,
  tokenHash: r.token_hash as string,
  scopes: JSON.parse(r.scopes as string) as TokenScope[],
  createdAtMs: r.created_at_ms as number,
  expiresAtMs: (r.expires_at_ms as number | null) ?? null,
  lastUsedAtMs: (r.last_used_at_ms as number | null) ?? null,
});

/** The token columns under `t_` names, beside a joined user's own. */
const TOKEN_COLUMNS =
  't.id AS t_id, t.user_id AS t_user_id, t.name AS t_name, t.token_hash AS t_token_hash, t.scopes AS t_scopes, t.created_at_ms AS t_created_at_ms, t.expires_at_ms AS t_expires_at_ms, t.last_used_at_ms AS t_last_used_at_ms';

/** The `t_` columns of a joined row as a token. */
const tokenOf = (r: Row): ApiTokenRecord =>
  toApiToken(Object.fromEntries(Object.entries(r).flatMap(([key, value]) => (key.startsWith('t_') ? [[key.slice(2), value]] : []))));

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
