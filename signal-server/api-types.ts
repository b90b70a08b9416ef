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

/** Response of `GET /api/server` (anyone may ask): which server this is. */
export interface ServerInfo {
  /** Always `Peerwatch`. */
  name: 'Peerwatch';
  /** The server's version (its package.json `version`, semver). */
  version: string;
  /**
   * This server's random instance id (base64url), the same on every start and at every address it
   * is reached by; pairing links carry it as `?server=`.
   */
  instanceId: string;
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
  /** `<origin>/pair?server=<ServerInfo.instanceId>#<token>`: what the QR code encodes. */
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
  /**
   * `RTCConfiguration.iceTransportPolicy` for every peer connection (W3C WebRTC): `relay` when
   * the server wants media through TURN only (peers then never see each other's IP addresses).
   */
  iceTransportPolicy: 'all' | 'relay';
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
  | { type: 'device-removed'; deviceId: string }
  | RecordingStateEvent
  | RecordingRemovedEvent;

// ---------------------------------------------------------------------------
// Recordings
//
// A camera records with MediaRecorder (`video/mp4;codecs=avc1`, a timeslice of
// 1–2 s, `videoKeyFrameIntervalDuration` = the timeslice). Chunk 0 of a
// recording is the fMP4 init segment (ftyp+moov); each later chunk is one or
// more whole fragments (moof+mdat) with continuous timestamps, so init +
// chunks form an fMP4 HLS stream (RFC 8216 §4.3.2.5 EXT-X-MAP). The camera
// starts a new recording (new id) every 10 minutes at most.
//
// Upload: `PUT /api/recordings/:recordingId/chunks/:seq` (camera only), in seq
// order, retrying anything without a 2xx answer:
//   - `recordingId`: made by the camera, 16–64 characters `[A-Za-z0-9_-]`
//     (e.g. 128 random bits, base64url). The first chunk stored creates the
//     recording for the calling camera; beginning a new recording closes the
//     camera's older open ones.
//   - `seq`: 0 for the init segment, then 1, 2, … (integer 0–1 000 000).
//   - headers `ChunkUploadHeaders`; body: the chunk's raw bytes.
//   - 201 `ChunkReceipt`: stored now (durable on disk before the answer).
//   - 200 `ChunkReceipt`: the same bytes were stored already (safe retry).
//   - 400 `invalid_recording_id` | `invalid_seq` | `invalid_header` | `empty_chunk`;
//     400 `hash_mismatch`: the body's SHA-256 differs from `X-Chunk-Sha256`.
//   - 401 no or bad credential; 403 a user credential; 404 `not_found`: the
//     recording belongs to another camera or household.
//   - 409 `chunk_conflict`: other bytes are stored under this seq (do not retry);
//     409 `recording_closed`: seq is past the chunk marked final, or the final
//     mark contradicts a stored chunk.
//   - 410 `recording_expired`: the chunk is older than the retention period (drop it).
//   - 413 `chunk_too_large`: the body is over the server's chunk limit.
//   - 415 `unsupported_media_type`: Content-Type is not application/octet-stream.
// ---------------------------------------------------------------------------

/** Request headers of a chunk upload (header names are case-insensitive). */
export interface ChunkUploadHeaders {
  /** The camera's credential from the pairing claim. */
  Authorization: `Device ${string}`;
  'Content-Type': 'application/octet-stream';
  /** SHA-256 of the body, 64 hex digits. */
  'X-Chunk-Sha256': string;
  /** Start of the chunk's media, camera clock, ms since the epoch (decimal integer). For seq 0: the recording's start. */
  'X-Chunk-Start-Ms': string;
  /** Duration of the chunk's media, ms (decimal integer, 0–3 600 000). 0 for the init segment. */
  'X-Chunk-Duration-Ms': string;
  /**
   * `1` on the recording's last chunk (MediaRecorder's `dataavailable` with
   * `recorder.state === 'inactive'`): the recording is closed and its playlist
   * becomes VOD once every chunk up to this one is stored. Optional.
   */
  'X-Recording-Final'?: '1';
  /**
   * The camera's clock just before sending, ms since the epoch (decimal
   * integer). Optional; when it differs from the server's clock by more than
   * a few seconds, the server moves the chunk's start onto its own clock
   * (a camera whose clock is wrong keeps its footage, with real times).
   */
  'X-Camera-Clock-Ms'?: string;
}

/** Response of a chunk upload (201 stored, 200 already stored). */
export interface ChunkReceipt {
  recordingId: string;
  seq: number;
  sizeBytes: number;
  /** SHA-256 of the stored bytes, lowercase hex. */
  sha256: string;
}

/**
 * One recording in `GET /api/recordings?deviceId=&from=&to=` (user: the
 * household's recordings, optionally of one camera; camera: its own). `from` and
 * `to` (ms since the epoch, both optional) keep recordings whose span overlaps
 * [from, to]. Newest first.
 */
export interface RecordingSummary {
  id: string;
  /** The camera that recorded it (it may have been removed since). */
  deviceId: string;
  /** Start of the earliest stored chunk, camera clock. */
  startedAtMs: number;
  /** From the earliest stored chunk's start to the latest one's end, ms. */
  durationMs: number;
  /** Stored bytes, init segment included. */
  sizeBytes: number;
  /** Stored chunks, init segment included. */
  chunkCount: number;
  /** True once the final chunk is marked and every chunk up to it is stored. */
  complete: boolean;
}

/**
 * Response of `GET /api/recordings/:id/playback` (user): an absolute URL of the
 * recording's HLS media playlist (RFC 8216) that carries a short-lived token
 * scoped to this recording, for players that cannot send headers (hls.js,
 * ffmpeg). Ask again for a new URL before `expiresAtMs`.
 *
 * The playlist is `#EXT-X-VERSION:7` with `#EXT-X-MAP:URI="init.mp4?token=…"`
 * and one `segments/<seq>.m4s?token=…` per chunk 1, 2, … in order, stopping
 * at the first seq not yet stored. `#EXT-X-PLAYLIST-TYPE:EVENT` while the
 * recording may still grow (players reload it), `VOD` + `#EXT-X-ENDLIST` once
 * it is closed. `init.mp4` is served as `video/mp4`, segments as
 * `video/iso.segment`. The same three URLs also accept an `Authorization`
 * header (user or camera of the household) instead of the token.
 *
 * `downloadUrl` (same token) serves the recording as one MP4 file to save:
 * the init segment and every playable chunk joined in order, which is a
 * fragmented MP4 (ISO/IEC 14496-12 §8.8) that video players and editors open.
 */
export interface RecordingPlayback {
  playlistUrl: string;
  downloadUrl: string;
  expiresAtMs: number;
}

/**
 * Remote recording control of one camera.
 *
 * - `GET /api/devices/:id/recording` (user) → `RecordingState`.
 * - `PUT /api/devices/:id/recording` (user) body `{enabled: boolean}` → `RecordingState`:
 *   the household's wish ("Record" switch), kept on the server.
 * - `PUT /api/devices/me/recording` (camera) body `{enabled: boolean}` → `RecordingState`:
 *   the same wish, set with the "Record" switch on the camera itself.
 * - `PUT /api/devices/me/recording-status` (camera) body
 *   `{recording: boolean, problem?: RecordingProblem | null}` → `RecordingState`:
 *   what the camera is doing, and why not when asked to record.
 *
 * Every change is pushed as `RecordingStateEvent` to the household's viewers
 * (`GET /api/events` with a user credential) and to the camera itself.
 * A camera opens `GET /api/events` with its `Authorization: Device <token>`:
 * that stream sends `event: ready`, then at once `event: recording-state` with
 * its current state, then each change of its own state (`DeviceEvent`). A
 * camera starts or stops recording to match `enabled` and reports back with
 * `recording-status`.
 */
export interface RecordingState {
  deviceId: string;
  /** True when the household wants this camera to record. */
  enabled: boolean;
  /** True when the camera last reported that it is recording. */
  recording: boolean;
  /** Why the camera does not record although asked to, as it last reported; null otherwise. */
  problem: RecordingProblem | null;
  /** When the camera last reported, or null if never. */
  reportedAtMs: number | null;
}

/**
 * Why a camera that is asked to record does not: `storage-low` (its storage
 * is almost full; it resumes by itself once uploads have made room),
 * `cannot-record` (its browser cannot record a format that plays back),
 * `recorder-failed` (recording failed on the camera; its screen says why).
 */
export type RecordingProblem = 'storage-low' | 'cannot-record' | 'recorder-failed';

/** Pushed when a camera's `RecordingState` changes (SSE `event: recording-state`). */
export interface RecordingStateEvent extends RecordingState {
  type: 'recording-state';
}

/**
 * Pushed when retention removed a recording (SSE `event: recording-removed`):
 * `age` = older than the retention period, `size` = over the camera's storage cap.
 */
export interface RecordingRemovedEvent {
  type: 'recording-removed';
  recordingId: string;
  deviceId: string;
  reason: 'age' | 'size';
}

/** Events on a camera's own `GET /api/events` stream: its recording state, and its own record when it changed (e.g. renamed). */
export type DeviceEvent = RecordingStateEvent | Extract<HouseholdEvent, { type: 'device-updated' }>;
