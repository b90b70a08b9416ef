import type { Role, TokenScope } from '../../protocol/permissions.js';
import type { CameraAccess, Store } from '../store/store.js';
import { hashToken } from '../util/ids.js';
import type { AccessClaims, JwtIssuer } from './jwt.js';
import type { SessionIssuer } from './sessions.js';

/** How a user's request is authorized: their sign-in session, or an API token with its scopes. */
export type Grant = { kind: 'session' } | { kind: 'token'; tokenId: string; scopes: readonly TokenScope[] };

/** Hears of a request made with an API token: its principal, and when the token was last used before (ms since epoch; null: never). */
export type TokenUseListener = (principal: Principal, lastUsedAtMs: number | null) => Promise<void>;

/** The prefix of every API token, so a leaked one is recognisable (e.g. by secret scanners). */
export const API_TOKEN_PREFIX = 'pwt_';

/** A token's last use is written at most this often, ms (not on every request). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Who is asking: a signed-in user (in one sign-in session) with their role
 * and the cameras they may see, or a paired camera. Both belong to one household.
 */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      householdId: string;
      /** The sign-in session, or the API token's own session (same id as the token). */
      sessionId: string;
      role: Role;
      cameras: CameraAccess;
      /** How the user is signed in: a sign-in session (all their role may), or an API token (only its scopes). */
      grant: Grant;
    }
  | { kind: 'device'; deviceId: string; householdId: string };

/**
 * Resolves an `Authorization` header value to a principal:
 * `Bearer <access JWT>` or `Bearer pwt_<API token>` for users, `Device <device token>` for cameras.
 * A device token is looked up on every request, so a removed camera is
 * refused at once; so is the session an access token names with its user, so
 * a signed-out session's token is too, and the household, role and cameras
 * are the user's as they are now (not as when the token was issued) (a token without a session, from before sessions
 * were named, is refused: the client refreshes it).
 * `onTokenUse` hears of each request made with an API token, with when the
 * token was last used before it (null: never), e.g. for the audit log.
 */
export async function resolveAuthorization(
  header: string | undefined,
  jwt: JwtIssuer,
  store: Store,
  sessions: SessionIssuer,
  onTokenUse?: TokenUseListener,
): Promise<Principal | undefined> {
  if (!header) return undefined;
  const [scheme, credential] = header.split(' ', 2);
  if (!credential) return undefined;
  if (scheme === 'Bearer' && credential.startsWith(API_TOKEN_PREFIX)) return resolveApiToken(credential, store, onTokenUse);
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
        grant: { kind: 'session' },
      }
    );
  }
  if (scheme === 'Device') {
    const device = await store.devices.findByTokenHash(hashToken(credential));
    return device && { kind: 'device', deviceId: device.id, householdId: device.householdId };
  }
  return undefined;
}

/**
 * The principal of an API token while it is unrevoked, unexpired and its
 * owner is still of a household: the owner as they are now, limited to the
 * token's scopes. Notes its use (at most once a minute).
 */
async function resolveApiToken(token: string, store: Store, onTokenUse?: TokenUseListener): Promise<Principal | undefined> {
  const found = await store.apiTokens.findActive(hashToken(token));
  const now = Date.now();
  if (!found || (found.token.expiresAtMs !== null && found.token.expiresAtMs <= now)) return undefined;
  const { token: record, user } = found;
  if (record.lastUsedAtMs === null || now - record.lastUsedAtMs >= LAST_USED_RESOLUTION_MS) {
    await store.apiTokens.touchLastUsed(record.id, now);
  }
  const principal: Principal = {
    kind: 'user',
    userId: user.id,
    householdId: user.householdId,
    sessionId: record.id,
    role: user.role,
    cameras: user.cameras,
    grant: { kind: 'token', tokenId: record.id, scopes: record.scopes },
  };
  await onTokenUse?.(principal, record.lastUsedAtMs);
  return principal;
}
