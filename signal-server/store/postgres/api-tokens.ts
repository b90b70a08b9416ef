import type pg from 'pg';
import { TOKEN_COLUMNS, tokenOf, toUser } from '../rows.js';
import type { ApiTokenRepository } from '../store.js';
import { inTransaction, one, rows } from './db.js';

const TOKEN_SESSION_USER = 'api_tokens t JOIN sessions s ON s.id = t.id JOIN users ON users.id = t.user_id';

/** The PostgreSQL API token repository: a token lives as long as its session row has not ended. */
export function postgresApiTokenRepository(pool: pg.Pool): { apiTokens: ApiTokenRepository } {
  return {
    apiTokens: {
      async insert(token) {
        await inTransaction(pool, async (tx) => {
          await tx.query('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES ($1, $2, NULL)', [token.id, token.userId]);
          await tx.query(
            `INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_at_ms, expires_at_ms, last_used_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`,
            [token.id, token.userId, token.name, token.tokenHash, JSON.stringify(token.scopes), token.createdAtMs, token.expiresAtMs],
          );
        });
      },
      async findActive(tokenHash) {
        return one(
          pool,
          `SELECT users.*, ${TOKEN_COLUMNS} FROM ${TOKEN_SESSION_USER} WHERE t.token_hash = $1 AND s.ended_at_ms IS NULL`,
          [tokenHash],
          (row) => ({ token: tokenOf(row), user: toUser(row) }),
        );
      },
      async listByHousehold(householdId) {
        const found = await rows(
          pool,
          `SELECT users.email AS email, ${TOKEN_COLUMNS} FROM ${TOKEN_SESSION_USER}
           WHERE users.household_id = $1 AND s.ended_at_ms IS NULL ORDER BY t.created_at_ms DESC, t.id`,
          [householdId],
        );
        return found.map((row) => ({ ...tokenOf(row), email: row.email as string }));
      },
      async findInHousehold(id, householdId) {
        return one(
          pool,
          `SELECT ${TOKEN_COLUMNS} FROM ${TOKEN_SESSION_USER} WHERE t.id = $1 AND users.household_id = $2 AND s.ended_at_ms IS NULL`,
          [id, householdId],
          tokenOf,
        );
      },
      async touchLastUsed(id, atMs) {
        await pool.query('UPDATE api_tokens SET last_used_at_ms = $1 WHERE id = $2', [atMs, id]);
      },
    },
  };
}
