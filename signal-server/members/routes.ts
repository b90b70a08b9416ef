import type { Member } from '../../protocol/index.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import type { SessionIssuer } from '../auth/sessions.js';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import { ApiError, notFound } from '../http/errors.js';
import { requestOrigin } from '../http/request-origin.js';
import type { CameraAccess, Membership, Store, UserRecord } from '../store/store.js';
import { hashToken, newId, newSecretToken } from '../util/ids.js';
import { endCallsOf } from './end-calls.js';

/** The wire view of a person of the household. */
function toMember(user: UserRecord): Member {
  return {
    userId: user.id,
    email: user.email,
    role: user.role,
    deviceIds: user.cameras.kind === 'all' ? null : [...user.cameras.deviceIds],
  };
}

/** The 409 of a change that would leave the household's people without an owner. */
export const lastOwner = () =>
  new ApiError(409, 'last_owner', 'The household would be left without an owner; make someone else owner first.');

/**
 * `/api/invites` and `/api/members`: the household's people.
 *
 * - Owners invite with a role (and, for a viewer, cameras): a one-time token
 *   of 256 random bits, stored only as its SHA-256, valid for `inviteTtlMs`,
 *   in the link `<origin>/invite#<token>` (the fragment never reaches a server
 *   log); they revoke unused ones.
 * - A signed-in person reads their own role and cameras (`GET /api/account`),
 *   accepts an invite, moving into its household, or leaves theirs for a
 *   household of their own.
 * - Owners list people, change roles and a viewer's cameras, and remove
 *   people (who become owners of a household of their own). A household keeps
 *   at least one owner (409 `last_owner`). A change takes effect at once:
 *   requests read the person's role on every call, a removed person's
 *   sessions end, every open stream and signaling socket of theirs closes
 *   (`SessionIssuer.endAllOfUser`, `accessChanged`), and each camera they may
 *   no longer see is told to hang up their calls (`viewer-access-ended`).
 */
export function memberRoutes(
  api: ContractRouter,
  deps: { store: Store; sessions: SessionIssuer; hub: EventHub; inviteTtlMs: number; audit: AuditLog },
): void {
  const { store, sessions, hub, audit } = deps;

  const endCalls = (user: UserRecord, after: CameraAccess | null) => endCallsOf({ store, hub }, user, after);

  /**
   * The membership a role and camera list give: owners and members see every camera.
   * @throws ApiError 400 unknown_camera when a listed camera is not the household's
   */
  async function membershipOf(householdId: string, role: Membership['role'], deviceIds: readonly string[] | null): Promise<Membership> {
    if (role !== 'viewer' || deviceIds === null) return { role, cameras: { kind: 'all' } };
    const own = new Set((await store.devices.listByHousehold(householdId)).map((device) => device.id));
    const unknown = deviceIds.find((id) => !own.has(id));
    if (unknown !== undefined) throw new ApiError(400, 'unknown_camera', `Camera ${unknown} is not one of the household’s.`);
    return { role, cameras: { kind: 'only', deviceIds: [...new Set(deviceIds)] } };
  }

  /** A person of household `householdId`. @throws ApiError 404 for anyone else (another household's answer alike). */
  async function findMember(householdId: string, userId: string): Promise<UserRecord> {
    const user = await store.users.findById(userId);
    if (user?.householdId !== householdId) throw notFound('Member');
    return user;
  }

  api.handle('GET /api/account', async ({ principal, reply }, _req, res) => {
    const user = await findMember(principal.householdId, principal.userId);
    res.set('Cache-Control', 'no-store');
    reply(200, { ...toMember(user), household: user.householdId });
  });

  api.handle('POST /api/account/leave', async ({ principal, reply }, req) => {
    const user = await findMember(principal.householdId, principal.userId);
    const householdId = newId();
    if ((await store.members.leave(user.id, householdId, Date.now())) === 'last-owner') throw lastOwner();
    await audit.record('member-left', principal, seenFrom(req), { details: { email: user.email } });
    await sessions.accessChanged(user.id);
    await endCalls(user, null);
    reply(200, { ...toMember({ ...user, role: 'owner', cameras: { kind: 'all' } }), household: householdId });
  });

  api.handle('POST /api/invites', async ({ principal, body, reply }, req) => {
    const membership = await membershipOf(principal.householdId, body.role, body.deviceIds ?? null);
    const token = newSecretToken();
    const now = Date.now();
    const invite = {
      id: newId(),
      householdId: principal.householdId,
      tokenHash: hashToken(token),
      membership,
      createdAtMs: now,
      expiresAtMs: now + deps.inviteTtlMs,
      acceptedAtMs: null,
      acceptedBy: null,
      revokedAtMs: null,
    };
    await store.invites.insert(invite);
    await audit.record('invite-created', principal, seenFrom(req), { details: { inviteId: invite.id, role: membership.role } });
    reply(201, { id: invite.id, token, url: `${requestOrigin(req)}/invite#${token}`, expiresAtMs: invite.expiresAtMs });
  });

  api.handle('POST /api/invites/accept', async ({ principal, body: { token }, reply }, req) => {
    const outcome = await store.invites.accept(hashToken(token), principal.userId, Date.now());
    switch (outcome.kind) {
      case 'not-found':
        throw notFound('Invitation');
      case 'used':
        throw new ApiError(410, 'invite_used', 'This invitation was used already or revoked; ask for a new one.');
      case 'expired':
        throw new ApiError(410, 'invite_expired', 'This invitation has expired; ask for a new one.');
      case 'already-member':
        throw new ApiError(409, 'already_member', 'You belong to this household already.');
      case 'last-owner':
        throw lastOwner();
      case 'joined':
        await sessions.accessChanged(principal.userId);
        await audit.record('invite-accepted', { ...principal, householdId: outcome.invite.householdId }, seenFrom(req), { details: { inviteId: outcome.invite.id, role: outcome.invite.membership.role } });
        reply(200, { household: outcome.invite.householdId, role: outcome.invite.membership.role });
    }
  });

  api.handle('DELETE /api/invites/:id', async ({ principal, params, reply }, req) => {
    if (!(await store.invites.revoke(params.id, principal.householdId, Date.now()))) throw notFound('Invitation');
    await audit.record('invite-revoked', principal, seenFrom(req), { details: { inviteId: params.id } });
    reply(204);
  });

  api.handle('GET /api/members', async ({ principal, reply }, _req, res) => {
    res.set('Cache-Control', 'no-store');
    reply(200, (await store.members.listByHousehold(principal.householdId)).map(toMember));
  });

  api.handle('PATCH /api/members/:userId', async ({ principal, params, body, reply }, req) => {
    const user = await findMember(principal.householdId, params.userId);
    const role = body.role ?? user.role;
    const current = user.cameras.kind === 'all' ? null : user.cameras.deviceIds;
    const membership = await membershipOf(principal.householdId, role, body.deviceIds === undefined ? current : body.deviceIds);
    if ((await store.members.update(user.id, membership)) === 'last-owner') throw lastOwner();
    if (!sameMembership(user, membership)) {
      await audit.record('member-changed', principal, seenFrom(req), { details: { ...memberDetails(user), role: membership.role, cameras: toMember({ ...user, ...membership }).deviceIds } });
      await sessions.accessChanged(user.id);
      await endCalls(user, membership.cameras);
    }
    reply(200, toMember({ ...user, ...membership }));
  });

  api.handle('DELETE /api/members/:userId', async ({ principal, params, reply }, req) => {
    const user = await findMember(principal.householdId, params.userId);
    if ((await store.members.leave(user.id, newId(), Date.now())) === 'last-owner') throw lastOwner();
    await audit.record('member-removed', principal, seenFrom(req), { details: memberDetails(user) });
    await sessions.endAllOfUser(user.id, 'removed');
    await endCalls(user, null);
    reply(204);
  });
}

/** The audit details naming a person acted on: who, and their role and cameras before. */
function memberDetails(user: UserRecord): Record<string, unknown> {
  const before = toMember(user);
  return { memberId: user.id, email: user.email, roleBefore: before.role, camerasBefore: before.deviceIds };
}

/** True when `membership` is what `user` has already. */
function sameMembership(user: UserRecord, membership: Membership): boolean {
  return user.role === membership.role && sameCameras(user.cameras, membership.cameras);
}

function sameCameras(a: CameraAccess, b: CameraAccess): boolean {
  if (a.kind === 'all' || b.kind === 'all') return a.kind === b.kind;
  return a.deviceIds.length === b.deviceIds.length && a.deviceIds.every((id) => b.deviceIds.includes(id));
}
