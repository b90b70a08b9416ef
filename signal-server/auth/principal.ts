import type { Role } from '../../protocol/permissions.js';
import type { CameraAccess, Store } from '../store/store.js';
import { hashToken } from '../util/ids.js';
import type { AccessClaims, JwtIssuer } from './jwt.js';
import type { SessionIssuer } from './sessions.js';

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
 * refused at once; so is the session an access token names with its user, so
 * a signed-out session's token is too, and the household, role and cameras
 * are the user's as they are now (not as when the token was issued) (a token without a session, from before sessions
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
    if (!claims || typeof claims.sid !== 'string') return undefined;
    const user = await sessions.activeUser(claims.sid, claims.sub);
    return (
      user && {
        kind: 'user',
        userId: user.id,
        householdId: user.householdId,
        sessionId: claims.sid,
        role: user.role,
        cameras: user.cameras,
      }
    );
  }
  if (scheme === 'Device') {
    const device = await store.devices.findByTokenHash(hashToken(credential));
    return device && { kind: 'device', deviceId: device.id, householdId: device.householdId };
  }
  return undefined;
}
