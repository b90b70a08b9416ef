import type { ApiClient, Caller } from '../api/api-client.js';
import { Emitter } from './emitter.js';
import { log } from './logger.js';

/** Share of a credential's lifetime after which it is fetched again. */
const REFRESH_AT_SHARE = 0.8;
/** Shortest wait before a refresh, ms: a server handing out very short (or already past) expiries is not asked in a loop. */
const MIN_REFRESH_DELAY_MS = 5_000;
/** Wait before trying again after a refresh failed, ms. */
const RETRY_DELAY_MS = 10_000;

/**
 * How long to wait before fetching ICE servers again, ms: until 80 % of the
 * credentials' lifetime (`fetchedAtMs` … `expiresAtMs`, TURN REST API
 * credentials, draft-uberti-behave-turn-rest-00) has passed, at least 5 000 ms
 * from `nowMs`; null when nothing expires.
 * @param fetchedAtMs when the answer was fetched, ms since the epoch.
 * @param expiresAtMs `IceServersResponse.expiresAtMs`, ms since the epoch, or null.
 * @param nowMs the current time, ms since the epoch.
 */
export function iceRefreshDelayMs(fetchedAtMs: number, expiresAtMs: number | null, nowMs = fetchedAtMs): number | null {
  if (expiresAtMs === null) return null;
  const dueAtMs = fetchedAtMs + (expiresAtMs - fetchedAtMs) * REFRESH_AT_SHARE;
  return Math.max(MIN_REFRESH_DELAY_MS, dueAtMs - nowMs);
}

/**
 * The RTCPeerConnection configuration (STUN/TURN servers, RFC 8445, and the
 * server's `iceTransportPolicy`) from `GET /api/ice-servers`, kept fresh: once
 * fetched, it is fetched again at 80 % of its credentials' lifetime (retrying
 * every 10 000 ms on failure) until `close()`, so a peer that waits for calls
 * for days always holds TURN credentials that work.
 *
 * Dispatches `change` after each successful fetch.
 */
export class IceConfig extends Emitter<{ change: void }> {
  private current: { config: RTCConfiguration; fetchedAtMs: number; expiresAtMs: number | null } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly api: ApiClient,
    private readonly as: Caller,
  ) {
    super();
  }

  /**
   * The current configuration; fetched first when there is none yet or its refresh is due.
   * @throws ApiRequestError when the server cannot be asked
   */
  async config(): Promise<RTCConfiguration> {
    const current = this.current;
    const delayMs = current && iceRefreshDelayMs(current.fetchedAtMs, current.expiresAtMs, Date.now());
    if (current && (delayMs === null || delayMs > MIN_REFRESH_DELAY_MS)) return current.config;
    return this.refresh();
  }

  /**
   * Fetches the configuration now (e.g. right before a call) and re-arms the refresh timer.
   * @throws ApiRequestError when the server cannot be asked
   */
  async refresh(): Promise<RTCConfiguration> {
    const fetchedAtMs = Date.now();
    const answer = await this.api.iceServers(this.as);
    const config: RTCConfiguration = {
      iceServers: answer.iceServers,
      iceTransportPolicy: answer.iceTransportPolicy,
    };
    this.current = { config, fetchedAtMs, expiresAtMs: answer.expiresAtMs };
    this.schedule(iceRefreshDelayMs(fetchedAtMs, answer.expiresAtMs, Date.now()));
    this.emit('change');
    return config;
  }

  /**
   * Fetches the configuration again without waiting for it (when the refresh timer fires, or after a
   * call made with the current one has connected); a failure is retried in 10 000 ms, the current
   * configuration staying in use meanwhile.
   */
  refreshInBackground(): void {
    this.refresh().catch((error: unknown) => {
      log.debug('ice: refreshing the ICE servers failed, retrying', error);
      this.schedule(RETRY_DELAY_MS);
    });
  }

  /** The last configuration fetched, or null before the first. */
  get latest(): RTCConfiguration | null {
    return this.current?.config ?? null;
  }

  /** Stops refreshing. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number | null): void {
    clearTimeout(this.timer);
    if (delayMs === null || this.closed) return;
    this.timer = setTimeout(() => this.refreshInBackground(), delayMs);
  }
}
