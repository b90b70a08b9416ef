import type { Logger } from 'pino';
import type { JwtIssuer, TicketClaims } from '../auth/jwt.js';
import type { SessionIssuer } from '../auth/sessions.js';
import type { CameraAccess, Store } from '../store/store.js';
import { parsePeerId } from './peer-ids.js';
import { SpentTickets } from './spent-tickets.js';
import type { SharedSpentTickets } from './shared-spent-tickets.js';

/**
 * Whether a signaling socket may open, and if not, the HTTP answer to the
 * upgrade request (RFC 9110 §15: 401 no valid ticket, 503 too many tickets
 * in flight to remember another).
 */
export type Admission =
  /** `cameras`: the cameras the socket may signal to (a viewer's, as they are now; a camera's: all of its household). */
  | { kind: 'admitted'; claims: TicketClaims; cameras: CameraAccess }
  | { kind: 'refused'; status: 401 | 503; reason: 'invalid' | 'reused' | 'revoked' | 'busy' };

/**
 * Most ticket ids remembered at once (`SpentTickets`): far more than the
 * sockets that open within one ticket lifetime in the signaling benchmark
 * (10 000), and at most about 10 MB.
 */
const MAX_SPENT_TICKETS = 100_000;

/**
 * Checks a signaling ticket when its socket opens: the signature, expiry and
 * key are right and it names the peer id asked for; it was never used before
 * (a ticket opens one socket); and whoever it was issued to still exists: a
 * camera's device (removed cameras cannot reconnect with a ticket minted
 * before removal), a viewer's sign-in session (not signed out) in the same
 * household; and with which cameras the socket may signal (a viewer's own).
 * With `shared` (several instances), "never used before" holds across all
 * instances. While Redis cannot be reached it holds on this instance only,
 * so that each instance keeps serving its cameras and viewers (a ticket is
 * still bound to its peer id and its holder, lives 60 s, and a peer id held
 * twice meanwhile is settled at the next heartbeat, see `ClusterSignaling`).
 */
export class TicketGate {
  private readonly spent = new SpentTickets(MAX_SPENT_TICKETS);

  constructor(
    private readonly deps: {
      jwt: JwtIssuer;
      store: Store;
      sessions: SessionIssuer;
      key: string;
      /** The spent tickets of all instances, and where its failures are logged. */
      shared?: { tickets: SharedSpentTickets; logger: Logger };
    },
  ) {}

  /** @param query the upgrade URL's `key`, `id` and `token` (PeerJS socket query, all optional). */
  async admit(query: { key: string | null; id: string | null; token: string | null }): Promise<Admission> {
    const claims = this.deps.jwt.verify<TicketClaims>(query.token ?? '', 'signaling');
    if (!claims || claims.sub !== query.id || query.key !== this.deps.key || typeof claims.jti !== 'string') {
      return { kind: 'refused', status: 401, reason: 'invalid' };
    }
    // Spent before anything is awaited, so concurrent upgrades with one ticket cannot both pass.
    const outcome = this.spent.spend(claims.jti, claims.exp * 1000, Date.now());
    if (outcome === 'reused') return { kind: 'refused', status: 401, reason: 'reused' };
    if (outcome === 'full') return { kind: 'refused', status: 503, reason: 'busy' };
    if (!(await this.spendShared(claims.jti, claims.exp * 1000))) return { kind: 'refused', status: 401, reason: 'reused' };
    const cameras = await this.stillAuthorized(claims);
    if (!cameras) return { kind: 'refused', status: 401, reason: 'revoked' };
    return { kind: 'admitted', claims, cameras };
  }

  /** Spends the ticket in the instances' shared record, if there is one. @returns false when another instance spent it */
  private async spendShared(ticketId: string, expiresAtMs: number): Promise<boolean> {
    const shared = this.deps.shared;
    if (!shared) return true;
    try {
      return await shared.tickets.spend(ticketId, expiresAtMs);
    } catch (err) {
      shared.logger.debug({ err }, 'spent tickets of other instances unreachable (redis is down): ticket checked on this instance only');
      return true;
    }
  }

  /** The cameras the ticket's holder may signal to while it is still authorized (its device or viewer is still of the household), else undefined. */
  private async stillAuthorized(claims: TicketClaims): Promise<CameraAccess | undefined> {
    const peer = parsePeerId(claims.sub);
    if (peer?.kind === 'camera') {
      const device = await this.deps.store.devices.findById(peer.deviceId);
      return device?.householdId === claims.hid ? { kind: 'all' } : undefined;
    }
    if (peer?.kind === 'viewer' && typeof claims.sid === 'string') {
      const user = await this.deps.sessions.activeUser(claims.sid, peer.userId);
      return user?.householdId === claims.hid ? user.cameras : undefined;
    }
    return undefined;
  }
}
