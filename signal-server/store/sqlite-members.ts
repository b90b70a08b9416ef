import type Database from 'better-sqlite3';
import { camerasColumn, toInvite, toUser, type Row } from './rows.js';
import type {
  AccountDeletion,
  AcceptOutcome,
  InviteRepository,
  MemberRepository,
  Membership,
  MembershipOutcome,
  UserRecord,
} from './store.js';

/**
 * The SQLite members and invites repositories. Every change of who belongs
 * where runs in one transaction with its check that the household it leaves
 * keeps an owner, so two concurrent changes cannot both take the last one.
 */
export function sqliteMemberRepositories(db: Database.Database): { members: MemberRepository; invites: InviteRepository } {
  const q = {
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    usersByHousehold: db.prepare('SELECT * FROM users WHERE household_id = ? ORDER BY created_at_ms, id'),
    otherOwners: db.prepare("SELECT COUNT(*) AS n FROM users WHERE household_id = ? AND role = 'owner' AND id != ?"),
    otherPeople: db.prepare('SELECT COUNT(*) AS n FROM users WHERE household_id = ? AND id != ?'),
    setMembership: db.prepare('UPDATE users SET role = ?, camera_ids = ? WHERE id = ?'),
    moveUser: db.prepare('UPDATE users SET household_id = ?, role = ?, camera_ids = ? WHERE id = ?'),
    insertHousehold: db.prepare('INSERT INTO households (id, created_at_ms) VALUES (?, ?)'),
    activeSessionsOfUser: db.prepare('SELECT id FROM sessions WHERE user_id = ? AND ended_at_ms IS NULL'),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    deleteHousehold: db.prepare('DELETE FROM households WHERE id = ?'),
    insertInvite: db.prepare(
      `INSERT INTO invites (id, household_id, token_hash, role, camera_ids, created_at_ms, expires_at_ms, accepted_at_ms, accepted_by, revoked_at_ms)
       VALUES (@id, @householdId, @tokenHash, @role, @cameraIds, @createdAtMs, @expiresAtMs, NULL, NULL, NULL)`,
    ),
    inviteByHash: db.prepare('SELECT * FROM invites WHERE token_hash = ?'),
    markAccepted: db.prepare('UPDATE invites SET accepted_at_ms = ?, accepted_by = ? WHERE id = ? AND accepted_at_ms IS NULL'),
    revoke: db.prepare(
      'UPDATE invites SET revoked_at_ms = ? WHERE id = ? AND household_id = ? AND accepted_at_ms IS NULL AND revoked_at_ms IS NULL',
    ),
  };

  const findUser = (id: string): UserRecord | undefined => {
    const row = q.userById.get(id) as Row | undefined;
    return row && toUser(row);
  };

  /** True when `user` is the only owner of their household. */
  const isLastOwner = (user: UserRecord): boolean =>
    user.role === 'owner' && (q.otherOwners.get(user.householdId, user.id) as { n: number }).n === 0;

  /** True when moving `user` out leaves people in their household without an owner (an emptied household needs none). */
  const leavesNoOwner = (user: UserRecord): boolean =>
    isLastOwner(user) && (q.otherPeople.get(user.householdId, user.id) as { n: number }).n > 0;

  const updateTx = db.transaction((userId: string, membership: Membership): MembershipOutcome => {
    const user = findUser(userId);
    if (!user) return 'done';
    if (membership.role !== 'owner' && isLastOwner(user)) return 'last-owner';
    q.setMembership.run(membership.role, camerasColumn(membership.cameras), userId);
    return 'done';
  });

  /** Moves a user into household `householdId` (which exists) with `membership`, unless they are the last owner of theirs. */
  const moveTx = db.transaction((userId: string, householdId: string, membership: Membership): MembershipOutcome => {
    const user = findUser(userId);
    if (!user) return 'done';
    if (leavesNoOwner(user)) return 'last-owner';
    q.moveUser.run(householdId, membership.role, camerasColumn(membership.cameras), userId);
    return 'done';
  });

  const leaveTx = db.transaction((userId: string, newHouseholdId: string, atMs: number): MembershipOutcome => {
    const user = findUser(userId);
    if (user && leavesNoOwner(user)) return 'last-owner';
    q.insertHousehold.run(newHouseholdId, atMs);
    return moveTx(userId, newHouseholdId, { role: 'owner', cameras: { kind: 'all' } });
  });

  /**
   * Deletes a user; with them (foreign keys, ON DELETE CASCADE) go their
   * sessions, refresh and API tokens, push subscriptions and settings. The
   * only person of a household takes the household with them: its cameras,
   * recordings, events, notifications and invites.
   */
  const deleteAccountTx = db.transaction((userId: string): AccountDeletion => {
    const user = findUser(userId);
    if (!user) return { kind: 'deleted', endedSessionIds: [], household: 'kept' };
    if (leavesNoOwner(user)) return { kind: 'last-owner' };
    const endedSessionIds = (q.activeSessionsOfUser.all(userId) as { id: string }[]).map((row) => row.id);
    const alone = (q.otherPeople.get(user.householdId, user.id) as { n: number }).n === 0;
    q.deleteUser.run(userId);
    if (alone) q.deleteHousehold.run(user.householdId);
    return { kind: 'deleted', endedSessionIds, household: alone ? 'deleted' : 'kept' };
  });

  const acceptTx = db.transaction((tokenHash: string, userId: string, nowMs: number): AcceptOutcome => {
    const row = q.inviteByHash.get(tokenHash) as Row | undefined;
    if (!row) return { kind: 'not-found' };
    const invite = toInvite(row);
    if (invite.acceptedAtMs !== null || invite.revokedAtMs !== null) return { kind: 'used' };
    if (invite.expiresAtMs <= nowMs) return { kind: 'expired' };
    if (findUser(userId)?.householdId === invite.householdId) return { kind: 'already-member' };
    if (moveTx(userId, invite.householdId, invite.membership) === 'last-owner') return { kind: 'last-owner' };
    q.markAccepted.run(nowMs, userId, invite.id);
    return { kind: 'joined', invite: { ...invite, acceptedAtMs: nowMs, acceptedBy: userId } };
  });

  return {
    members: {
      async listByHousehold(householdId) {
        return (q.usersByHousehold.all(householdId) as Row[]).map(toUser);
      },
      async deleteAccount(userId) {
        return deleteAccountTx(userId);
      },
      async update(userId, membership) {
        return updateTx(userId, membership);
      },
      async join(userId, householdId, membership) {
        return moveTx(userId, householdId, membership);
      },
      async leave(userId, newHouseholdId, atMs) {
        return leaveTx(userId, newHouseholdId, atMs);
      },
    },
    invites: {
      async insert(invite) {
        q.insertInvite.run({
          id: invite.id,
          householdId: invite.householdId,
          tokenHash: invite.tokenHash,
          role: invite.membership.role,
          cameraIds: camerasColumn(invite.membership.cameras),
          createdAtMs: invite.createdAtMs,
          expiresAtMs: invite.expiresAtMs,
        });
      },
      async accept(tokenHash, userId, nowMs) {
        return acceptTx(tokenHash, userId, nowMs);
      },
      async revoke(id, householdId, atMs) {
        return q.revoke.run(atMs, id, householdId).changes === 1;
      },
    },
  };
}
