import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '../../signal-server/logger.js';
import { openPostgresStore } from '../../signal-server/store/postgres/postgres-store.js';
import { migrations } from '../../signal-server/store/migrations.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import type { Store, UserRecord } from '../../signal-server/store/store.js';
import { hashPassword } from '../../signal-server/auth/passwords.js';
import { hashToken, newId } from '../../signal-server/util/ids.js';
import { PostgresServer } from '../support/postgres-server.js';

/** A real SQLite store in a fresh temp folder. */
export function tempStore(): { store: Store; file: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'peerwatch-unit-')), 'peerwatch.sqlite');
  return { store: openSqliteStore(file), file };
}

/** Opens a fresh, empty store of the kind at hand (closed by `forEachStore` after the tests, or earlier by the test). */
export type OpenStore = () => Promise<Store>;

/** `store` whose `close` may be called more than once (by a test, then by `forEachStore`). */
function closableTwice(store: Store): Store {
  let closing: Promise<void> | undefined;
  return { ...store, close: () => (closing ??= store.close()) };
}

/**
 * Registers the tests of `body` twice: in a suite "SQLite store" whose `open`
 * gives each test a SQLite file of its own (`tempStore`), and in a suite
 * "PostgreSQL store" whose `open` gives each test a fresh database of one
 * throwaway PostgreSQL server (`PostgresServer`, started at the first `open`
 * of this test file and stopped after its tests). Stores still open after a
 * suite are closed.
 */
export function forEachStore(body: (open: OpenStore) => void): void {
  const suite = (name: string, openOne: () => Promise<Store>, stop: () => Promise<void>) =>
    describe(name, () => {
      const opened: Store[] = [];
      after(async () => {
        await Promise.all(opened.map((store) => store.close()));
        await stop();
      });
      body(async () => {
        const store = closableTwice(await openOne());
        opened.push(store);
        return store;
      });
    });
  suite('SQLite store', async () => tempStore().store, async () => undefined);
  let server: Promise<PostgresServer> | undefined;
  suite(
    'PostgreSQL store',
    async () => openPostgresStore(await (await (server ??= PostgresServer.start())).newDatabase(), createLogger('silent')),
    async () => (await server)?.stop(),
  );
}

/** Creates a user (and its household) in the store. */
export async function addUser(store: Store, email = `${newId()}@example.com`): Promise<UserRecord> {
  const user: UserRecord = { id: newId(), householdId: newId(), email, passwordHash: 'x', createdAtMs: Date.now(), role: 'owner', cameras: { kind: 'all' } };
  await store.users.create(user);
  return user;
}

/**
 * A fresh SQLite file at schema `version`: the first `version` migrations
 * applied as the code of that time applied them (one transaction each, then
 * `user_version`), for a test to fill with that time's rows and open with
 * today's store. Close `db` before opening the file again.
 */
export function databaseAtVersion(version: number): { db: Database.Database; file: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'peerwatch-upgrade-')), 'peerwatch.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  for (let step = 0; step < version; step++) {
    db.transaction(() => {
      db.exec(migrations[step]!);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
  return { db, file };
}

/** The account `insertOldAccount` writes: household `aa01`, user `bb01`. */
const OLD_ACCOUNT = { householdId: 'aa01', userId: 'bb01', email: 'old@example.com', password: 'an old password' };

/** Writes `OLD_ACCOUNT` (its household and user rows, created at `createdAtMs`) into a database of an older schema. */
export async function insertOldAccount(db: Database.Database, createdAtMs: number): Promise<void> {
  const { householdId, userId, email, password } = OLD_ACCOUNT;
  db.prepare('INSERT INTO households (id, created_at_ms) VALUES (?, ?)').run(householdId, createdAtMs);
  db.prepare('INSERT INTO users (id, household_id, email, password_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)').run(
    userId,
    householdId,
    email,
    await hashPassword(password),
    createdAtMs,
  );
}

const DAY_MS = 24 * 3_600_000;
/** The recording `insertOldHome` writes. */
export const OLD_RECORDING = 'Rc0000000000000000000A';

/**
 * Writes the rest of `OLD_ACCOUNT`'s home into a database of an older schema
 * (version 4 or later; session `ff01` must exist): its refresh token
 * `current token` in session `ff01`, camera `dd01` "Hallway" with credential
 * `device-credential` asked to record, and `OLD_RECORDING` of that camera
 * (3000 bytes: the init chunk of 1000 bytes and one of 2000, final), a day before `now`.
 */
export function insertOldHome(db: Database.Database, now: number): void {
  db.prepare(
    'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at_ms, used_at_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, NULL, NULL)',
  ).run('cc01', 'bb01', 'ff01', hashToken('current token'), now + 29 * DAY_MS);
  db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run('dd01', 'aa01', 'Hallway', hashToken('device-credential'), now - 8 * DAY_MS, now - DAY_MS);
  db.prepare('INSERT INTO recording_controls (device_id, enabled, recording, reported_problem) VALUES (?, 1, 1, NULL)').run('dd01');
  db.prepare(
    `INSERT INTO recordings (id, household_id, device_id, started_at_ms, ended_at_ms, size_bytes, chunk_count, final_seq, closed_at_ms, created_at_ms)
     VALUES (?, 'aa01', 'dd01', ?, ?, 3000, 2, 1, ?, ?)`,
  ).run(OLD_RECORDING, now - DAY_MS, now - DAY_MS + 2_000, now - DAY_MS + 2_000, now - DAY_MS);
  const chunk = db.prepare(
    `INSERT INTO recording_chunks (recording_id, seq, size_bytes, sha256, start_ms, duration_ms, stored_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  chunk.run(OLD_RECORDING, 0, 1000, 'a'.repeat(64), now - DAY_MS, 0, now - DAY_MS);
  chunk.run(OLD_RECORDING, 1, 2000, 'b'.repeat(64), now - DAY_MS, 2_000, now - DAY_MS);
}

/** Where the unit tests' sign-ins and refreshes come from. */
export const TEST_CLIENT = { address: '127.0.0.1', userAgent: 'node:test' } as const;
