import type { IceServersResponse, RTCIceServerLike } from '../../protocol/index.js';
import type { RTCIceTransportPolicyName, TurnConfig } from '../config.js';
import { turnCredential } from './turn-credentials.js';

/** Where a peer finds its ICE servers (STUN URLs, a TURN relay when one is configured) and which candidates it may use. */
export interface IceSettings {
  stunUrls: readonly string[];
  turn: TurnConfig | null;
  /** `relay`: TURN candidates only (W3C WebRTC `iceTransportPolicy`). */
  iceTransportPolicy: RTCIceTransportPolicyName;
}

/**
 * The ICE servers (RFC 8445) a peer should use for its next call: the STUN
 * URLs, plus the TURN URLs with a fresh time-limited credential for `holder`
 * when TURN is configured (see `turnCredential`). `expiresAtMs` is that
 * credential's expiry, or null without TURN; `iceTransportPolicy` is passed on.
 */
export function iceServersFor(settings: IceSettings, holder: string, nowMs = Date.now()): IceServersResponse {
  const iceServers: RTCIceServerLike[] = settings.stunUrls.length > 0 ? [{ urls: [...settings.stunUrls] }] : [];
  const { iceTransportPolicy } = settings;
  if (!settings.turn) return { iceServers, expiresAtMs: null, iceTransportPolicy };
  const { username, credential, expiresAtMs } = turnCredential(
    settings.turn.secret,
    holder,
    settings.turn.credentialTtlMs,
    nowMs,
  );
  iceServers.push({ urls: [...settings.turn.urls], username, credential });
  return { iceServers, expiresAtMs, iceTransportPolicy };
}
