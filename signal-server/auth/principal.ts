import type { RequestHandler, Response } from 'express';
import type { Store } from '../store/store.js';
import { hashToken } from '../util/ids.js';
import { unauthorized, ApiError } from '../http/errors.js';
import type { AccessClaims, JwtIssuer } from './jwt.js';
import type { SessionIssuer } from './sessions.js';

/** Who is asking: a signed-in user (in one sign-in session), or a paired camera. Both belong to one household. */
export type Principal =
  | { kind: 'user'; userId: string; householdId: string; sessionId: string }
  | { kind: 'device'; deviceId: string; householdId: string };

const PRINCIPAL = Symbol('principal');

/** The principal set by `authenticate`. @throws ApiError 401 when none. */
export function principalOf(res: Response): Principal {
  const principal = (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL];
  if (!principal) throw unauthorized();
  return principal;
}

/** The signed-in user. @throws ApiError 403 when the caller is a camera. */
export function userOf(res: Response): Extract<Principal, { kind: 'user' }> {
  const principal = principalOf(res);
  if (principal.kind !== 'user') throw new ApiError(403, 'forbidden', 'Only a signed-in user may do this.');
  return principal;
}

/** The calling camera. @throws ApiError 403 when the caller is a user. */
export function deviceOf(res: Response): Extract<Principal, { kind: 'device' }> {
  const principal = principalOf(res);
  if (principal.kind !== 'device') throw new ApiError(403, 'forbidden', 'Only a paired camera may do this.');
  return principal;
}

/**
 * Resolves an `Authorization` header value to a principal:
 * `Bearer <access JWT>` for users, `Device <device token>` for cameras.
 * A device token is looked up on every request, so a removed camera is
 * refused at once; so is the session an access token names, so a signed-out
 * session's token is too (a token without a session, from before sessions
 * were named, is refused: the client refreshes it).
 */
export async function resolveAuthorization(
  header: string | undefined,
  jwt: JwtIssuer,
  store: Store,
  sessions: SessionIssuer,
): Promise<Principal | undefined> {
  if (!header) return undefined;
  const [scheme, credential] = header.split(' ', 2);
  if (!credential) return undefined;
  if (scheme === 'Bearer') {
    const claims = jwt.verify<AccessClaims>(credential, 'access');
    if (!claims || typeof claims.sid !== 'string' || !(await sessions.isActive(claims.sid, claims.sub))) return undefined;
    return { kind: 'user', userId: claims.sub, householdId: claims.hid, sessionId: claims.sid };
  }
  if (scheme === 'Device') {
    const device = await store.devices.findByTokenHash(hashToken(credential));
    return device && { kind: 'device', deviceId: device.id, householdId: device.householdId };
  }
  return undefined;
}

/** Middleware: requires a valid credential; responds 401 otherwise. */
export function authenticate(jwt: JwtIssuer, store: Store, sessions: SessionIssuer): RequestHandler {
  return async (req, res, next) => {
    const principal = await resolveAuthorization(req.get('authorization'), jwt, store, sessions);
    if (!principal) throw unauthorized('Missing, invalid or expired credentials.');
    (res.locals as Record<symbol, Principal>)[PRINCIPAL] = principal;
    next();
  };
}
