import type { Role } from '../../protocol/permissions.js';
import type { Store } from '../store/store.js';
import { hashToken } from '../util/ids.js';
import type { AccessClaims, JwtIssuer } from './jwt.js';
import type { SessionIssuer } from './sessions.js';

/** Which of the household's cameras a person may see: all, or only those listed (a viewer's). */
export type CameraAccess = { kind: 'all' } | { kind: 'only'; deviceIds: readonly string[] };

/**
 * Who is asking: a signed-in user (in one sign-in session) with their role
 * and the cameras they may see, or a paired camera. Both belong to one household.
 */
export type Principal =
  | { kind: 'user'; userId: string; householdId: string; sessionId: string; role: Role; cameras: CameraAccess }
  | { kind: 'device'; deviceId: string; householdId: string };

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
    return { kind: 'user', userId: claims.sub, householdId: claims.hid, sessionId: claims.sid, role: 'owner', cameras: { kind: 'all' } };
  }
  if (scheme === 'Device') {
    const device = await store.devices.findByTokenHash(hashToken(credential));
    return device && { kind: 'device', deviceId: device.id, householdId: device.householdId };
  }
  return undefined;
}
