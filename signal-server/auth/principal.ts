import type { Store } from '../store/store.js';
import { hashToken } from '../util/ids.js';
import type { AccessClaims, JwtIssuer } from './jwt.js';

/** Who is asking: a signed-in user, or a paired camera. Both belong to one household. */
export type Principal =
  | { kind: 'user'; userId: string; householdId: string }
  | { kind: 'device'; deviceId: string; householdId: string };

/**
 * Resolves an `Authorization` header value to a principal:
 * `Bearer <access JWT>` for users, `Device <device token>` for cameras.
 * A device token is looked up on every request, so a removed camera is
 * refused at once.
 */
export async function resolveAuthorization(
  header: string | undefined,
  jwt: JwtIssuer,
  store: Store,
): Promise<Principal | undefined> {
  if (!header) return undefined;
  const [scheme, credential] = header.split(' ', 2);
  if (!credential) return undefined;
  if (scheme === 'Bearer') {
    const claims = jwt.verify<AccessClaims>(credential, 'access');
    return claims && { kind: 'user', userId: claims.sub, householdId: claims.hid };
  }
  if (scheme === 'Device') {
    const device = await store.devices.findByTokenHash(hashToken(credential));
    return device && { kind: 'device', deviceId: device.id, householdId: device.householdId };
  }
  return undefined;
}
