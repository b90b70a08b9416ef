import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JwtIssuer } from '../../signal-server/auth/jwt.js';
import { resolveAuthorization } from '../../signal-server/auth/principal.js';
import { SessionIssuer } from '../../signal-server/auth/sessions.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { OLD_RECORDING, databaseAtVersion, insertOldAccount, insertOldHome, TEST_CLIENT } from './support.js';

/**
 * A data folder made while one account was one household (schema version 9:
 * the migrations released before roles), opened by today's store: the
 * account is the owner of its household, and its camera, credential, session
 * and recording are intact.
 */
const VERSION_BEFORE_MEMBERS = 9;
const DAY_MS = 24 * 3_600_000;

test('a data folder from before roles: the account owns its household; cameras, credentials and recordings are intact', async () => {
  const now = Date.now();
  const { db, file } = databaseAtVersion(VERSION_BEFORE_MEMBERS);
  await insertOldAccount(db, now - 9 * DAY_MS);
  db.prepare('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES (?, ?, NULL)').run('ff01', 'bb01');
  insertOldHome(db, now);
  db.close();

  const store = openSqliteStore(file);
  const jwt = new JwtIssuer('unit-test-secret');
  const sessions = new SessionIssuer(store, jwt, 60_000, 30 * DAY_MS);
  try {
    const user = await store.users.findByEmail('old@example.com');
    assert.deepEqual([user?.householdId, user?.role, user?.cameras], ['aa01', 'owner', { kind: 'all' }]);
    assert.deepEqual((await store.members.listByHousehold('aa01')).map((u) => [u.id, u.role]), [['bb01', 'owner']]);

    const next = await sessions.refresh('current token', TEST_CLIENT);
    const principal = await resolveAuthorization(`Bearer ${next.accessToken}`, jwt, store, sessions);
    assert.deepEqual(principal, {
      kind: 'user',
      userId: 'bb01',
      householdId: 'aa01',
      sessionId: 'ff01',
      role: 'owner',
      cameras: { kind: 'all' },
      grant: { kind: 'session' },
    });
    assert.deepEqual(await resolveAuthorization('Device device-credential', jwt, store, sessions), {
      kind: 'device',
      deviceId: 'dd01',
      householdId: 'aa01',
    });
    assert.equal((await store.recordingControls.get('dd01')).enabled, true);
    const recordings = await store.recordings.list({ householdId: 'aa01' });
    assert.deepEqual(recordings.map((r) => [r.id, r.deviceId, r.sizeBytes, r.chunkCount]), [[OLD_RECORDING, 'dd01', 3000, 2]]);
    assert.deepEqual((await store.recordings.chunks(OLD_RECORDING)).map((c) => c.sizeBytes), [1000, 2000]);
  } finally {
    await store.close();
  }
});
