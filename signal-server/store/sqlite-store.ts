import Database from 'better-sqlite3';
import { migrations } from './migrations.js';
import { sqliteAuditRepository } from './sqlite-audit.js';
import { sqliteCameraControlRepository } from './sqlite-camera-controls.js';
import { sqliteCameraSettingsRepository } from './sqlite-camera-settings.js';
import { sqliteApiTokenRepository } from './sqlite-api-tokens.js';
import { sqliteMemberRepositories } from './sqlite-members.js';
import { sqliteMotionEventRepository } from './sqlite-motion-events.js';
import { sqliteNotificationRepositories } from './sqlite-notifications.js';
import { sqliteNotificationSettingRepositories } from './sqlite-notification-settings.js';
import { sqliteRecordingRepositories } from './sqlite-recordings.js';
import { toDevice, toPairing, toRefreshToken, toSession, toUser, type Row } from './rows.js';
import { claimOutcome } from './pairing-claim.js';
import { EmailTakenError, type ClaimOutcome, type NewDevice, type Store } from './store.js';

/** The row `statement` finds for `key`, mapped by `to`, or undefined when there is none. */
function findOne<T>(statement: Database.Statement, key: string, to: (row: Row) => T): T | undefined {
  const row = statement.get(key) as Row | undefined;
  return row && to(row);
}

/** Applies pending migrations inside one transaction each. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/**
 * Opens (creating if needed) the SQLite store at `file` in WAL mode, with
 * foreign keys on, and migrates it to the latest schema.
 * @param file path of the database file, or ':memory:'.
 */
export function openSqliteStore(file: string): Store {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const q = {
    insertHousehold: db.prepare('INSERT INTO households (id, created_at_ms) VALUES (?, ?)'),
    insertUser: db.prepare(
      'INSERT INTO users (id, household_id, email, password_hash, created_at_ms) VALUES (@id, @householdId, @email, @passwordHash, @createdAtMs)',
    ),
    userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    activeSessionUser: db.prepare(
      'SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id = ? AND sessions.ended_at_ms IS NULL',
    ),
    activeSessionsOfUser: db.prepare('SELECT id FROM sessions WHERE user_id = ? AND ended_at_ms IS NULL'),
    insertRefresh: db.prepare(
      'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at_ms, used_at_ms, revoked_at_ms) VALUES (@id, @userId, @familyId, @tokenHash, @expiresAtMs, @usedAtMs, @revokedAtMs)',
    ),
    refreshByHash: db.prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?'),
    markRefreshUsed: db.prepare('UPDATE refresh_tokens SET used_at_ms = ? WHERE id = ? AND used_at_ms IS NULL'),
    revokeFamily: db.prepare(
      'UPDATE refresh_tokens SET revoked_at_ms = ? WHERE family_id = ? AND revoked_at_ms IS NULL',
    ),
    insertSession: db.prepare(
      'INSERT INTO sessions (id, user_id, ended_at_ms, created_at_ms, last_used_at_ms, address, user_agent) VALUES (@id, @userId, @endedAtMs, @createdAtMs, @lastUsedAtMs, @address, @userAgent)',
    ),
    touchSession: db.prepare('UPDATE sessions SET last_used_at_ms = ?, address = ?, user_agent = ? WHERE id = ?'),
    activeSignInsOfUser: db.prepare(
      'SELECT * FROM sessions WHERE user_id = ? AND ended_at_ms IS NULL AND id NOT IN (SELECT id FROM api_tokens) ORDER BY last_used_at_ms DESC, id',
    ),
    setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    sessionById: db.prepare('SELECT * FROM sessions WHERE id = ?'),
    endSession: db.prepare('UPDATE sessions SET ended_at_ms = ? WHERE id = ? AND ended_at_ms IS NULL'),
    devicesByHousehold: db.prepare('SELECT * FROM devices WHERE household_id = ? ORDER BY created_at_ms'),
    deviceById: db.prepare('SELECT * FROM devices WHERE id = ?'),
    deviceByToken: db.prepare('SELECT * FROM devices WHERE token_hash = ?'),
    insertDevice: db.prepare(
      'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (@id, @householdId, @name, @tokenHash, @createdAtMs, @lastSeenAtMs)',
    ),
    renameDevice: db.prepare('UPDATE devices SET name = ? WHERE id = ?'),
    deleteDevice: db.prepare('DELETE FROM devices WHERE id = ?'),
    touchDevice: db.prepare('UPDATE devices SET last_seen_at_ms = ? WHERE id = ?'),
    insertPairing: db.prepare(
      'INSERT INTO pairings (id, household_id, token_hash, name, created_at_ms, expires_at_ms, claimed_at_ms, device_id) VALUES (@id, @householdId, @tokenHash, @name, @createdAtMs, @expiresAtMs, @claimedAtMs, @deviceId)',
    ),
    pairingByHash: db.prepare('SELECT * FROM pairings WHERE token_hash = ?'),
    markPairingClaimed: db.prepare(
      'UPDATE pairings SET claimed_at_ms = ?, device_id = ? WHERE id = ? AND claimed_at_ms IS NULL',
    ),
    deleteExpiredPairings: db.prepare('DELETE FROM pairings WHERE expires_at_ms < ?'),
  };

  const endSessionTx = db.transaction((id: string, atMs: number) => {
    q.endSession.run(atMs, id);
    q.revokeFamily.run(atMs, id);
  });

  const endAllOfUserTx = db.transaction((userId: string, atMs: number): string[] => {
    const ids = (q.activeSessionsOfUser.all(userId) as { id: string }[]).map((row) => row.id);
    for (const id of ids) endSessionTx(id, atMs);
    return ids;
  });

  const endOtherSignInsTx = db.transaction((userId: string, keepId: string, atMs: number): string[] => {
    const ids = (q.activeSignInsOfUser.all(userId) as Row[]).map((row) => row.id as string).filter((id) => id !== keepId);
    for (const id of ids) endSessionTx(id, atMs);
    return ids;
  });

  const claimTx = db.transaction((tokenHash: string, nowMs: number, device: NewDevice): ClaimOutcome => {
    const outcome = claimOutcome(findOne(q.pairingByHash, tokenHash, toPairing), nowMs, device);
    if (outcome.kind === 'claimed') {
      q.insertDevice.run(outcome.device);
      q.markPairingClaimed.run(nowMs, outcome.device.id, outcome.pairing.id);
    }
    return outcome;
  });

  const recordingRepositories = sqliteRecordingRepositories(db);
  return {
    users: {
      async create(user) {
        try {
          db.transaction(() => {
            q.insertHousehold.run(user.householdId, user.createdAtMs);
            q.insertUser.run(user);
          })();
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTakenError();
          throw error;
        }
      },
      async findByEmail(email) {
        return findOne(q.userByEmail, email, toUser);
      },
      async findById(id) {
        return findOne(q.userById, id, toUser);
      },
      async setPasswordHash(id, passwordHash) {
        q.setPasswordHash.run(passwordHash, id);
      },
    },
    refreshTokens: {
      async insert(token) {
        q.insertRefresh.run(token);
      },
      async findByHash(tokenHash) {
        return findOne(q.refreshByHash, tokenHash, toRefreshToken);
      },
      async markUsed(id, atMs) {
        return q.markRefreshUsed.run(atMs, id).changes === 1;
      },
    },
    sessions: {
      async insert(session) {
        q.insertSession.run(session);
      },
      async findById(id) {
        return findOne(q.sessionById, id, toSession);
      },
      async findActiveUser(id) {
        return findOne(q.activeSessionUser, id, toUser);
      },
      async activeIdsOfUser(userId) {
        return (q.activeSessionsOfUser.all(userId) as { id: string }[]).map((row) => row.id);
      },
      async endAllOfUser(userId, atMs) {
        return endAllOfUserTx(userId, atMs);
      },
      async end(id, atMs) {
        endSessionTx(id, atMs);
      },
      async touch(id, atMs, client) {
        q.touchSession.run(atMs, client.address, client.userAgent, id);
      },
      async listSignInsOfUser(userId) {
        return (q.activeSignInsOfUser.all(userId) as Row[]).map(toSession);
      },
      async endOtherSignIns(userId, keepId, atMs) {
        return endOtherSignInsTx(userId, keepId, atMs);
      },
    },
    devices: {
      async listByHousehold(householdId) {
        return (q.devicesByHousehold.all(householdId) as Row[]).map(toDevice);
      },
      async findById(id) {
        return findOne(q.deviceById, id, toDevice);
      },
      async findByTokenHash(tokenHash) {
        return findOne(q.deviceByToken, tokenHash, toDevice);
      },
      async rename(id, name) {
        q.renameDevice.run(name, id);
      },
      async delete(id) {
        return q.deleteDevice.run(id).changes === 1;
      },
      async touchLastSeen(id, atMs) {
        q.touchDevice.run(atMs, id);
      },
    },
    pairings: {
      async insert(pairing) {
        q.insertPairing.run(pairing);
      },
      async claim(tokenHash, nowMs, device) {
        return claimTx(tokenHash, nowMs, device);
      },
      async deleteExpired(beforeMs) {
        q.deleteExpiredPairings.run(beforeMs);
      },
    },
    ...sqliteMemberRepositories(db),
    ...sqliteApiTokenRepository(db),
    recordings: recordingRepositories.recordings,
    recordingControls: recordingRepositories.recordingControls,
    cameraSettings: sqliteCameraSettingsRepository(db, recordingRepositories.setRecordingEnabled),
    ...sqliteCameraControlRepository(db),
    ...sqliteMotionEventRepository(db),
    ...sqliteNotificationRepositories(db),
    ...sqliteNotificationSettingRepositories(db),
    ...sqliteAuditRepository(db),
    // One process owns a SQLite file (WAL, one writer): a sweep never runs beside another server's.
    locks: { trySweep: async (_name, fn) => ({ kind: 'ran', value: await fn() }) },
    async close() {
      db.close();
    },
  };
}
