import type { ApiClient, Caller } from '../app/api-client.js';

/** Refetch TURN credentials this long before they expire, ms. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The ICE servers (STUN/TURN, RFC 8445) for new RTCPeerConnections, from
 * `GET /api/ice-servers`. The answer is reused until its credentials are about
 * to expire (`expiresAtMs`); servers without expiring credentials are kept.
 */
export class IceConfig {
  private cached: { iceServers: RTCIceServer[]; expiresAtMs: number | null } | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly as: Caller,
  ) {}

  /** @throws ApiRequestError when the server cannot be asked */
  async iceServers(): Promise<RTCIceServer[]> {
    const cached = this.cached;
    if (cached && (cached.expiresAtMs === null || cached.expiresAtMs - EXPIRY_MARGIN_MS > Date.now())) {
      return cached.iceServers;
    }
    const fresh = await this.api.iceServers(this.as);
    this.cached = { iceServers: fresh.iceServers, expiresAtMs: fresh.expiresAtMs };
    return fresh.iceServers;
  }
}
