/** What a scanned or opened text means for pairing. */
export type PairingLink =
  | { kind: 'pairing'; token: string }
  | { kind: 'other-server'; origin: string }
  | { kind: 'not-peerwatch' };

/** A pairing token as the server issues it: base64url (256 random bits are 43 characters). */
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/**
 * Reads a pairing URL `<origin>/pair#<token>` (what the viewer's QR code
 * carries). A pairing URL of another origin is told apart: its token belongs
 * to another Peerwatch server.
 */
export function parsePairingLink(text: string, origin: string = location.origin): PairingLink {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { kind: 'not-peerwatch' };
  }
  const token = decodeURIComponent(url.hash.slice(1));
  const isPairing = (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/pair';
  if (!isPairing || !TOKEN.test(token)) return { kind: 'not-peerwatch' };
  if (url.origin !== origin) return { kind: 'other-server', origin: url.origin };
  return { kind: 'pairing', token };
}

/** @returns whether a token has the shape of a pairing token. */
export function isPairingToken(token: string): boolean {
  return TOKEN.test(token);
}
