import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { AuditRetention } from '../../signal-server/audit/audit-retention.js';
import { createLogger } from '../../signal-server/logger.js';
import { postgresMigrations } from '../../signal-server/store/postgres/migrations.js';
import { DatabaseUnavailableError, openPostgresStore } from '../../signal-server/store/postgres/postgres-store.js';
import { ChunkConflictError, ImageConflictError, type ChunkRecord, type Store } from '../../signal-server/store/store.js';
import { newId } from '../../signal-server/util/ids.js';
import { PostgresServer } from '../support/postgres-server.js';
import { freeTcpPort } from '../support/tcp.js';
import { addUser } from './support.js';

// Several servers over one PostgreSQL database, as several stores (each its own pool) over one database.

const logger = createLogger('silent');
let server: PostgresServer;
const opened: Store[] = [];

before(async () => {
  server = await PostgresServer.start();
});
after(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await server.stop();
});

/** `count` stores over one fresh database, opened one after the other (the first migrates). */
async function servers(count: number): Promise<Store[]> {
  const url = await server.newDatabase();
  const stores: Store[] = [];
  for (let i = 0; i < count; i++) stores.push(await openPostgresStore(url, logger));
  opened.push(...stores);
  return stores;
}

/** How many of `outcomes` are `wanted`. */
const count = <T>(outcomes: T[], wanted: T) => outcomes.filter((outcome) => outcome === wanted).length;

test('servers starting at once over a new database apply each migration once', async () => {
  const url = await server.newDatabase();
  const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url, logger)));
  opened.push(...stores);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((row) => row.version),
      postgresMigrations.map((_migration, i) => i + 1),
    );
  } finally {
    await client.end();
  }
  const user = await addUser(stores[0]!);
  assert.equal((await stores[2]!.users.findById(user.id))?.email, user.email, 'one schema, seen by every server');
});

test('a pairing token claimed by several servers at once registers exactly one device', async () => {
  const stores = await servers(2);
  const user = await addUser(stores[0]!);
  for (let round = 0; round < 10; round++) {
    const tokenHash = newId();
    await stores[0]!.pairings.insert({
      id: newId(),
      householdId: user.householdId,
      tokenHash,
      name: null,
      createdAtMs: Date.now(),
      expiresAtMs: Date.now() + 60_000,
      claimedAtMs: null,
      deviceId: null,
    });
    const claims = [0, 1, 0, 1].map((i) =>
      stores[i]!.pairings.claim(tokenHash, Date.now(), { id: newId(), name: null, tokenHash: newId(), createdAtMs: Date.now(), lastSeenAtMs: null }),
    );
    const kinds = (await Promise.all(claims)).map((outcome) => outcome.kind);
    assert.equal(count(kinds, 'claimed'), 1, `round ${round}: ${kinds.join(', ')}`);
    assert.equal(count(kinds, 'already-claimed'), 3);
  }
  assert.equal((await stores[1]!.devices.listByHousehold(user.householdId)).length, 10);
});

test('a refresh token spent by several servers at once is spent exactly once', async () => {
  const stores = await servers(2);
  const user = await addUser(stores[0]!);
  for (let round = 0; round < 10; round++) {
    const id = newId();
    await stores[0]!.refreshTokens.insert({
      id,
      userId: user.id,
      familyId: newId(),
      tokenHash: newId(),
      expiresAtMs: Date.now() + 60_000,
      usedAtMs: null,
      revokedAtMs: null,
    });
    const spent = await Promise.all([0, 1, 0, 1].map((i, n) => stores[i]!.refreshTokens.markUsed(id, 1_000 + n)));
    assert.equal(count(spent, true), 1, `round ${round}: ${spent.join(', ')}`);
  }
});

test('one chunk committed by several servers at once is one row, counted once; other bytes are refused', async () => {
  const stores = await servers(2);
  const { householdId } = await addUser(stores[0]!);
  const owner = { householdId, deviceId: 'cam1' };
  const chunk = (recordingId: string, seq: number, sha256: string): ChunkRecord => ({
    recordingId,
    seq,
    sizeBytes: 1000,
    sha256,
    startMs: 5_000,
    durationMs: seq === 0 ? 0 : 1000,
    storedAtMs: Date.now(),
  });
  for (let round = 0; round < 5; round++) {
    const recordingId = `rec-${round}-${newId()}`;
    // The recording's first chunk (which creates it) and a later one, each sent to both servers twice.
    for (const seq of [0, 1]) {
      await Promise.all([0, 1, 0, 1].map((i) => stores[i]!.recordings.addChunk(owner, chunk(recordingId, seq, 'a'.repeat(64)), false)));
    }
    const recording = await stores[1]!.recordings.findById(recordingId);
    assert.deepEqual([recording?.chunkCount, recording?.sizeBytes], [2, 2000], `round ${round}`);
    assert.deepEqual((await stores[0]!.recordings.chunks(recordingId)).map((c) => c.seq), [0, 1]);

    const outcomes = await Promise.allSettled(
      ['b', 'c'].map((byte, i) => stores[i]!.recordings.addChunk(owner, chunk(recordingId, 2, byte.repeat(64)), false)),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, `round ${round}`);
    const refused = outcomes.find((o) => o.status === 'rejected');
    assert.ok(refused?.status === 'rejected' && refused.reason instanceof ChunkConflictError);
    assert.equal((await stores[0]!.recordings.findById(recordingId))?.chunkCount, 3);
  }
});

test('one event image recorded by several servers at once is one row; other bytes are refused', async () => {
  const stores = await servers(2);
  const { householdId } = await addUser(stores[0]!);
  for (let round = 0; round < 5; round++) {
    const eventId = `ev-${round}-${newId()}`;
    await stores[0]!.motionEvents.put({
      id: eventId,
      householdId,
      deviceId: 'cam1',
      kind: 'motion',
      startedAtMs: 1_000,
      endedAtMs: null,
      score: 0.5,
      box: { x: 0, y: 0, width: 1, height: 1 },
      recordingId: null,
      footageOffsetMs: null,
      seenAtMs: null,
      createdAtMs: 1_000,
    });
    const image = { eventId, image: 'snapshot' as const, contentType: 'image/jpeg' as const, sizeBytes: 700, sha256: 'a'.repeat(64) };
    await Promise.all([0, 1, 0, 1].map((i) => stores[i]!.motionEvents.addImage(image)));
    const stored = await stores[1]!.motionEvents.findById(eventId);
    assert.deepEqual([stored?.images, stored?.imageBytes], [['snapshot'], 700], `round ${round}`);
    const outcomes = await Promise.allSettled(
      ['b', 'c'].map((byte, i) => stores[i]!.motionEvents.addImage({ ...image, image: 'thumbnail', sha256: byte.repeat(64) })),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, `round ${round}`);
    assert.ok(outcomes.some((o) => o.status === 'rejected' && o.reason instanceof ImageConflictError));
  }
});

test('two owners stepping down at once on two servers: exactly one may, the household keeps an owner', async () => {
  const stores = await servers(2);
  for (let round = 0; round < 5; round++) {
    const first = await addUser(stores[0]!);
    const second = await addUser(stores[0]!);
    assert.equal(await stores[0]!.members.join(second.id, first.householdId, { role: 'owner', cameras: { kind: 'all' } }), 'done');
    const member = { role: 'member', cameras: { kind: 'all' } } as const;
    const outcomes = await Promise.all([
      stores[0]!.members.update(first.id, member),
      stores[1]!.members.update(second.id, member),
    ]);
    assert.deepEqual(outcomes.sort(), ['done', 'last-owner'], `round ${round}`);
    const owners = (await stores[0]!.members.listByHousehold(first.householdId)).filter((u) => u.role === 'owner');
    assert.equal(owners.length, 1);
  }
});

test('two owners joining each other’s households at once on two servers: one joins, the other stays owner (no deadlock)', async () => {
  const stores = await servers(2);
  const member = { role: 'member', cameras: { kind: 'all' } } as const;
  for (let round = 0; round < 10; round++) {
    const [first, second] = [await addUser(stores[0]!), await addUser(stores[0]!)];
    const outcomes = await Promise.all([
      stores[0]!.members.join(first.id, second.householdId, member),
      stores[1]!.members.join(second.id, first.householdId, member),
    ]);
    // Whoever goes second would leave the one who just joined without an owner.
    assert.deepEqual([...outcomes].sort(), ['done', 'last-owner'], `round ${round}`);
    for (const user of [first, second]) {
      const people = await stores[0]!.members.listByHousehold(user.householdId);
      assert.ok(people.length === 0 || people.some((person) => person.role === 'owner'), `round ${round}: a household without an owner`);
    }
  }
});

test('an invite accepted by two people at once on two servers lets exactly one in', async () => {
  const stores = await servers(2);
  const owner = await addUser(stores[0]!);
  for (let round = 0; round < 5; round++) {
    const tokenHash = newId();
    await stores[0]!.invites.insert({
      id: newId(),
      householdId: owner.householdId,
      tokenHash,
      membership: { role: 'member', cameras: { kind: 'all' } },
      createdAtMs: Date.now(),
      expiresAtMs: Date.now() + 60_000,
      acceptedAtMs: null,
      acceptedBy: null,
      revokedAtMs: null,
    });
    const guests = [await addUser(stores[0]!), await addUser(stores[0]!)];
    const kinds = (await Promise.all(guests.map((guest, i) => stores[i]!.invites.accept(tokenHash, guest.id, Date.now())))).map(
      (outcome) => outcome.kind,
    );
    assert.deepEqual(kinds.sort(), ['joined', 'used'], `round ${round}`);
  }
  assert.equal((await stores[1]!.members.listByHousehold(owner.householdId)).length, 6);
});

/** Starts sweep `name` on `store` and resolves once it runs; it goes on until `end()` (which resolves with its outcome). */
async function holdSweep(store: Store, name: string) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const sweeping = new Promise<void>((resolve) => (started = resolve));
  const running = store.locks.trySweep(name, async () => {
    started();
    await held;
    return 'first';
  });
  await sweeping;
  return {
    end: () => {
      release();
      return running;
    },
  };
}

test('a sweep runs on one server at a time; the others skip it until it ends', async () => {
  const [one, two] = await servers(2);
  const sweep = await holdSweep(one!, 'recordings-retention');
  assert.deepEqual(await two!.locks.trySweep('recordings-retention', async () => 'second'), { kind: 'busy' });
  assert.deepEqual(await two!.locks.trySweep('audit-retention', async () => 'other sweep'), { kind: 'ran', value: 'other sweep' });
  assert.deepEqual(await sweep.end(), { kind: 'ran', value: 'first' });
  assert.deepEqual(await two!.locks.trySweep('recordings-retention', async () => 'second'), { kind: 'ran', value: 'second' });
});

test("the audit log's retention skips its turn while another server deletes old rows", async () => {
  const [one, two] = await servers(2);
  const owner = await addUser(one!);
  await one!.audit.insert({
    id: newId(),
    householdId: owner.householdId,
    atMs: 1_000,
    kind: 'sign-in',
    actor: { kind: 'user', userId: owner.id, email: owner.email, tokenId: null },
    deviceId: null,
    details: {},
    address: null,
    userAgent: null,
  });
  const retention = new AuditRetention(two!, 60_000, logger);
  const sweep = await holdSweep(one!, 'audit-retention');
  assert.equal(await retention.sweep(), 0);
  await sweep.end();
  assert.equal(await retention.sweep(), 1);
});

test('a database that cannot be reached fails with a clear message naming it, without its password', async () => {
  const port = await freeTcpPort();
  await assert.rejects(openPostgresStore(`postgres://peerwatch:secret@127.0.0.1:${port}/peerwatch`, logger), (error: unknown) => {
    assert.ok(error instanceof DatabaseUnavailableError);
    assert.match(error.message, new RegExp(`cannot open the PostgreSQL database postgres://peerwatch:\\*\\*\\*@127\\.0\\.0\\.1:${port}/peerwatch \\(DATABASE_URL\\): .*ECONNREFUSED`));
    assert.doesNotMatch(error.message, /secret/);
    return true;
  });
});
