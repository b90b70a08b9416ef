import type { Logger } from 'pino';
import type { AccountSession } from '../../protocol/index.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { SessionIssuer } from '../auth/sessions.js';
import { announceDeviceRemoved, type DeviceRemovalDeps } from '../devices/device-removal.js';
import type { ContractRouter } from '../http/contract-router.js';
import { ApiError, notFound } from '../http/errors.js';
import { guessLimiter } from '../http/rate-limit.js';
import { endCallsOf } from '../members/end-calls.js';
import { lastOwner } from '../members/routes.js';
import type { SessionRecord, Store, UserRecord } from '../store/store.js';
import { browserLabel } from './browser-label.js';

/** What deleting a household's files needs: a retention sweep removes files no row owns. */
export interface OrphanSweep {
  /** Sweeps now, or joins the sweep under way. */
  sweep(): Promise<unknown>;
}

/**
 * Removes the files no row owns any more. A call of `sweep` joins a sweep
 * under way, which may have listed the rows before they went; the sweep
 * after it began after this call, so it sees they are gone (deleting an
 * account is rare; two sweeps are cheap enough).
 */
async function removeOrphanFiles(sweeper: OrphanSweep): Promise<void> {
  await sweeper.sweep();
  await sweeper.sweep();
}

const toAccountSession = (session: SessionRecord, currentId: string): AccountSession => ({
  id: session.id,
  createdAtMs: session.createdAtMs,
  lastUsedAtMs: session.lastUsedAtMs,
  address: session.address,
  browser: browserLabel(session.userAgent),
  current: session.id === currentId,
});

/**
 * `/api/account/*` for everyone signed in, for their own sign-in (never with
 * an API token: permission `account`):
 *
 * - change the password (the current one confirms it): every other sign-in
 *   session ends at once (`SessionIssuer.endOtherSignIns`: refresh tokens
 *   revoked, streams and signaling sockets closed); this one goes on;
 * - list their sign-in sessions and sign out one, or all others, alike;
 * - delete the account (the password confirms it): refused for the last
 *   owner of a household with other people (409 `last_owner`); otherwise the
 *   person goes with their sessions (closed at once), tokens and push
 *   subscriptions, and the cameras they watched hang up on them. The only
 *   person of a household takes the household with them: its cameras are
 *   disconnected at once and a retention sweep removes the recordings' and
 *   events' files that no row owns any more, so nothing is left behind.
 *
 * The password checks are rate-limited per client address like sign-in.
 */
export function accountRoutes(
  api: ContractRouter,
  deps: DeviceRemovalDeps & {
    store: Store;
    sessions: SessionIssuer;
    sweeper: OrphanSweep;
    logger: Logger;
    rateLimit: number;
    rateWindowMs: number;
  },
): void {
  const { store, sessions } = deps;
  const limiter = guessLimiter(deps.rateLimit, deps.rateWindowMs);

  /** The signed-in user, once `password` is theirs. @throws ApiError 403 wrong_password */
  async function confirmed(userId: string, password: string): Promise<UserRecord> {
    const user = await store.users.findById(userId);
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      throw new ApiError(403, 'wrong_password', 'That is not your current password.');
    }
    return user;
  }

  api.handle(
    'PUT /api/account/password',
    async ({ principal, body, reply }) => {
      const user = await confirmed(principal.userId, body.currentPassword);
      await store.users.setPasswordHash(user.id, await hashPassword(body.newPassword));
      await sessions.endOtherSignIns(user.id, principal.sessionId);
      reply(204);
    },
    { before: [limiter] },
  );

  api.handle('GET /api/account/sessions', async ({ principal, reply }, _req, res) => {
    res.set('Cache-Control', 'no-store');
    reply(200, (await sessions.listSignIns(principal.userId)).map((session) => toAccountSession(session, principal.sessionId)));
  });

  api.handle('DELETE /api/account/sessions', async ({ principal, reply }) => {
    await sessions.endOtherSignIns(principal.userId, principal.sessionId);
    reply(204);
  });

  api.handle('DELETE /api/account/sessions/:id', async ({ principal, params, reply }) => {
    const own = (await sessions.listSignIns(principal.userId)).some((session) => session.id === params.id);
    if (!own) throw notFound('Session');
    await sessions.endSessionOf(params.id);
    reply(204);
  });

  api.handle(
    'DELETE /api/account',
    async ({ principal, body, reply }) => {
      const user = await confirmed(principal.userId, body.password);
      const devices = await store.devices.listByHousehold(user.householdId);
      const outcome = await store.members.deleteAccount(user.id);
      if (outcome.kind === 'last-owner') throw lastOwner();
      for (const sessionId of outcome.endedSessionIds) sessions.endings.ended(sessionId);
      if (outcome.household === 'kept') {
        await endCallsOf(deps, user, null);
      } else {
        for (const device of devices) announceDeviceRemoved(deps, device);
        await removeOrphanFiles(deps.sweeper).catch((error: unknown) => {
          deps.logger.error({ err: error }, 'the files of a deleted household are left to the next retention sweep');
        });
      }
      reply(204);
    },
    { before: [limiter] },
  );
}
