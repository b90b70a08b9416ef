/**
 * Wire types of the Peerwatch HTTP API, shared by the server and the PWA's
 * API client. Type-only: nothing here exists at run time.
 *
 * Times are milliseconds since the Unix epoch (`...AtMs`) unless said otherwise.
 * Every error response is `ApiErrorBody` with an HTTP status >= 400.
 */

/** Body of every error response: `{error: {code, message}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** A signed-in person. One user owns one household (account). */
export interface User {
  id: string;
  email: string;
  createdAtMs: number;
}

/** Response of register, login and refresh. */
export interface AuthSession {
  user: User;
  /** Short-lived JWT (about 15 min) sent as `Authorization: Bearer <token>`. */
  accessToken: string;
  /** Opaque one-time token for `POST /api/auth/refresh`; rotated on each use. */
  refreshToken: string;
  /** When `accessToken` expires. */
  accessTokenExpiresAtMs: number;
}

/** A camera registered to a household. */
export interface Device {
  id: string;
  name: string;
  /** The PeerJS peer id the camera uses while connected to signaling. */
  peerId: string;
  /** True while the camera holds an open signaling connection. */
  online: boolean;
  /** Last time the server heard from the camera, or null if never. */
  lastSeenAtMs: number | null;
  createdAtMs: number;
}

/** Response of `POST /api/pairings`. */
export interface Pairing {
  id: string;
  /** One-time pairing token (base64url, 256 random bits). */
  token: string;
  /** `<origin>/pair#<token>`: what the QR code encodes. */
  url: string;
  expiresAtMs: number;
}

/** Response of `POST /api/pairings/claim`. */
export interface PairingClaim {
  device: Device;
  /** Long-lived device credential, sent as `Authorization: Device <token>`. */
  deviceToken: string;
}

/** Response of `POST /api/signaling/tickets`. */
export interface SignalingTicket {
  /** The peer id the caller must open its PeerJS socket with. */
  peerId: string;
  /** Short-lived token passed as the PeerJS `token` query parameter. */
  ticket: string;
  expiresAtMs: number;
  /** Path the PeerServer is mounted at (PeerJS `path` option). */
  path: string;
  /** PeerJS API key. */
  key: string;
}

/** Response of `GET /api/ice-servers`. */
export interface IceServersResponse {
  iceServers: RTCIceServerLike[];
  /** When the credentials inside expire (refetch before then); null if none expire. */
  expiresAtMs: number | null;
}

/** RTCIceServer, as JSON (RFC 8445 / W3C WebRTC `RTCIceServer`). */
export interface RTCIceServerLike {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * Server-sent events pushed to a household's open viewers on `GET /api/events`
 * (SSE, `event: <type>`, `data: <JSON>`).
 */
export type HouseholdEvent =
  | { type: 'presence'; deviceId: string; online: boolean; lastSeenAtMs: number | null }
  | { type: 'pairing-claimed'; pairingId: string; device: Device }
  | { type: 'device-updated'; device: Device }
  | { type: 'device-removed'; deviceId: string };
