import type { JwtIssuer, PlaybackClaims } from '../auth/jwt.js';

/**
 * Short-lived tokens that let a client without our headers (hls.js, ffmpeg,
 * an `<img>`) read one resource: an HS256 JWT (RFC 7519) of `typ` (`playback`
 * for a recording, `event-image` for a camera event's images) whose subject
 * is the resource's id, carried in the URL as `?token=`. A token of one `typ`
 * never opens the other kind of resource.
 */
export class PlaybackTokens {
  constructor(
    private readonly jwt: JwtIssuer,
    private readonly ttlMs: number,
    private readonly typ: PlaybackClaims['typ'] = 'playback',
  ) {}

  /** @returns a token for the resource and when it expires (ms since epoch). */
  issue(resource: { id: string; householdId: string }): { token: string; expiresAtMs: number } {
    return this.jwt.sign({ typ: this.typ, sub: resource.id, hid: resource.householdId }, this.ttlMs);
  }

  /** @returns the household the token was issued to, or undefined when it is invalid, expired or for another resource. */
  verify(token: string, id: string): string | undefined {
    const claims = this.jwt.verify<PlaybackClaims>(token, this.typ);
    return claims?.sub === id ? claims.hid : undefined;
  }
}
