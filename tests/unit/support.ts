import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../signal-server/store/migrations.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import type { Store, UserRecord } from '../../signal-server/store/store.js';
import { hashPassword } from '../../signal-server/auth/passwords.js';
import { newId } from '../../signal-server/util/ids.js';

/** A real SQLite store in a fresh temp folder. */
export function tempStore(): { store: Store; file: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'peerwatch-unit-')), 'peerwatch.sqlite');
  return { store: openSqliteStore(file), file };
}

/** Creates a user (and its household) in the store. */
export async function addUser(store: Store, email = `${newId()}@example.com`): Promise<UserRecord> {
  const user = { id: newId(), householdId: newId(), email, passwordHash: 'x', createdAtMs: Date.now() };
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
