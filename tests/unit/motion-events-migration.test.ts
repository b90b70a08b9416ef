import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JwtIssuer } from '../../signal-server/auth/jwt.js';
import { verifyPassword } from '../../signal-server/auth/passwords.js';
import { resolveAuthorization } from '../../signal-server/auth/principal.js';
import { SessionIssuer } from '../../signal-server/auth/sessions.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { OLD_RECORDING as RECORDING, databaseAtVersion, insertOldAccount, insertOldHome, TEST_CLIENT } from './support.js';

/**
 * A data folder made before camera events had tables (schema version 4: the
 * migrations released before them, applied as that code applied them), with
 * an account, a camera, its recording wish and a recording with chunks,
 * opened by today's store: everything is still there, and events can be stored.
 */
const VERSION_BEFORE_EVENTS = 4;
const DAY_MS = 24 * 3_600_000;

async function dataFolderBeforeEvents(now: number): Promise<string> {
  const { db, file } = databaseAtVersion(VERSION_BEFORE_EVENTS);
  await insertOldAccount(db, now - 9 * DAY_MS);
  db.prepare('INSERT INTO sessions (id, user_id, ended_at_ms) VALUES (?, ?, NULL)').run('ff01', 'bb01');
  insertOldHome(db, now);
  db.close();
  return file;
}

test('a data folder from before camera events: accounts, cameras, their credentials and recordings are intact', async () => {
  const now = Date.now();
  const store = openSqliteStore(await dataFolderBeforeEvents(now));
  const jwt = new JwtIssuer('unit-test-secret');
  const sessions = new SessionIssuer(store, jwt, 60_000, 30 * DAY_MS);
  try {
    const user = await store.users.findByEmail('old@example.com');
    assert.equal(user?.householdId, 'aa01');
    assert.ok(await verifyPassword('an old password', user.passwordHash));
    const next = await sessions.refresh('current token', TEST_CLIENT);
    assert.equal((await resolveAuthorization(`Bearer ${next.accessToken}`, jwt, store, sessions))?.kind, 'user');

    const camera = await resolveAuthorization('Device device-credential', jwt, store, sessions);
    assert.deepEqual(camera, { kind: 'device', deviceId: 'dd01', householdId: 'aa01' });
    assert.equal((await store.devices.findById('dd01'))?.name, 'Hallway');
    assert.deepEqual(await store.recordingControls.get('dd01'), {
      deviceId: 'dd01',
      enabled: true,
      recording: true,
      problem: null,
      reportedAtMs: null,
    });

    const [recording] = await store.recordings.list({ householdId: 'aa01' });
    assert.equal(recording?.id, RECORDING);
    assert.equal(recording.sizeBytes, 3000);
    assert.equal(recording.finalSeq, 1);
    assert.deepEqual(
      (await store.recordings.chunks(RECORDING)).map((c) => [c.seq, c.sizeBytes]),
      [
        [0, 1000],
        [1, 2000],
      ],
    );

    // The new tables work beside the old rows.
    assert.deepEqual(await store.motionEvents.list({ householdId: 'aa01', limit: 10 }), []);
    const { before, after } = await store.motionEvents.put({
      id: 'Ev0000000000000000000A',
      householdId: 'aa01',
      deviceId: 'dd01',
      kind: 'motion',
      startedAtMs: now - DAY_MS + 500,
      endedAtMs: null,
      score: 0.4,
      box: { x: 0.1, y: 0.1, width: 0.5, height: 0.5 },
      recordingId: RECORDING,
      footageOffsetMs: 500,
      seenAtMs: null,
      createdAtMs: now,
    });
    assert.equal(before, undefined);
    assert.deepEqual([after.images, after.imageBytes], [[], 0]);
    await store.motionEvents.addImage({
      eventId: after.id,
      image: 'thumbnail',
      contentType: 'image/webp',
      sizeBytes: 321,
      sha256: 'c'.repeat(64),
    });
    const [listed] = await store.motionEvents.list({ householdId: 'aa01', limit: 10 });
    assert.deepEqual([listed?.images, listed?.imageBytes], [['thumbnail'], 321]);
  } finally {
    await store.close();
  }
});
