import type pg from 'pg';
import { camerasColumn, toInvite, toUser } from '../rows.js';
import type {
  AcceptOutcome,
  InviteRepository,
  MemberRepository,
  Membership,
  MembershipOutcome,
  UserRecord,
} from '../store.js';
import { changes, inTransaction, one, rows, type Queryable } from './db.js';

/**
 * Locks user `userId`'s row, then the rows of their household and of
 * `intoHouseholdId` (where they move, if anywhere) in id order, inside the
 * caller's transaction. Every change of who belongs to a household, or of a
 * role, holds the households it takes people from or brings them into, so
 * that its owner check counts people who cannot change under it: two
 * concurrent changes cannot both take a household's last owner, nor both
 * leave it for each other's. Always user first, then households by id: no
 * deadlock. `FOR NO KEY UPDATE` (PostgreSQL docs, "Row-Level Locks") leaves
 * other transactions' foreign-key checks (`FOR KEY SHARE`) free.
 * @returns the user as locked, or undefined when there is none.
 */
async function lockMember(tx: Queryable, userId: string, intoHouseholdId?: string): Promise<UserRecord | undefined> {
  const user = await one(tx, 'SELECT * FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId], toUser);
  if (!user) return undefined;
  const households = [...new Set([user.householdId, intoHouseholdId ?? user.householdId])].sort();
  for (const id of households) await tx.query('SELECT 1 FROM households WHERE id = $1 FOR NO KEY UPDATE', [id]);
  return user;
}

/** How many people of household `householdId` other than `userId` there are (`onlyOwners`: owners only). */
async function othersIn(tx: Queryable, user: UserRecord, onlyOwners: boolean): Promise<number> {
  const [row] = await rows(
    tx,
    `SELECT COUNT(*) AS n FROM users WHERE household_id = $1 AND id != $2${onlyOwners ? " AND role = 'owner'" : ''}`,
    [user.householdId, user.id],
  );
  return row!.n as number;
}

/** True when `user` is the only owner of their household. */
const isLastOwner = async (tx: Queryable, user: UserRecord) => user.role === 'owner' && (await othersIn(tx, user, true)) === 0;

/** True when moving `user` out leaves people in their household without an owner (an emptied household needs none). */
const leavesNoOwner = async (tx: Queryable, user: UserRecord) =>
  (await isLastOwner(tx, user)) && (await othersIn(tx, user, false)) > 0;

/** Moves a user into household `householdId` (which exists) with `membership`, unless they are the last owner of theirs. */
async function move(tx: Queryable, userId: string, householdId: string, membership: Membership): Promise<MembershipOutcome> {
  const user = await lockMember(tx, userId, householdId);
  if (!user) return 'done';
  if (await leavesNoOwner(tx, user)) return 'last-owner';
  await tx.query('UPDATE users SET household_id = $1, role = $2, camera_ids = $3 WHERE id = $4', [
    householdId,
    membership.role,
    camerasColumn(membership.cameras),
    userId,
  ]);
  return 'done';
}

/**
 * The PostgreSQL members and invites repositories: each change runs in one
 * transaction that locks the household it leaves (`lockMember`); an invite
 * is accepted under a lock of its row, so at most once.
 */
export function postgresMemberRepositories(pool: pg.Pool): { members: MemberRepository; invites: InviteRepository } {
  return {
    members: {
      async listByHousehold(householdId) {
        return (await rows(pool, 'SELECT * FROM users WHERE household_id = $1 ORDER BY created_at_ms, id', [householdId])).map(toUser);
      },
      async deleteAccount(userId) {
        return inTransaction(pool, async (tx) => {
          const user = await lockMember(tx, userId);
          if (!user) return { kind: 'deleted', endedSessionIds: [], household: 'kept' };
          if (await leavesNoOwner(tx, user)) return { kind: 'last-owner' };
          const sessions = await rows(tx, 'SELECT id FROM sessions WHERE user_id = $1 AND ended_at_ms IS NULL', [userId]);
          const alone = (await othersIn(tx, user, false)) === 0;
          // With the user go (ON DELETE CASCADE) their sessions, tokens, subscriptions and settings;
          // with an emptied household its cameras, recordings, events, notifications and invites.
          await tx.query('DELETE FROM users WHERE id = $1', [userId]);
          if (alone) await tx.query('DELETE FROM households WHERE id = $1', [user.householdId]);
          return { kind: 'deleted', endedSessionIds: sessions.map((row) => row.id as string), household: alone ? 'deleted' : 'kept' };
        });
      },
      async update(userId, membership) {
        return inTransaction(pool, async (tx) => {
          const user = await lockMember(tx, userId);
          if (!user) return 'done';
          if (membership.role !== 'owner' && (await isLastOwner(tx, user))) return 'last-owner';
          await tx.query('UPDATE users SET role = $1, camera_ids = $2 WHERE id = $3', [
            membership.role,
            camerasColumn(membership.cameras),
            userId,
          ]);
          return 'done';
        });
      },
      async join(userId, householdId, membership) {
        return inTransaction(pool, (tx) => move(tx, userId, householdId, membership));
      },
      async leave(userId, newHouseholdId, atMs) {
        return inTransaction(pool, async (tx) => {
          const user = await lockMember(tx, userId);
          if (user && (await leavesNoOwner(tx, user))) return 'last-owner';
          await tx.query('INSERT INTO households (id, created_at_ms) VALUES ($1, $2)', [newHouseholdId, atMs]);
          return move(tx, userId, newHouseholdId, { role: 'owner', cameras: { kind: 'all' } });
        });
      },
    },
    invites: {
      async insert(invite) {
        await pool.query(
          `INSERT INTO invites (id, household_id, token_hash, role, camera_ids, created_at_ms, expires_at_ms, accepted_at_ms, accepted_by, revoked_at_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL)`,
          [
            invite.id,
            invite.householdId,
            invite.tokenHash,
            invite.membership.role,
            camerasColumn(invite.membership.cameras),
            invite.createdAtMs,
            invite.expiresAtMs,
          ],
        );
      },
      async accept(tokenHash, userId, nowMs) {
        return inTransaction(pool, async (tx): Promise<AcceptOutcome> => {
          const invite = await one(tx, 'SELECT * FROM invites WHERE token_hash = $1 FOR UPDATE', [tokenHash], toInvite);
          if (!invite) return { kind: 'not-found' };
          if (invite.acceptedAtMs !== null || invite.revokedAtMs !== null) return { kind: 'used' };
          if (invite.expiresAtMs <= nowMs) return { kind: 'expired' };
          const user = await one(tx, 'SELECT * FROM users WHERE id = $1', [userId], toUser);
          if (user?.householdId === invite.householdId) return { kind: 'already-member' };
          if ((await move(tx, userId, invite.householdId, invite.membership)) === 'last-owner') return { kind: 'last-owner' };
          await tx.query('UPDATE invites SET accepted_at_ms = $1, accepted_by = $2 WHERE id = $3', [nowMs, userId, invite.id]);
          return { kind: 'joined', invite: { ...invite, acceptedAtMs: nowMs, acceptedBy: userId } };
        });
      },
      async revoke(id, householdId, atMs) {
        const revoked = await changes(
          pool,
          'UPDATE invites SET revoked_at_ms = $1 WHERE id = $2 AND household_id = $3 AND accepted_at_ms IS NULL AND revoked_at_ms IS NULL',
          [atMs, id, householdId],
        );
        return revoked === 1;
      },
    },
  };
}
