import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import type { Store, UserRecord } from '../../signal-server/store/store.js';
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
