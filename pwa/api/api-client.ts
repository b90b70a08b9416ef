import type {
  ApiErrorBody,
  AuthSession,
  ChunkReceipt,
  ChunkUploadHeaders,
  Device,
  IceServersResponse,
  Pairing,
  PairingClaim,
  RecordingPlayback,
  RecordingProblem,
  RecordingState,
  RecordingSummary,
  SignalingTicket,
} from '../../protocol/index.js';
import type { AuthState } from './auth-state.js';
import type { LocalChunk } from '../shared/recording-records.js';

/**
 * An API call that failed: the HTTP status with the `{error: {code, message}}`
 * body the server sent, or status 0 / code `network` when the server could
 * not be reached at all. `message` is meant for people.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/**
 * Who a call is made as: the signed-in user (`Authorization: Bearer <access JWT>`)
 * or a paired camera (`Authorization: Device <device token>`).
 */
export type Caller = 'user' | { deviceToken: string };

/** One recording chunk to upload (`PUT /api/recordings/:id/chunks/:seq`): a stored chunk, its size aside. */
export type ChunkUpload = Omit<LocalChunk, 'sizeBytes'>;

interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, `application/octet-stream`. */
  bytes?: ArrayBuffer;
  headers?: Record<string, string>;
  as?: Caller | 'nobody';
  signal?: AbortSignal;
}

/**
 * The browser's only door to the Peerwatch HTTP API (`/api/...`, wire types in
 * `signal-server/api-types.ts`). User calls carry the access token from
 * `AuthState`; on a 401 the client spends the refresh token once
 * (`POST /api/auth/refresh`, one refresh in flight at a time) and repeats the
 * call; if that fails too the session is cleared. Every failure is thrown as
 * `ApiRequestError`.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(readonly auth: AuthState) {}

  /** `POST /api/auth/register`; stores the new session. @throws ApiRequestError (400 invalid_body, 409 email_taken, 429) */
  register(email: string, password: string): Promise<AuthSession> {
    return this.startSession('/api/auth/register', email, password);
  }

  /** `POST /api/auth/login`; stores the session. @throws ApiRequestError (401 wrong credentials, 429) */
  login(email: string, password: string): Promise<AuthSession> {
    return this.startSession('/api/auth/login', email, password);
  }

  private async startSession(path: string, email: string, password: string): Promise<AuthSession> {
    const session = await this.request<AuthSession>('POST', path, { body: { email, password }, as: 'nobody' });
    this.auth.save(session);
    return session;
  }

  /** `POST /api/auth/logout`: ends the session on the server (best effort) and forgets it here. */
  async logout(): Promise<void> {
    const refreshToken = this.auth.session?.refreshToken;
    this.auth.clear();
    if (!refreshToken) return;
    await this.request<void>('POST', '/api/auth/logout', { body: { refreshToken }, as: 'nobody' }).catch(() => {});
  }

  /** `GET /api/devices`: the household's cameras with presence. */
  listDevices(): Promise<Device[]> {
    return this.request('GET', '/api/devices');
  }

  /** `PATCH /api/devices/:id`. @throws ApiRequestError (400 invalid name, 404) */
  renameDevice(deviceId: string, name: string): Promise<Device> {
    return this.request('PATCH', `/api/devices/${encodeURIComponent(deviceId)}`, { body: { name } });
  }

  /** `DELETE /api/devices/:id`: the camera's credential stops working at once. */
  removeDevice(deviceId: string): Promise<void> {
    return this.request('DELETE', `/api/devices/${encodeURIComponent(deviceId)}`);
  }

  /** `POST /api/pairings`: a one-time pairing token and the URL its QR code carries; `name` names the camera. */
  createPairing(name?: string): Promise<Pairing> {
    return this.request('POST', '/api/pairings', { body: name ? { name } : {} });
  }

  /** `POST /api/pairings/claim` (no credential). @throws ApiRequestError (404 unknown, 410 used or expired, 429) */
  claimPairing(token: string): Promise<PairingClaim> {
    return this.request('POST', '/api/pairings/claim', { body: { token }, as: 'nobody' });
  }

  /** `GET /api/devices/me` as a camera. @throws ApiRequestError 401 when the camera was removed */
  myDevice(deviceToken: string): Promise<Device> {
    return this.request('GET', '/api/devices/me', { as: { deviceToken } });
  }

  /**
   * `POST /api/signaling/tickets`: a short-lived ticket to open a PeerJS socket.
   * A viewer passes its current `peerId` to keep it across reconnects.
   * @throws ApiRequestError 401 when the credential is no longer valid
   */
  signalingTicket(as: Caller, peerId?: string): Promise<SignalingTicket> {
    return this.request('POST', '/api/signaling/tickets', { body: peerId ? { peerId } : {}, as });
  }

  /** `GET /api/ice-servers`: STUN/TURN servers (RFC 8445) for new peer connections. */
  iceServers(as: Caller): Promise<IceServersResponse> {
    return this.request('GET', '/api/ice-servers', { as });
  }

  /**
   * `GET /api/events`: opens the caller's Server-Sent Events stream (a user's
   * household events, or a camera's own) and returns the response with its body unread.
   */
  openEvents(signal: AbortSignal, as: Caller = 'user'): Promise<Response> {
    return this.send('GET', '/api/events', { signal, as });
  }

  /**
   * `PUT /api/recordings/:id/chunks/:seq` as a camera, with the `ChunkUploadHeaders`.
   * @returns the receipt (201 stored now, 200 stored before)
   * @throws ApiRequestError (0 network; 400 `hash_mismatch` and others; 409 `chunk_conflict`,
   *   `recording_closed`; 410 `recording_expired`; 413; see api-types.ts)
   */
  uploadChunk(deviceToken: string, chunk: ChunkUpload, signal?: AbortSignal): Promise<ChunkReceipt> {
    const headers: Omit<ChunkUploadHeaders, 'Authorization' | 'Content-Type'> = {
      'X-Chunk-Sha256': chunk.sha256,
      'X-Chunk-Start-Ms': String(Math.round(chunk.startMs)),
      'X-Chunk-Duration-Ms': String(Math.round(chunk.durationMs)),
      ...(chunk.final ? { 'X-Recording-Final': '1' as const } : {}),
      'X-Camera-Clock-Ms': String(Date.now()),
    };
    const path = `/api/recordings/${encodeURIComponent(chunk.recordingId)}/chunks/${chunk.seq}`;
    return this.request('PUT', path, { bytes: chunk.bytes, headers, as: { deviceToken }, ...(signal ? { signal } : {}) });
  }

  /** `PUT /api/devices/me/recording-status` as a camera: whether it is recording now, and why not if asked to. */
  reportRecordingStatus(
    deviceToken: string,
    report: { recording: boolean; problem: RecordingProblem | null },
  ): Promise<RecordingState> {
    return this.request('PUT', '/api/devices/me/recording-status', { body: report, as: { deviceToken } });
  }

  /** `PUT /api/devices/me/recording` as a camera: the "Record" switch on the camera itself. */
  setOwnRecordingWish(deviceToken: string, enabled: boolean): Promise<RecordingState> {
    return this.request('PUT', '/api/devices/me/recording', { body: { enabled }, as: { deviceToken } });
  }

  /** `GET /api/devices/:id/recording`: a camera's recording wish and what it reported. */
  recordingState(deviceId: string): Promise<RecordingState> {
    return this.request('GET', `/api/devices/${encodeURIComponent(deviceId)}/recording`);
  }

  /** `PUT /api/devices/:id/recording`: the "Record" switch. @throws ApiRequestError (404) */
  setRecordingEnabled(deviceId: string, enabled: boolean): Promise<RecordingState> {
    return this.request('PUT', `/api/devices/${encodeURIComponent(deviceId)}/recording`, { body: { enabled } });
  }

  /** `GET /api/recordings?deviceId=`: one camera's recordings, newest first. */
  listRecordings(deviceId: string): Promise<RecordingSummary[]> {
    return this.request('GET', `/api/recordings?deviceId=${encodeURIComponent(deviceId)}`);
  }

  /** `GET /api/recordings/:id/playback`: the playlist URL with a short-lived token. @throws ApiRequestError (404) */
  recordingPlayback(recordingId: string): Promise<RecordingPlayback> {
    return this.request('GET', `/api/recordings/${encodeURIComponent(recordingId)}/playback`);
  }

  /** `GET /api/recordings/:id/<part>` (`init.mp4`, `segments/<seq>.m4s`) as the user. @throws ApiRequestError (404) */
  async recordingMedia(recordingId: string, part: string): Promise<Blob> {
    const res = await this.send('GET', `/api/recordings/${encodeURIComponent(recordingId)}/${part}`, {});
    return res.blob();
  }

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Sends a request, refreshing the user's access token once on 401. @throws ApiRequestError */
  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const as = options.as ?? 'user';
    const usedToken = as === 'user' ? this.auth.session?.accessToken : undefined;
    let res = await this.fetchOnce(method, path, options, authorization(as, usedToken));
    if (res.status === 401 && as === 'user' && (await this.refreshAfter(usedToken))) {
      res = await this.fetchOnce(method, path, options, authorization(as, this.auth.session?.accessToken));
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  private async fetchOnce(
    method: string,
    path: string,
    options: RequestOptions,
    authorizationHeader: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.bytes !== undefined) headers['content-type'] = 'application/octet-stream';
    if (authorizationHeader) headers.authorization = authorizationHeader;
    try {
      return await fetch(path, {
        method,
        headers,
        body: options.bytes ?? (options.body === undefined ? null : JSON.stringify(options.body)),
        signal: options.signal ?? null,
        cache: 'no-store',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiRequestError(0, 'network', 'Cannot reach the Peerwatch server. Check the connection.');
    }
  }

  /**
   * Gets a fresh access token after `staleToken` was refused: uses one that
   * another tab already stored, else spends the refresh token (one refresh in
   * flight at a time). @returns whether a new token is available.
   */
  private refreshAfter(staleToken: string | undefined): Promise<boolean> {
    const session = this.auth.session;
    if (!session) return Promise.resolve(false);
    if (session.accessToken !== staleToken) return Promise.resolve(true);
    this.refreshing ??= this.refresh(session.refreshToken).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refresh(refreshToken: string): Promise<boolean> {
    const res = await this.fetchOnce('POST', '/api/auth/refresh', { body: { refreshToken } }, undefined);
    if (res.ok) {
      this.auth.save((await res.json()) as AuthSession);
      return true;
    }
    if (res.status === 401) this.auth.clear();
    return false;
  }
}

function authorization(as: Caller | 'nobody', accessToken: string | undefined): string | undefined {
  if (as === 'nobody') return undefined;
  if (as === 'user') return accessToken ? `Bearer ${accessToken}` : undefined;
  return `Device ${as.deviceToken}`;
}

async function errorOf(res: Response): Promise<ApiRequestError> {
  try {
    const body = (await res.json()) as Partial<ApiErrorBody>;
    if (body.error && typeof body.error.message === 'string') {
      return new ApiRequestError(res.status, body.error.code ?? 'error', body.error.message);
    }
  } catch {
    /* not a JSON error body, e.g. a proxy's error page */
  }
  return new ApiRequestError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}.`);
}
