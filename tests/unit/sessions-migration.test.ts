import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JwtIssuer, type AccessClaims } from '../../signal-server/auth/jwt.js';
import { verifyPassword } from '../../signal-server/auth/passwords.js';
import { resolveAuthorization } from '../../signal-server/auth/principal.js';
import { SessionIssuer } from '../../signal-server/auth/sessions.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { databaseAtVersion, insertOldAccount, TEST_CLIENT } from './support.js';

/**
 * A data folder made before sign-in sessions had a table of their own (schema
 * version 3: the migrations released before it, applied as that code applied
 * them), with an account, a session in use, a signed-out one and a camera,
 * opened by today's store: everything still works, the signed-out session
 * stays ended.
 */
const VERSION_BEFORE_SESSIONS = 3;
const DAY_MS = 24 * 3_600_000;

async function dataFolderBeforeSessions(): Promise<string> {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_SESSIONS);
  const now = Date.now();
  await insertOldAccount(db, now - 9 * DAY_MS);
  const refresh = db.prepare(
    'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at_ms, used_at_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // Family ff01, in use: one token spent by a rotation, the current one not.
  refresh.run('cc01', 'bb01', 'ff01', hashToken('spent token'), now + 20 * DAY_MS, now - DAY_MS, null);
  refresh.run('cc02', 'bb01', 'ff01', hashToken('current token'), now + 29 * DAY_MS, null, null);
  // Family ff02, signed out.
  refresh.run('cc03', 'bb01', 'ff02', hashToken('signed-out token'), now + 25 * DAY_MS, null, now - DAY_MS);
  db.prepare(
    'INSERT INTO devices (id, household_id, name, token_hash, created_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run('dd01', 'aa01', 'Hallway', hashToken('device-credential'), now - 8 * DAY_MS, now - DAY_MS);
  db.prepare('INSERT INTO recording_controls (device_id, enabled, recording) VALUES (?, 1, 0)').run('dd01');
  db.close();
  return file;
}

test('a data folder from before sessions: accounts, sessions, cameras and their credentials still work', async () => {
  const store = openSqliteStore(await dataFolderBeforeSessions());
  const jwt = new JwtIssuer('unit-test-secret');
  const sessions = new SessionIssuer(store, jwt, 60_000, 30 * DAY_MS);
  try {
    const user = await store.users.findByEmail('old@example.com');
    assert.equal(user?.id, 'bb01');
    assert.ok(await verifyPassword('an old password', user.passwordHash));

    // The session in use goes on under its family id; the signed-out one stays ended.
    assert.deepEqual(await store.sessions.findById('ff01'), {
      id: 'ff01',
      userId: 'bb01',
      endedAtMs: null,
      createdAtMs: null,
      lastUsedAtMs: null,
      address: null,
      userAgent: null,
    });
    assert.ok((await store.sessions.findById('ff02'))?.endedAtMs);
    const next = await sessions.refresh('current token', TEST_CLIENT);
    assert.equal(jwt.verify<AccessClaims>(next.accessToken, 'access')?.sid, 'ff01');
    const principal = await resolveAuthorization(`Bearer ${next.accessToken}`, jwt, store, sessions);
    assert.deepEqual(principal, { kind: 'user', userId: 'bb01', householdId: 'aa01', sessionId: 'ff01', role: 'owner', cameras: { kind: 'all' }, grant: { kind: 'session' } });
    await assert.rejects(sessions.refresh('signed-out token', TEST_CLIENT));

    // An access token from before (no session in it) is refused; the client refreshes it.
    const old = jwt.sign({ typ: 'access', sub: 'bb01', hid: 'aa01' } as never, 60_000).token;
    assert.equal(await resolveAuthorization(`Bearer ${old}`, jwt, store, sessions), undefined);

    // The camera, its credential and its recording wish are kept.
    const camera = await resolveAuthorization('Device device-credential', jwt, store, sessions);
    assert.deepEqual(camera, { kind: 'device', deviceId: 'dd01', householdId: 'aa01' });
    assert.equal((await store.devices.findById('dd01'))?.name, 'Hallway');
    assert.equal((await store.recordingControls.get('dd01')).enabled, true);

    // Signing out now ends the migrated session and its access tokens.
    await sessions.end(next.refreshToken);
    assert.equal(await resolveAuthorization(`Bearer ${next.accessToken}`, jwt, store, sessions), undefined);
  } finally {
    await store.close();
  }
});
