import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InviteRecord } from '../../signal-server/store/store.js';
import { offlineNotification } from '../../signal-server/notifications/notification-content.js';
import { addUser, forEachStore } from './support.js';

forEachStore((open) => {
  test('a household keeps at least one owner: its last owner can neither step down nor leave while others remain', async () => {
    const store = await open();
    try {
      const owner = await addUser(store);
      const other = await addUser(store);
      // Even alone, an owner stays one: a household without an owner could not be managed.
      assert.equal(await store.members.update(owner.id, { role: 'member', cameras: { kind: 'all' } }), 'last-owner');
      const viewer = { role: 'viewer', cameras: { kind: 'only', deviceIds: ['dd01'] } } as const;
      assert.equal(await store.members.join(other.id, owner.householdId, viewer), 'done');
      assert.deepEqual(await store.users.findById(other.id), { ...other, householdId: owner.householdId, ...viewer });
      assert.deepEqual((await store.members.listByHousehold(owner.householdId)).map((u) => u.id).sort(), [owner.id, other.id].sort());

      assert.equal(await store.members.update(owner.id, { role: 'member', cameras: { kind: 'all' } }), 'last-owner');
      assert.equal(await store.members.leave(owner.id, 'ee01', Date.now()), 'last-owner');
      assert.equal(await store.members.join(owner.id, other.householdId, viewer), 'last-owner');
      assert.equal((await store.users.findById(owner.id))?.role, 'owner');

      // With a second owner, the first may step down; the one who leaves owns a household of their own.
      assert.equal(await store.members.update(other.id, { role: 'owner', cameras: { kind: 'all' } }), 'done');
      assert.equal(await store.members.update(owner.id, { role: 'member', cameras: { kind: 'all' } }), 'done');
      assert.equal(await store.members.leave(other.id, 'ee02', Date.now()), 'last-owner');
      assert.equal(await store.members.leave(owner.id, 'ee03', Date.now()), 'done');
      const left = await store.users.findById(owner.id);
      assert.deepEqual([left?.householdId, left?.role, left?.cameras], ['ee03', 'owner', { kind: 'all' }]);
      assert.deepEqual((await store.members.listByHousehold(other.householdId)).map((u) => u.id), []);
    } finally {
      await store.close();
    }
  });

  test('an invite is accepted once, not after its expiry or revocation, and moves the person with its role and cameras', async () => {
    const store = await open();
    try {
      const owner = await addUser(store);
      const now = Date.now();
      const invite = (id: string, expiresAtMs: number): InviteRecord => ({
        id,
        householdId: owner.householdId,
        tokenHash: `hash-${id}`,
        membership: { role: 'viewer', cameras: { kind: 'only', deviceIds: ['dd01', 'dd02'] } },
        createdAtMs: now,
        expiresAtMs,
        acceptedAtMs: null,
        acceptedBy: null,
        revokedAtMs: null,
      });
      await store.invites.insert(invite('i1', now + 60_000));
      await store.invites.insert(invite('i2', now - 1));
      await store.invites.insert(invite('i3', now + 60_000));
      const guest = await addUser(store);

      assert.equal((await store.invites.accept('hash-i2', guest.id, now)).kind, 'expired');
      assert.equal(await store.invites.revoke('i3', 'another household', now), false);
      assert.equal(await store.invites.revoke('i3', owner.householdId, now), true);
      assert.equal((await store.invites.accept('hash-i3', guest.id, now)).kind, 'used');
      assert.equal((await store.invites.accept('no such hash', guest.id, now)).kind, 'not-found');
      assert.equal((await store.users.findById(guest.id))?.householdId, guest.householdId);

      const joined = await store.invites.accept('hash-i1', guest.id, now);
      assert.equal(joined.kind, 'joined');
      const moved = await store.users.findById(guest.id);
      assert.deepEqual([moved?.householdId, moved?.role, moved?.cameras], [
        owner.householdId,
        'viewer',
        { kind: 'only', deviceIds: ['dd01', 'dd02'] },
      ]);
      const other = await addUser(store);
      assert.equal((await store.invites.accept('hash-i1', other.id, now)).kind, 'used');
      assert.equal(await store.invites.revoke('i1', owner.householdId, now), false);
    } finally {
      await store.close();
    }
  });

  test('a viewer of one camera is listed and pushed only the notifications about that camera', async () => {
    const store = await open();
    try {
      const owner = await addUser(store);
      const viewer = await addUser(store);
      await store.members.join(viewer.id, owner.householdId, { role: 'viewer', cameras: { kind: 'only', deviceIds: ['dd01'] } });
      const subscription = (id: string, userId: string) => ({
        id,
        userId,
        endpoint: `https://push.example/${id}`,
        p256dh: 'key',
        auth: 'secret',
        name: id,
        createdAtMs: 1,
        lastUsedAtMs: null,
      });
      await store.pushSubscriptions.upsert(subscription('s-owner', owner.id));
      await store.pushSubscriptions.upsert(subscription('s-viewer', viewer.id));
      const ids = async (deviceId: string) => (await store.pushSubscriptions.listByHousehold(owner.householdId, deviceId)).map((s) => s.id).sort();
      assert.deepEqual(await ids('dd01'), ['s-owner', 's-viewer']);
      assert.deepEqual(await ids('dd02'), ['s-owner']);

      const given = offlineNotification({ id: 'dd01', name: 'Hallway' }, 1_000, 200_000);
      const other = offlineNotification({ id: 'dd02', name: 'Garden' }, 1_000, 300_000);
      await store.notifications.insert(owner.householdId, given);
      await store.notifications.insert(owner.householdId, other);
      const seenBy = async (userId: string) => {
        const list = await store.notifications.listForUser(owner.householdId, userId, 100);
        return [list.notifications.map((n) => n.deviceId), list.unreadCount];
      };
      assert.deepEqual(await seenBy(viewer.id), [['dd01'], 1]);
      assert.deepEqual(await seenBy(owner.id), [['dd02', 'dd01'], 2]);
    } finally {
      await store.close();
    }
  });
});
