/**
 * A scanned or opened text read as a pairing link `<origin>/pair?server=<instance id>#<token>`
 * (what the viewer's QR code carries), or not one.
 * - `origin`: where the link points (the server that made it, by one of its addresses)
 * - `serverId`: the instance id of the server that made it (`ServerInfo.instanceId`), or null
 *   for a link without one
 * - `url`: the whole link, to open it as it is
 */
export type PairingLink =
  | { kind: 'pairing'; token: string; origin: string; serverId: string | null; url: string }
  | { kind: 'not-peerwatch' };

/** Who made a pairing link, seen from the server this page talks to. */
export type PairingLinkSource = 'this-server' | 'other-server';

/** A pairing token as the server issues it: base64url (256 random bits are 43 characters). */
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

/** Reads a pairing link; anything else (another URL, plain text, a malformed token) is `not-peerwatch`. */
export function parsePairingLink(text: string): PairingLink {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { kind: 'not-peerwatch' };
  }
  const token = decodeURIComponent(url.hash.slice(1));
  const isPairing = (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/pair';
  if (!isPairing || !TOKEN.test(token)) return { kind: 'not-peerwatch' };
  return { kind: 'pairing', token, origin: url.origin, serverId: url.searchParams.get('server'), url: url.href };
}

/**
 * Whether a pairing link was made by the server this page talks to: it points at this page's own
 * origin, or it carries this server's instance id (the same server reached by another address,
 * e.g. `http://localhost:8080` for a link to `https://<LAN address>:8443`).
 * @param here this page's origin and its server's instance id (`GET /api/server`)
 */
export function pairingLinkSource(
  link: Extract<PairingLink, { kind: 'pairing' }>,
  here: { origin: string; instanceId: string },
): PairingLinkSource {
  return link.origin === here.origin || link.serverId === here.instanceId ? 'this-server' : 'other-server';
}

/** @returns whether a token has the shape of a pairing token. */
export function isPairingToken(token: string): boolean {
  return TOKEN.test(token);
}
