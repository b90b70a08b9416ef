import type { JwtIssuer, PlaybackClaims } from '../auth/jwt.js';
import type { Principal } from '../auth/principal.js';

/** Whether a user's sign-in session is still active (`SessionIssuer.isActive`). */
export type SessionCheck = (sessionId: string, userId: string) => Promise<boolean>;

/**
 * Short-lived tokens that let a player without our headers (hls.js, ffmpeg)
 * read one recording: an HS256 JWT (RFC 7519) of `typ: 'playback'` whose
 * subject is the recording id, carried in the URL as `?token=`. A token a
 * signed-in user asked for names their sign-in session and stops working when
 * that session ends (sign-out), like the user's own access token.
 */
export class PlaybackTokens {
  constructor(
    private readonly jwt: JwtIssuer,
    private readonly ttlMs: number,
    private readonly sessionActive: SessionCheck,
  ) {}

  /** @returns a token for `caller` to read the recording, and when it expires (ms since epoch). */
  issue(recording: { id: string; householdId: string }, caller: Principal): { token: string; expiresAtMs: number } {
    const session = caller.kind === 'user' ? { uid: caller.userId, sid: caller.sessionId } : {};
    return this.jwt.sign({ typ: 'playback', sub: recording.id, hid: recording.householdId, ...session }, this.ttlMs);
  }

  /**
   * @returns the household the token was issued to, or undefined when it is invalid, expired, for
   * another recording, or its user's session has ended.
   */
  async verify(token: string, recordingId: string): Promise<string | undefined> {
    const claims = this.jwt.verify<PlaybackClaims>(token, 'playback');
    if (claims?.sub !== recordingId) return undefined;
    if (claims.sid !== undefined && !(await this.sessionActive(claims.sid, claims.uid ?? ''))) return undefined;
    return claims.hid;
  }
}
