import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import type { AuditRecord } from '../../signal-server/store/store.js';
import { hashToken } from '../../signal-server/util/ids.js';
import { OLD_RECORDING, databaseAtVersion, insertOldAccount, insertOldHome } from './support.js';

/**
 * A data folder made before the audit log (schema version 12: the migrations
 * released before it), with a household of two people, a camera, a recording
 * and an API token, opened by today's store: everything is kept, the log is
 * empty, and rows written now are paged newest first, filtered and kept to
 * their retention period.
 */
const VERSION_BEFORE_AUDIT = 13;
const DAY_MS = 24 * 3_600_000;

function row(id: string, atMs: number, change: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id,
    householdId: 'aa01',
    atMs,
    kind: 'sign-in',
    actor: { kind: 'user', userId: 'bb01', email: 'old@example.com', tokenId: null },
    deviceId: null,
    details: {},
    address: '127.0.0.1',
    userAgent: 'test agent',
    ...change,
  };
}

test('a data folder from before the audit log: people, cameras, recordings and tokens are kept; the log starts empty and pages newest first', async () => {
  const now = Date.now();
  const { db, file } = databaseAtVersion(VERSION_BEFORE_AUDIT);
  await insertOldAccount(db, now - 9 * DAY_MS);
  db.prepare('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES (?, ?, NULL)').run('ff01', 'bb01');
  insertOldHome(db, now);
  db.prepare(
    "INSERT INTO users (id, household_id, email, password_hash, created_at_ms, role, camera_ids) VALUES ('bb02', 'aa01', 'second@example.com', 'x', ?, 'viewer', '[\"dd01\"]')",
  ).run(now);
  db.prepare('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES (?, ?, NULL)').run('tt01', 'bb01');
  db.prepare(
    "INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_at_ms, expires_at_ms, last_used_at_ms) VALUES ('tt01', 'bb01', 'Script', ?, '[\"read\"]', ?, NULL, NULL)",
  ).run(hashToken('pwt_old'), now);
  db.close();

  const store = openSqliteStore(file);
  try {
    assert.deepEqual(
      (await store.members.listByHousehold('aa01')).map((u) => [u.email, u.role, u.cameras]),
      [
        ['old@example.com', 'owner', { kind: 'all' }],
        ['second@example.com', 'viewer', { kind: 'only', deviceIds: ['dd01'] }],
      ],
    );
    assert.equal((await store.devices.findById('dd01'))?.name, 'Hallway');
    assert.equal((await store.recordings.findById(OLD_RECORDING))?.sizeBytes, 3000);
    assert.equal((await store.apiTokens.findActive(hashToken('pwt_old')))?.token.name, 'Script');
    assert.deepEqual(await store.audit.list({ householdId: 'aa01', limit: 10 }), []);

    const old = row('old0000000000000', now - 100 * DAY_MS);
    const viewed = row('view000000000000', now - 2_000, { kind: 'live-view-ended', deviceId: 'dd01', details: { durationMs: 5_000 } });
    const signedIn = row('sign000000000000', now - 1_000);
    const sameTime = row('sigo000000000000', now - 1_000, { actor: { kind: 'user', userId: 'bb02', email: 'second@example.com', tokenId: null } });
    for (const r of [old, viewed, signedIn, sameTime]) await store.audit.insert(r);

    // Newest first; rows of one time by id, descending; the cursor continues after the row it names.
    const all = await store.audit.list({ householdId: 'aa01', limit: 10 });
    assert.deepEqual(all.map((r) => r.id), [sameTime.id, signedIn.id, viewed.id, old.id]);
    assert.deepEqual(all[2], viewed);
    const next = await store.audit.list({ householdId: 'aa01', limit: 2, after: { atMs: signedIn.atMs, id: signedIn.id } });
    assert.deepEqual(next.map((r) => r.id), [viewed.id, old.id]);
    assert.deepEqual((await store.audit.list({ householdId: 'aa01', personId: 'bb02', limit: 10 })).map((r) => r.id), [sameTime.id]);
    assert.deepEqual((await store.audit.list({ householdId: 'aa01', deviceId: 'dd01', limit: 10 })).map((r) => r.id), [viewed.id]);
    assert.deepEqual((await store.audit.list({ householdId: 'aa01', kind: 'live-view-ended', limit: 10 })).map((r) => r.id), [viewed.id]);
    assert.deepEqual(
      (await store.audit.list({ householdId: 'aa01', fromMs: now - 2_000, toMs: now - 1_500, limit: 10 })).map((r) => r.id),
      [viewed.id],
    );
    assert.deepEqual(await store.audit.list({ householdId: 'another', limit: 10 }), []);

    assert.equal(await store.audit.deleteOlderThan(now - 90 * DAY_MS), 1);
    assert.deepEqual((await store.audit.list({ householdId: 'aa01', limit: 10 })).map((r) => r.id), [sameTime.id, signedIn.id, viewed.id]);
  } finally {
    await store.close();
  }
});
