import type { JwtIssuer } from '../auth/jwt.js';
import type { ContractRouter } from '../http/contract-router.js';
import { newId } from '../util/ids.js';
import { cameraPeerId, parsePeerId, viewerPeerId } from './peer-ids.js';

/**
 * `POST /api/signaling/tickets`: a short-lived, single-use ticket to open a
 * PeerJS socket (see `TicketGate`); a viewer's names its sign-in session.
 * A camera always gets its own peer id. A viewer gets a new viewer peer id,
 * or keeps the one it sends back (to reconnect under the same id) if that id
 * is one of its own.
 */
export function signalingRoutes(
  api: ContractRouter,
  deps: { jwt: JwtIssuer; ttlMs: number; mountPath: string; key: string },
): void {
  api.handle('POST /api/signaling/tickets', ({ principal, body: { peerId: requested }, reply }) => {
    let peerId: string;
    if (principal.kind === 'device') {
      peerId = cameraPeerId(principal.householdId, principal.deviceId);
    } else {
      const parsed = requested ? parsePeerId(requested) : undefined;
      const own =
        parsed?.kind === 'viewer' &&
        parsed.householdId === principal.householdId &&
        parsed.userId === principal.userId;
      peerId = own && requested ? requested : viewerPeerId(principal.householdId, principal.userId, newId());
    }
    const sessionId = principal.kind === 'user' ? { sid: principal.sessionId } : {};
    const { token, expiresAtMs } = deps.jwt.sign(
      { typ: 'signaling', sub: peerId, hid: principal.householdId, jti: newId(), ...sessionId },
      deps.ttlMs,
    );
    reply(201, { peerId, ticket: token, expiresAtMs, path: deps.mountPath, key: deps.key });
  });
}
