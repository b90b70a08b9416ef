import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmailTakenError, type Store } from '../../signal-server/store/store.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { newId } from '../../signal-server/util/ids.js';
import { addUser, forEachStore, tempStore } from './support.js';

const newDevice = (name: string | null = null) => ({
  id: newId(),
  name,
  tokenHash: newId(),
  createdAtMs: Date.now(),
  lastSeenAtMs: null,
});

async function pairing(store: Store, householdId: string, expiresInMs: number) {
  const record = {
    id: newId(),
    householdId,
    tokenHash: newId(),
    name: 'Porch',
    createdAtMs: Date.now(),
    expiresAtMs: Date.now() + expiresInMs,
    claimedAtMs: null,
    deviceId: null,
  };
  await store.pairings.insert(record);
  return record;
}

forEachStore((open) => {
  test('a pairing token is claimed once; the device joins the pairing household with its name', async () => {
    const store = await open();
    const user = await addUser(store);
    const p = await pairing(store, user.householdId, 60_000);
    const first = await store.pairings.claim(p.tokenHash, Date.now(), newDevice());
    assert.equal(first.kind, 'claimed');
    assert.equal(first.kind === 'claimed' && first.device.householdId, user.householdId);
    assert.equal(first.kind === 'claimed' && first.device.name, 'Porch');
    assert.equal((await store.pairings.claim(p.tokenHash, Date.now(), newDevice())).kind, 'already-claimed');
    assert.equal((await store.devices.listByHousehold(user.householdId)).length, 1, 'the replay registered nothing');
  });

  test('expired and unknown pairing tokens register nothing', async () => {
    const store = await open();
    const user = await addUser(store);
    const p = await pairing(store, user.householdId, -1);
    assert.equal((await store.pairings.claim(p.tokenHash, Date.now(), newDevice('x'))).kind, 'expired');
    assert.equal((await store.pairings.claim('unknown', Date.now(), newDevice('x'))).kind, 'not-found');
    assert.equal((await store.devices.listByHousehold(user.householdId)).length, 0);
  });

  test('emails are unique regardless of case', async () => {
    const store = await open();
    await addUser(store, 'Someone@Example.com');
    await assert.rejects(addUser(store, 'someone@example.com'), EmailTakenError);
  });
});

test('data survives reopening the SQLite file (migrations are idempotent)', async () => {
  const { store, file } = tempStore();
  const user = await addUser(store);
  await store.close();
  const reopened = openSqliteStore(file);
  assert.equal((await reopened.users.findById(user.id))?.email, user.email);
  await reopened.close();
});
