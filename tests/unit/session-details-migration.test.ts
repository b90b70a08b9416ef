import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JwtIssuer } from '../../signal-server/auth/jwt.js';
import { SessionIssuer } from '../../signal-server/auth/sessions.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { migrations } from '../../signal-server/store/migrations.js';
import { databaseAtVersion, insertOldAccount, insertOldHome, TEST_CLIENT } from './support.js';

/**
 * A data folder made before sessions kept when, where and in which browser
 * they signed in (the schema of the migrations released before it), opened
 * by today's store: the session in use is listed with what is unknown as
 * null, refreshes and from then on shows its address and browser; it can be
 * signed out from another one, and the password can be changed.
 */
const VERSION_BEFORE_SESSION_DETAILS = migrations.findIndex((sql) => sql.includes('ALTER TABLE sessions ADD COLUMN created_at_ms'));
const DAY_MS = 24 * 3_600_000;

test('a data folder from before session details: old sessions are listed, refresh, and can be signed out', async () => {
  assert.ok(VERSION_BEFORE_SESSION_DETAILS > 0);
  const now = Date.now();
  const { db, file } = databaseAtVersion(VERSION_BEFORE_SESSION_DETAILS);
  await insertOldAccount(db, now - 9 * DAY_MS);
  db.prepare('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES (?, ?, NULL)').run('ff01', 'bb01');
  insertOldHome(db, now);
  db.close();

  const store = openSqliteStore(file);
  const sessions = new SessionIssuer(store, new JwtIssuer('unit-test-secret'), 60_000, 30 * DAY_MS);
  try {
    const listed = await sessions.listSignIns('bb01');
    assert.deepEqual(listed, [
      { id: 'ff01', userId: 'bb01', endedAtMs: null, createdAtMs: null, lastUsedAtMs: null, address: null, userAgent: null },
    ]);

    await sessions.refresh('current token', TEST_CLIENT);
    const [refreshed] = await sessions.listSignIns('bb01');
    assert.deepEqual([refreshed?.address, refreshed?.userAgent, refreshed?.createdAtMs], [TEST_CLIENT.address, TEST_CLIENT.userAgent, null]);
    assert.ok((refreshed?.lastUsedAtMs ?? 0) >= now);

    const user = await store.users.findById('bb01');
    const here = await sessions.start(user!, TEST_CLIENT);
    assert.equal((await sessions.listSignIns('bb01')).length, 2);
    await sessions.endOtherSignIns('bb01', (await store.sessions.listSignInsOfUser('bb01')).find((s) => s.id !== 'ff01')!.id);
    assert.deepEqual((await sessions.listSignIns('bb01')).map((s) => s.id === 'ff01'), [false]);
    assert.ok(here.refreshToken);
  } finally {
    await store.close();
  }
});
