import { createHmac } from 'node:crypto';

/** Longest lifetime a TURN credential may have, ms (one day, per draft-uberti-behave-turn-rest-00 §2.2). */
export const MAX_TURN_CREDENTIAL_TTL_MS = 86_400_000;

/** A time-limited TURN credential (RFC 8489 long-term credential mechanism, TURN REST API form). */
export interface TurnCredential {
  /** `<expiry, Unix seconds>:<holder>`. */
  username: string;
  /** `base64(HMAC-SHA1(secret, username))`. */
  credential: string;
  /** The expiry in the username, in ms since the Unix epoch. */
  expiresAtMs: number;
}

/**
 * Builds a TURN credential in the TURN REST API form (draft-uberti-behave-turn-rest-00 §2.2):
 * username `<expiry-unix-seconds>:<holder>`, password `base64(HMAC-SHA1(secret, username))`.
 * coturn started with `use-auth-secret` + `static-auth-secret=<secret>` accepts it until the expiry;
 * it checks the expiry when a relay is allocated, so a call already relayed goes on past it.
 *
 * @param secret the secret shared with the TURN server.
 * @param holder who the credential is for (shows in the TURN server's logs); must not contain `:`.
 * @param ttlMs lifetime, ms, 1 000 … 86 400 000; the expiry is rounded down to a whole second.
 * @param nowMs the current time, ms since the Unix epoch.
 * @throws RangeError when `ttlMs` is out of range or `holder` is empty or contains `:`.
 */
export function turnCredential(secret: string, holder: string, ttlMs: number, nowMs = Date.now()): TurnCredential {
  if (!(ttlMs >= 1_000 && ttlMs <= MAX_TURN_CREDENTIAL_TTL_MS)) {
    throw new RangeError(`TURN credential lifetime must be 1 000 … ${MAX_TURN_CREDENTIAL_TTL_MS} ms, got ${ttlMs}`);
  }
  if (!holder || holder.includes(':')) throw new RangeError(`invalid TURN credential holder "${holder}"`);
  const expirySeconds = Math.floor((nowMs + ttlMs) / 1_000);
  const username = `${expirySeconds}:${holder}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAtMs: expirySeconds * 1_000 };
}
