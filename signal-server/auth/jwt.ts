import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Claims of a Peerwatch access JWT (RFC 7519): the user, their household and the sign-in session. */
export interface AccessClaims {
  typ: 'access';
  sub: string;
  hid: string;
  /** The session (`SessionRecord.id`) it was issued in: it stops working when that session ends. */
  sid: string;
}

/** Claims of a signaling ticket: who may open a PeerJS socket, and with which peer id. */
export interface TicketClaims {
  typ: 'signaling';
  /** The peer id the socket must use. */
  sub: string;
  hid: string;
  /** The ticket's own id (RFC 7519 §4.1.7 `jti`): a ticket opens one socket only. */
  jti: string;
  /** The user's session, for a viewer's ticket; absent on a camera's. */
  sid?: string;
}

/**
 * Claims of a media token: read access to one resource by URL, for clients
 * that cannot send headers. `playback`: a recording's playlist and media (sub =
 * the recording id); `event-image`: a camera event's images (sub = the event id).
 */
export interface PlaybackClaims {
  typ: 'playback' | 'event-image';
  /** The recording or event id. */
  sub: string;
  hid: string;
  /** For a token a user asked for: the user and their sign-in session. */
  uid?: string;
  sid?: string;
}

type Claims = AccessClaims | TicketClaims | PlaybackClaims;

/**
 * Signs and verifies the server's HS256 JWTs. Each token carries a `typ`
 * claim so that one kind can never stand in for another.
 */
export class JwtIssuer {
  /**
   * The secret as a KeyObject. Given a string, jsonwebtoken first tries to
   * parse it as a PEM key on every sign and verify (and throws), which costs
   * several times the HMAC itself.
   */
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret));
  }

  /** @returns the token and its expiry (ms since epoch). */
  sign(claims: Claims, ttlMs: number): { token: string; expiresAtMs: number } {
    const expiresAtMs = Date.now() + ttlMs;
    const token = jwt.sign({ ...claims, exp: Math.floor(expiresAtMs / 1000) }, this.key, {
      algorithm: 'HS256',
    });
    return { token, expiresAtMs };
  }

  /**
   * @returns the claims with the token's expiry (`exp`, RFC 7519 §4.1.4, s since the epoch), or
   *   undefined when the token is malformed, forged, expired or of another `typ`.
   */
  verify<T extends Claims>(token: string, typ: T['typ']): (T & { exp: number }) | undefined {
    try {
      const claims = jwt.verify(token, this.key, { algorithms: ['HS256'] }) as Partial<T & { exp: number }>;
      if (claims.typ !== typ || typeof claims.sub !== 'string' || typeof claims.hid !== 'string') return undefined;
      return claims as T & { exp: number };
    } catch {
      return undefined;
    }
  }
}
