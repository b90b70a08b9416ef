import { Router } from 'express';
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { EmailTakenError } from '../store/store.js';
import { parseBody } from '../http/validate.js';
import { ApiError, unauthorized } from '../http/errors.js';
import { guessLimiter } from '../http/rate-limit.js';
import { newId } from '../util/ids.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SessionIssuer } from './sessions.js';

const credentialsSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(8, 'must be at least 8 characters').max(256),
});
const loginSchema = z.object({ email: z.string().max(254), password: z.string().max(256) });
const refreshSchema = z.object({ refreshToken: z.string().min(1).max(256) });

/** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
const decoyHash = hashPassword('decoy password, never matches');

/**
 * `/api/auth`: register, login, refresh (rotating), logout.
 * Login and register are rate-limited per address and email.
 */
export function authRoutes(deps: {
  store: Store;
  sessions: SessionIssuer;
  rateLimit: number;
  rateWindowMs: number;
}): Router {
  const { store, sessions } = deps;
  const router = Router();
  // Only a string email keys the limit: String() of a deeply nested array would recurse until the stack overflows.
  const limiter = guessLimiter(deps.rateLimit, deps.rateWindowMs, (body) =>
    typeof body.email === 'string' ? body.email.toLowerCase() : '',
  );

  router.post('/register', limiter, async (req, res) => {
    const { email, password } = parseBody(credentialsSchema, req.body);
    const user = {
      id: newId(),
      householdId: newId(),
      email: email.toLowerCase(),
      passwordHash: await hashPassword(password),
      createdAtMs: Date.now(),
    };
    try {
      await store.users.create(user);
    } catch (error) {
      if (error instanceof EmailTakenError) {
        throw new ApiError(409, 'email_taken', 'An account with this email exists already; sign in instead.');
      }
      throw error;
    }
    res.status(201).json(await sessions.start(user));
  });

  router.post('/login', limiter, async (req, res) => {
    const { email, password } = parseBody(loginSchema, req.body);
    const user = await store.users.findByEmail(email.toLowerCase());
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
    if (!user || !ok) throw unauthorized('Wrong email or password.');
    res.json(await sessions.start(user));
  });

  router.post('/refresh', async (req, res) => {
    const { refreshToken } = parseBody(refreshSchema, req.body);
    res.json(await sessions.refresh(refreshToken));
  });

  router.post('/logout', async (req, res) => {
    const { refreshToken } = parseBody(refreshSchema, req.body);
    await sessions.end(refreshToken);
    res.status(204).end();
  });

  return router;
}
