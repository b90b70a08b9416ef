import type pg from 'pg';
import { toRefreshToken, toSession, toUser } from '../rows.js';
import {
  EmailTakenError,
  type RefreshTokenRepository,
  type SessionRepository,
  type UserRepository,
} from '../store.js';
import { changes, inTransaction, insertRow, one, rows, UNIQUE_VIOLATION, type Queryable } from './db.js';

const ACTIVE_OF_USER = 'SELECT id FROM sessions WHERE user_id = $1 AND ended_at_ms IS NULL';
const ACTIVE_SIGN_INS =
  'SELECT * FROM sessions WHERE user_id = $1 AND ended_at_ms IS NULL AND id NOT IN (SELECT id FROM api_tokens) ORDER BY last_used_at_ms DESC NULLS LAST, id';

/** Ends session `id` and revokes its refresh-token family (inside the caller's transaction). */
async function endSession(tx: Queryable, id: string, atMs: number): Promise<void> {
  await tx.query('UPDATE sessions SET ended_at_ms = $1 WHERE id = $2 AND ended_at_ms IS NULL', [atMs, id]);
  await tx.query('UPDATE refresh_tokens SET revoked_at_ms = $1 WHERE family_id = $2 AND revoked_at_ms IS NULL', [atMs, id]);
}

/** Ends the sessions `select` picks (their rows locked), in one transaction. @returns their ids */
function endSessions(pool: pg.Pool, select: (tx: Queryable) => Promise<string[]>, atMs: number): Promise<string[]> {
  return inTransaction(pool, async (tx) => {
    const ids = await select(tx);
    for (const id of ids) await endSession(tx, id, atMs);
    return ids;
  });
}

/** The ids of the rows `text` selects with `params`. */
const idsOf = async (db: Queryable, text: string, params: unknown[]) =>
  (await rows(db, text, params)).map((row) => row.id as string);

/**
 * The PostgreSQL users, refresh-token and session repositories. A refresh
 * token is spent by one conditional UPDATE (`used_at_ms IS NULL`), so of two
 * concurrent rotations exactly one succeeds.
 */
export function postgresAccountRepositories(pool: pg.Pool): {
  users: UserRepository;
  refreshTokens: RefreshTokenRepository;
  sessions: SessionRepository;
} {
  return {
    users: {
      async create(user) {
        try {
          await inTransaction(pool, async (tx) => {
            await tx.query('INSERT INTO households (id, created_at_ms) VALUES ($1, $2)', [user.householdId, user.createdAtMs]);
            await insertRow(tx, 'users', {
              id: user.id,
              household_id: user.householdId,
              email: user.email,
              password_hash: user.passwordHash,
              created_at_ms: user.createdAtMs,
            });
          });
        } catch (error) {
          const { code, constraint } = error as { code?: string; constraint?: string };
          if (code === UNIQUE_VIOLATION && constraint === 'users_email') throw new EmailTakenError();
          throw error;
        }
      },
      async findByEmail(email) {
        return one(pool, 'SELECT * FROM users WHERE lower(email) = lower($1)', [email], toUser);
      },
      async findById(id) {
        return one(pool, 'SELECT * FROM users WHERE id = $1', [id], toUser);
      },
      async setPasswordHash(id, passwordHash) {
        await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id]);
      },
    },
    refreshTokens: {
      async insert(token) {
        await insertRow(pool, 'refresh_tokens', {
          id: token.id,
          user_id: token.userId,
          family_id: token.familyId,
          token_hash: token.tokenHash,
          expires_at_ms: token.expiresAtMs,
          used_at_ms: token.usedAtMs,
          revoked_at_ms: token.revokedAtMs,
        });
      },
      async findByHash(tokenHash) {
        return one(pool, 'SELECT * FROM refresh_tokens WHERE token_hash = $1', [tokenHash], toRefreshToken);
      },
      async markUsed(id, atMs) {
        const spent = await changes(
          pool,
          'UPDATE refresh_tokens SET used_at_ms = $1 WHERE id = $2 AND used_at_ms IS NULL RETURNING id',
          [atMs, id],
        );
        return spent === 1;
      },
    },
    sessions: {
      async insert(session) {
        await insertRow(pool, 'sessions', {
          id: session.id,
          user_id: session.userId,
          ended_at_ms: session.endedAtMs,
          created_at_ms: session.createdAtMs,
          last_used_at_ms: session.lastUsedAtMs,
          address: session.address,
          user_agent: session.userAgent,
        });
      },
      async findById(id) {
        return one(pool, 'SELECT * FROM sessions WHERE id = $1', [id], toSession);
      },
      async findActiveUser(id) {
        return one(
          pool,
          'SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = $1 AND sessions.ended_at_ms IS NULL',
          [id],
          toUser,
        );
      },
      async activeIdsOfUser(userId) {
        return idsOf(pool, ACTIVE_OF_USER, [userId]);
      },
      async endAllOfUser(userId, atMs) {
        return endSessions(pool, (tx) => idsOf(tx, `${ACTIVE_OF_USER} FOR UPDATE`, [userId]), atMs);
      },
      async end(id, atMs) {
        await endSessions(pool, async () => [id], atMs);
      },
      async touch(id, atMs, client) {
        await pool.query('UPDATE sessions SET last_used_at_ms = $1, address = $2, user_agent = $3 WHERE id = $4', [
          atMs,
          client.address,
          client.userAgent,
          id,
        ]);
      },
      async listSignInsOfUser(userId) {
        return (await rows(pool, ACTIVE_SIGN_INS, [userId])).map(toSession);
      },
      async endOtherSignIns(userId, keepId, atMs) {
        const others = async (tx: Queryable) =>
          (await idsOf(tx, `${ACTIVE_SIGN_INS} FOR UPDATE`, [userId])).filter((id) => id !== keepId);
        return endSessions(pool, others, atMs);
      },
    },
  };
}
