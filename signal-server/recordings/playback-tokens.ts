import type { JwtIssuer, PlaybackClaims } from '../auth/jwt.js';

/**
 * Short-lived tokens that let a player without our headers (hls.js, ffmpeg)
 * read one recording: an HS256 JWT (RFC 7519) of `typ: 'playback'` whose
 * subject is the recording id, carried in the URL as `?token=`.
 */
export class PlaybackTokens {
  constructor(
    private readonly jwt: JwtIssuer,
    private readonly ttlMs: number,
  ) {}

  /** @returns a token for the recording and when it expires (ms since epoch). */
  issue(recording: { id: string; householdId: string }): { token: string; expiresAtMs: number } {
    return this.jwt.sign({ typ: 'playback', sub: recording.id, hid: recording.householdId }, this.ttlMs);
  }

  /** @returns the household the token was issued to, or undefined when it is invalid, expired or for another recording. */
  verify(token: string, recordingId: string): string | undefined {
    const claims = this.jwt.verify<PlaybackClaims>(token, 'playback');
    return claims?.sub === recordingId ? claims.hid : undefined;
  }
}
