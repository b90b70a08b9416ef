import type { IceServersResponse } from '../api-types.js';

/**
 * The ICE servers (RFC 8445) a peer should use for its next call.
 * STUN only for now: TURN entries with time-limited credentials slot in here.
 */
export function iceServersFor(stunUrls: readonly string[]): IceServersResponse {
  return {
    iceServers: stunUrls.length > 0 ? [{ urls: [...stunUrls] }] : [],
    expiresAtMs: null,
  };
}
