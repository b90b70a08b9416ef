import { createHash, randomBytes } from 'node:crypto';

/** A new random id: 16 lowercase hex characters (64 bits), valid inside a PeerJS peer id. */
export function newId(): string {
  return randomBytes(8).toString('hex');
}

/** A new secret token: 256 random bits, base64url (43 characters). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a token as hex: how secret tokens are stored, so a leaked database holds no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
