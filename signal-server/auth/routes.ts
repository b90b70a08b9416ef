import type { Store, UserRecord } from '../store/store.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import { EmailTakenError } from '../store/store.js';
import { ApiError, unauthorized } from '../http/errors.js';
import { guessLimiter } from '../http/rate-limit.js';
import type { ContractRouter } from '../http/contract-router.js';
import { newId } from '../util/ids.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SessionIssuer } from './sessions.js';
import { sessionClientOf } from './session-client.js';

/** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
const decoyHash = hashPassword('decoy password, never matches');

/**
 * `/api/auth`: register, login, refresh (rotating), logout.
 * Login and register are rate-limited per address and email.
 */
export function authRoutes(
  api: ContractRouter,
  deps: { store: Store; sessions: SessionIssuer; rateLimit: number; rateWindowMs: number; audit: AuditLog },
): void {
  const { store, sessions, audit } = deps;
  // Only a string email keys the limit: String() of a deeply nested array would recurse until the stack overflows.
  const limiter = guessLimiter(deps.rateLimit, deps.rateWindowMs, (body) =>
    typeof body.email === 'string' ? body.email.toLowerCase() : '',
  );

  api.handle(
    'POST /api/auth/register',
    async ({ body: { email, password }, reply }, req) => {
      const user: UserRecord = {
        id: newId(),
        householdId: newId(),
        email: email.toLowerCase(),
        passwordHash: await hashPassword(password),
        createdAtMs: Date.now(),
        role: 'owner',
        cameras: { kind: 'all' },
      };
      try {
        await store.users.create(user);
      } catch (error) {
        if (error instanceof EmailTakenError) {
          throw new ApiError(409, 'email_taken', 'An account with this email exists already; sign in instead.');
        }
        throw error;
      }
      reply(201, await sessions.start(user, sessionClientOf(req)));
    },
    { before: [limiter] },
  );

  api.handle(
    'POST /api/auth/login',
    async ({ body: { email, password }, reply }, req) => {
      const user = await store.users.findByEmail(email.toLowerCase());
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
      // A failed sign-in is logged in the household whose email was tried (an unknown email names none).
      if (user && !ok) await audit.record('sign-in-failed', { kind: 'nobody', householdId: user.householdId, email: user.email }, seenFrom(req));
      if (!user || !ok) throw unauthorized('Wrong email or password.');
      const session = await sessions.start(user, sessionClientOf(req));
      await audit.record('sign-in', { kind: 'person', userId: user.id, householdId: user.householdId }, seenFrom(req));
      reply(200, session);
    },
    { before: [limiter] },
  );

  api.handle('POST /api/auth/refresh', async ({ body, reply }, req) => {
    reply(200, await sessions.refresh(body.refreshToken, sessionClientOf(req)));
  });

  api.handle('POST /api/auth/logout', async ({ body, reply }) => {
    await sessions.end(body.refreshToken);
    reply(204);
  });
}
