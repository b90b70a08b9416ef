import type { CameraReader } from '../auth/camera-access.js';
import type { JwtIssuer, PlaybackClaims } from '../auth/jwt.js';
import type { Principal } from '../auth/principal.js';
import type { UserRecord } from '../store/store.js';

/** The user of a sign-in session as they are now, while it is active (`SessionIssuer.activeUser`). */
export type SessionCheck = (sessionId: string, userId: string) => Promise<UserRecord | undefined>;

/**
 * Short-lived tokens that let a client without our headers (hls.js, ffmpeg,
 * an `<img>`) read one resource: an HS256 JWT (RFC 7519) of `typ` (`playback`
 * for a recording, `event-image` for a camera event's images) whose subject
 * is the resource's id, carried in the URL as `?token=`. A token of one `typ`
 * never opens the other kind of resource. A token a signed-in user asked for
 * names their sign-in session and stops working when that session ends
 * (sign-out), like the user's own access token, or when the user is no longer
 * of the household or may no longer see the camera (the caller checks
 * `maySee` on the reader `verify` returns).
 */
export class PlaybackTokens {
  constructor(
    private readonly jwt: JwtIssuer,
    private readonly ttlMs: number,
    private readonly sessionActive: SessionCheck,
    private readonly typ: PlaybackClaims['typ'] = 'playback',
  ) {}

  /** @returns a token for `caller` to read the resource, and when it expires (ms since epoch). */
  issue(resource: { id: string; householdId: string }, caller: Principal): { token: string; expiresAtMs: number } {
    const session = caller.kind === 'user' ? { uid: caller.userId, sid: caller.sessionId } : {};
    return this.jwt.sign({ typ: this.typ, sub: resource.id, hid: resource.householdId, ...session }, this.ttlMs);
  }

  /**
   * @returns who reads with the token: for a user's, the user as they are now (household and
   *   cameras); for a camera's, its household. Undefined when the token is invalid, expired, for
   *   another resource, or its user's session has ended.
   */
  async verify(token: string, id: string): Promise<CameraReader | undefined> {
    const claims = this.jwt.verify<PlaybackClaims>(token, this.typ);
    if (claims?.sub !== id) return undefined;
    if (claims.sid === undefined) return { householdId: claims.hid, cameras: { kind: 'all' } };
    const user = await this.sessionActive(claims.sid, claims.uid ?? '');
    return user && { householdId: user.householdId, cameras: user.cameras, person: { userId: user.id, sessionId: claims.sid, tokenId: null } };
  }
}
