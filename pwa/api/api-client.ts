import type {
  AuditFilter,
  AuditPage,
  CameraSettings,
  MotionEventKind,
  CameraSettingsWrite,
  ApiErrorBody,
  ApiErrorCode,
  ApiRoute,
  AuthSession,
  CameraControls,
  CameraControlsRequest,
  OwnCameraControlsRequest,
  CameraControlState,
  CameraReport,
  CameraReportRequest,
  ChunkReceipt,
  ChunkUploadHeaders,
  Device,
  IceServersResponse,
  JsonRoute,
  CameraSnooze,
  NotificationList,
  NotificationPreferences,
  SnoozeLength,
  MotionEventPage,
  MotionEventRecord,
  MotionEventWrite,
  MotionImage,
  MotionImageReceipt,
  Pairing,
  PairingClaim,
  PushSubscriptionInfo,
  RecordingPlayback,
  RecordingProblem,
  RecordingState,
  RecordingSummary,
  ServerInfo,
  RequestOf,
  ResponseOf,
  SignalingTicket,
} from '../../protocol/index.js';
import { splitRouteKey } from '../../protocol/route.js';
import type { AuthState } from './auth-state.js';
import type { LocalChunk } from '../shared/recording-records.js';
import { log } from '../shared/logger.js';

/**
 * What an `ApiRequestError` says went wrong: a code of the API (`ApiErrorCode`),
 * `network` when the server could not be reached, or `http_error` when it
 * answered without an error body (e.g. a proxy's error page).
 */
export type ClientErrorCode = ApiErrorCode | 'network' | 'http_error';

/**
 * An API call that failed: the HTTP status with the `{error: {code, message}}`
 * body the server sent, or status 0 / code `network` when the server could
 * not be reached at all. `message` is meant for people.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
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

/** How a call is sent besides what the route takes. */
interface SendOptions {
  as?: Caller | 'nobody';
  signal?: AbortSignal | undefined;
  /** A raw body, sent as `contentType` (chunk uploads, event images). */
  bytes?: ArrayBuffer;
  /** Content type of `bytes`; `application/octet-stream` unless given. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** A route's request as the client handles it inside, whatever the route. */
interface AnyRequest {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * The URL path of a route with its `:name` parameters filled in (URI-encoded)
 * and its query (unset values left out).
 */
export function routeUrl(path: string, request: AnyRequest): string {
  const filled = path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) query.set(name, value);
  const search = query.toString();
  return search ? `${filled}?${search}` : filled;
}

/** HLS parts of a recording the client fetches itself (poster frames). */
export type RecordingMediaPart = 'init.mp4' | `segments/${number}.m4s`;

/** The query of an audit filter: its times as decimal ms, unset ones left out. */
function auditQuery(filter: AuditFilter): Record<string, string | undefined> {
  const { fromMs, toMs, ...rest } = filter;
  return { ...rest, fromMs: fromMs === undefined ? undefined : String(fromMs), toMs: toMs === undefined ? undefined : String(toMs) };
}

/** Which events `listEvents` asks for: one camera, one kind, started in [fromMs, toMs] (ms since the epoch); all when left out. */
export interface EventFilter {
  deviceId?: string;
  kind?: MotionEventKind;
  fromMs?: number;
  toMs?: number;
}

/**
 * The browser's only door to the Peerwatch HTTP API, typed from the route
 * table (`protocol/routes.ts`): `call(route, request)` takes exactly the
 * params, query and body the route takes and resolves to its response type.
 * User calls carry the access token from `AuthState`; on a 401 the client
 * spends the refresh token once (`POST /api/auth/refresh`, one refresh in
 * flight at a time) and repeats the call; if that fails too the session is
 * cleared. Every failure is thrown as `ApiRequestError`.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(readonly auth: AuthState) {}

  /**
   * Calls a route whose answer is JSON (or 204, resolved as undefined).
   * @throws ApiRequestError with the route's status and code
   */
  async call<K extends JsonRoute>(route: K, request: RequestOf<K>, options: SendOptions = {}): Promise<ResponseOf<K>> {
    const res = await this.send(route, request, options);
    if (res.status === 204) return undefined as ResponseOf<K>;
    return (await res.json()) as ResponseOf<K>;
  }

  /** `POST /api/auth/register`; stores the new session. @throws ApiRequestError (400 invalid_body, 409 email_taken, 429) */
  register(email: string, password: string): Promise<AuthSession> {
    return this.startSession('POST /api/auth/register', email, password);
  }

  /** `POST /api/auth/login`; stores the session. @throws ApiRequestError (401 wrong credentials, 429) */
  login(email: string, password: string): Promise<AuthSession> {
    return this.startSession('POST /api/auth/login', email, password);
  }

  private async startSession(
    route: 'POST /api/auth/register' | 'POST /api/auth/login',
    email: string,
    password: string,
  ): Promise<AuthSession> {
    const session = await this.call(route, { body: { email, password } }, { as: 'nobody' });
    this.auth.save(session);
    return session;
  }

  /** `POST /api/auth/logout`: ends the session on the server (best effort) and forgets it here. */
  async logout(): Promise<void> {
    const refreshToken = this.auth.session?.refreshToken;
    this.auth.clear();
    if (!refreshToken) return;
    // Best effort: the session is forgotten here either way, and the refresh token expires by itself.
    await this.call('POST /api/auth/logout', { body: { refreshToken } }, { as: 'nobody' }).catch((error: unknown) => {
      log.info('sign-out: the server could not be told', error);
    });
  }

  /** `GET /api/server` (no credential): which server this is, with its instance id. */
  serverInfo(): Promise<ServerInfo> {
    return this.call('GET /api/server', {}, { as: 'nobody' });
  }

  /** `GET /api/devices`: the household's cameras with presence. */
  listDevices(): Promise<Device[]> {
    return this.call('GET /api/devices', {});
  }

  /** `PATCH /api/devices/:id`. @throws ApiRequestError (400 invalid name, 404) */
  renameDevice(deviceId: string, name: string): Promise<Device> {
    return this.call('PATCH /api/devices/:id', { params: { id: deviceId }, body: { name } });
  }

  /** `DELETE /api/devices/:id`: the camera's credential stops working at once. */
  removeDevice(deviceId: string): Promise<void> {
    return this.call('DELETE /api/devices/:id', { params: { id: deviceId } });
  }

  /** `POST /api/pairings`: a one-time pairing token and the URL its QR code carries; `name` names the camera. */
  createPairing(name?: string): Promise<Pairing> {
    return this.call('POST /api/pairings', { body: name ? { name } : {} });
  }

  /** `POST /api/pairings/claim` (no credential). @throws ApiRequestError (404 unknown, 410 used or expired, 429) */
  claimPairing(token: string): Promise<PairingClaim> {
    return this.call('POST /api/pairings/claim', { body: { token } }, { as: 'nobody' });
  }

  /** `GET /api/devices/me` as a camera. @throws ApiRequestError 401 when the camera was removed */
  myDevice(deviceToken: string): Promise<Device> {
    return this.call('GET /api/devices/me', {}, { as: { deviceToken } });
  }

  /**
   * `POST /api/signaling/tickets`: a short-lived ticket to open a PeerJS socket.
   * A viewer passes its current `peerId` to keep it across reconnects.
   * @throws ApiRequestError 401 when the credential is no longer valid
   */
  signalingTicket(as: Caller, peerId?: string): Promise<SignalingTicket> {
    return this.call('POST /api/signaling/tickets', { body: peerId ? { peerId } : {} }, { as });
  }

  /** `GET /api/ice-servers`: STUN/TURN servers (RFC 8445) for new peer connections. */
  iceServers(as: Caller): Promise<IceServersResponse> {
    return this.call('GET /api/ice-servers', {}, { as });
  }

  /**
   * `GET /api/stream`: opens the caller's Server-Sent Events stream (a user's
   * household events, or a camera's own) and returns the response with its body unread.
   */
  openEvents(signal: AbortSignal, as: Caller = 'user'): Promise<Response> {
    return this.send('GET /api/stream', {}, { signal, as });
  }

  /**
   * `PUT /api/recordings/:recordingId/chunks/:seq` as a camera, with the chunk upload headers.
   * @returns the receipt (201 stored now, 200 stored before)
   * @throws ApiRequestError (0 network; 400 `hash_mismatch` and others; 409 `chunk_conflict`,
   *   `recording_closed`; 410 `recording_expired`; 413; see the route table)
   */
  async uploadChunk(deviceToken: string, chunk: ChunkUpload, signal?: AbortSignal): Promise<ChunkReceipt> {
    const headers: ChunkUploadHeaders = {
      'x-chunk-sha256': chunk.sha256,
      'x-chunk-start-ms': String(Math.round(chunk.startMs)),
      'x-chunk-duration-ms': String(Math.round(chunk.durationMs)),
      ...(chunk.final ? { 'x-recording-final': '1' as const } : {}),
      'x-camera-clock-ms': String(Date.now()),
    };
    const res = await this.send(
      'PUT /api/recordings/:recordingId/chunks/:seq',
      { params: { recordingId: chunk.recordingId, seq: String(chunk.seq) } },
      { bytes: chunk.bytes, headers, as: { deviceToken }, signal },
    );
    return (await res.json()) as ChunkReceipt;
  }

  /**
   * `PUT /api/events/:eventId` as a camera: the whole event as it knows it now,
   * with its clock (`cameraClockMs`, ms since the epoch) just before sending.
   * @throws ApiRequestError (0 network; 400 `invalid_body`/`invalid_event_id`; 404 another camera's id)
   */
  putEvent(deviceToken: string, eventId: string, event: MotionEventWrite, signal?: AbortSignal): Promise<MotionEventRecord> {
    const body = { ...event, cameraClockMs: Date.now() };
    return this.call('PUT /api/events/:eventId', { params: { eventId }, body }, { as: { deviceToken }, signal });
  }

  /**
   * `PUT /api/events/:eventId/snapshot` or `/thumbnail` as a camera: the image's bytes (JPEG or WebP).
   * @throws ApiRequestError (0 network; 404 no such event; 409 `image_conflict`; 413 `image_too_large`; 415)
   */
  async uploadEventImage(
    deviceToken: string,
    eventId: string,
    image: MotionImage,
    blob: Blob,
    signal?: AbortSignal,
  ): Promise<MotionImageReceipt> {
    const route = image === 'snapshot' ? 'PUT /api/events/:eventId/snapshot' : 'PUT /api/events/:eventId/thumbnail';
    const bytes = await blob.arrayBuffer();
    const res = await this.send(route, { params: { eventId } }, { bytes, contentType: blob.type, as: { deviceToken }, signal });
    return (await res.json()) as MotionImageReceipt;
  }

  /**
   * `GET /api/events`: a page of the household's events, newest first, of one
   * camera and kind and started in [fromMs, toMs] where given (`cursor`: a
   * page's `nextCursor`, with the same filter).
   */
  listEvents(filter: EventFilter = {}, cursor?: string): Promise<MotionEventPage> {
    const query: Record<string, string> = {};
    if (filter.deviceId) query.deviceId = filter.deviceId;
    if (filter.kind) query.kind = filter.kind;
    if (filter.fromMs !== undefined) query.from = String(filter.fromMs);
    if (filter.toMs !== undefined) query.to = String(filter.toMs);
    if (cursor) query.cursor = cursor;
    return this.call('GET /api/events', { query });
  }

  /** `POST /api/events/:eventId/seen`: marks an event seen by the household (the first time stays). @throws ApiRequestError (404) */
  markEventSeen(eventId: string): Promise<MotionEventRecord> {
    return this.call('POST /api/events/:eventId/seen', { params: { eventId } });
  }

  /** `PUT /api/devices/me/recording-status` as a camera: whether it is recording now, and why not if asked to. */
  reportRecordingStatus(
    deviceToken: string,
    report: { recording: boolean; problem: RecordingProblem | null },
  ): Promise<RecordingState> {
    return this.call('PUT /api/devices/me/recording-status', { body: report }, { as: { deviceToken } });
  }

  /** `PUT /api/devices/me/recording` as a camera: the "Record" switch on the camera itself. */
  setOwnRecordingWish(deviceToken: string, enabled: boolean): Promise<RecordingState> {
    return this.call('PUT /api/devices/me/recording', { body: { enabled } }, { as: { deviceToken } });
  }

  /** `GET /api/devices/me/controls` as a camera: its controls (quality, which camera, pause…). */
  ownControls(deviceToken: string): Promise<CameraControls> {
    return this.call('GET /api/devices/me/controls', {}, { as: { deviceToken } });
  }

  /** `PUT /api/devices/me/controls` as a camera: controls changed on the camera itself (e.g. "Pause camera"). */
  setOwnControls(deviceToken: string, change: OwnCameraControlsRequest): Promise<CameraControls> {
    return this.call('PUT /api/devices/me/controls', { body: change }, { as: { deviceToken } });
  }

  /** `PUT /api/devices/me/report` as a camera: its battery, network, frames per second and what its track can do. */
  reportCameraHealth(deviceToken: string, report: CameraReportRequest): Promise<CameraReport> {
    return this.call('PUT /api/devices/me/report', { body: report }, { as: { deviceToken } });
  }

  /** `GET /api/devices/:id/controls`: a camera's controls and its last report. */
  cameraControls(deviceId: string): Promise<CameraControlState> {
    return this.call('GET /api/devices/:id/controls', { params: { id: deviceId } });
  }

  /** `PUT /api/devices/:id/controls`: changes the controls named. @throws ApiRequestError (404) */
  setCameraControls(deviceId: string, change: CameraControlsRequest): Promise<CameraControls> {
    return this.call('PUT /api/devices/:id/controls', { params: { id: deviceId }, body: change });
  }

  /** `PUT /api/devices/:id/pause`: pauses (in the user's name) or resumes a camera; owners only. @throws ApiRequestError (403, 404) */
  setCameraPause(deviceId: string, paused: boolean): Promise<CameraControls> {
    return this.call('PUT /api/devices/:id/pause', { params: { id: deviceId }, body: { paused } });
  }

  /** `GET /api/devices/:id/settings`: a camera's motion and recording settings. @throws ApiRequestError (404) */
  cameraSettings(deviceId: string): Promise<CameraSettings> {
    return this.call('GET /api/devices/:id/settings', { params: { id: deviceId } });
  }

  /** `PUT /api/devices/:id/settings`: replaces a camera's settings (pushed to it live). @throws ApiRequestError (400, 404) */
  setCameraSettings(deviceId: string, settings: CameraSettingsWrite): Promise<CameraSettings> {
    return this.call('PUT /api/devices/:id/settings', { params: { id: deviceId }, body: settings });
  }

  /** `GET /api/devices/:id/recording`: a camera's recording wish and what it reported. */
  recordingState(deviceId: string): Promise<RecordingState> {
    return this.call('GET /api/devices/:id/recording', { params: { id: deviceId } });
  }

  /** `PUT /api/devices/:id/recording`: the "Record" switch. @throws ApiRequestError (404) */
  setRecordingEnabled(deviceId: string, enabled: boolean): Promise<RecordingState> {
    return this.call('PUT /api/devices/:id/recording', { params: { id: deviceId }, body: { enabled } });
  }

  /** `GET /api/recordings?deviceId=`: one camera's recordings, newest first. */
  listRecordings(deviceId: string): Promise<RecordingSummary[]> {
    return this.call('GET /api/recordings', { query: { deviceId } });
  }

  /** `GET /api/recordings/:id/playback`: the playlist URL with a short-lived token. @throws ApiRequestError (404) */
  recordingPlayback(recordingId: string): Promise<RecordingPlayback> {
    return this.call('GET /api/recordings/:id/playback', { params: { id: recordingId } });
  }

  /** `GET /api/recordings/:id/init.mp4` or `.../segments/<seq>.m4s` as the user. @throws ApiRequestError (404) */
  async recordingMedia(recordingId: string, part: RecordingMediaPart): Promise<Blob> {
    const seq = /^segments\/(\d+)\.m4s$/.exec(part)?.[1];
    const res =
      seq === undefined
        ? await this.send('GET /api/recordings/:id/init.mp4', { params: { id: recordingId } }, {})
        : await this.send('GET /api/recordings/:id/segments/:seq.m4s', { params: { id: recordingId, seq } }, {});
    return res.blob();
  }

  /** `GET /api/audit`: a page of the household's audit log, newest first (owners). @throws ApiRequestError (403) */
  auditPage(filter: AuditFilter, cursor?: string): Promise<AuditPage> {
    return this.call('GET /api/audit', { query: { ...auditQuery(filter), cursor } });
  }

  /** `GET /api/audit.csv`: the rows of `filter` as a CSV file (owners), fetched with the user's credential. @throws ApiRequestError (403) */
  async auditCsv(filter: AuditFilter): Promise<Blob> {
    return (await this.send('GET /api/audit.csv', { query: auditQuery(filter) }, {})).blob();
  }

  /** `POST /api/live-views/hang-up`: tells the server this page (`peerId`) hung up on camera `deviceId`. @throws ApiRequestError */
  hangUp(peerId: string, deviceId: string): Promise<void> {
    return this.call('POST /api/live-views/hang-up', { body: { peerId, deviceId } });
  }

  /** Sends a request to a route, refreshing the user's access token once on 401. @throws ApiRequestError */
  /** `GET /api/push/key`: the VAPID public key to subscribe with. @throws ApiRequestError */
  async pushKey(): Promise<string> {
    return (await this.call('GET /api/push/key', {})).publicKey;
  }

  /** `POST /api/push/subscriptions`: this browser receives the user's pushes. @throws ApiRequestError (400 invalid_body) */
  addPushSubscription(subscription: PushSubscriptionJSON, name: string): Promise<PushSubscriptionInfo> {
    const { endpoint = '', expirationTime = null, keys = {} } = subscription;
    const body = { subscription: { endpoint, expirationTime, keys: { p256dh: keys.p256dh ?? '', auth: keys.auth ?? '' } }, name };
    return this.call('POST /api/push/subscriptions', { body });
  }

  /** `GET /api/notifications`: newest first, with the unread count. @throws ApiRequestError */
  notifications(): Promise<NotificationList> {
    return this.call('GET /api/notifications', {});
  }

  /** `POST /api/notifications/:id/read`. @throws ApiRequestError (404 not_found) */
  markNotificationRead(id: string): Promise<void> {
    return this.call('POST /api/notifications/:id/read', { params: { id } });
  }

  /** `POST /api/notifications/read`: every notification read. @throws ApiRequestError */
  markAllNotificationsRead(): Promise<void> {
    return this.call('POST /api/notifications/read', {});
  }

  /** `GET /api/notifications/preferences`: what this user's browsers are pushed about. @throws ApiRequestError */
  notificationPreferences(): Promise<NotificationPreferences> {
    return this.call('GET /api/notifications/preferences', {});
  }

  /** `PUT /api/notifications/preferences`. @throws ApiRequestError (400 invalid_body) */
  setNotificationPreferences(preferences: NotificationPreferences): Promise<NotificationPreferences> {
    return this.call('PUT /api/notifications/preferences', { body: preferences });
  }

  /** `GET /api/notifications/snoozes`: the household's cameras snoozed now. @throws ApiRequestError */
  cameraSnoozes(): Promise<CameraSnooze[]> {
    return this.call('GET /api/notifications/snoozes', {});
  }

  /** `PUT /api/devices/:id/notification-snooze`. @throws ApiRequestError (404 not_found) */
  snoozeCamera(deviceId: string, length: SnoozeLength): Promise<CameraSnooze> {
    return this.call('PUT /api/devices/:id/notification-snooze', { params: { id: deviceId }, body: { length } });
  }

  /** `DELETE /api/devices/:id/notification-snooze`: its pushes are back on. @throws ApiRequestError (404 not_found) */
  resumeCamera(deviceId: string): Promise<void> {
    return this.call('DELETE /api/devices/:id/notification-snooze', { params: { id: deviceId } });
  }

  private async send<K extends ApiRoute>(route: K, request: RequestOf<K>, options: SendOptions): Promise<Response> {
    const { method, path } = splitRouteKey(route);
    const url = routeUrl(path, request as AnyRequest);
    const body = (request as AnyRequest).body;
    const as = options.as ?? 'user';
    const usedToken = as === 'user' ? this.auth.session?.accessToken : undefined;
    let res = await this.fetchOnce(method, url, body, options, authorization(as, usedToken));
    if (res.status === 401 && as === 'user' && (await this.refreshAfter(usedToken))) {
      res = await this.fetchOnce(method, url, body, options, authorization(as, this.auth.session?.accessToken));
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  private async fetchOnce(
    method: string,
    url: string,
    body: unknown,
    options: SendOptions,
    authorizationHeader: string | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.bytes !== undefined) headers['content-type'] = options.contentType ?? 'application/octet-stream';
    if (authorizationHeader) headers.authorization = authorizationHeader;
    try {
      return await fetch(url, {
        method,
        headers,
        body: options.bytes ?? (body === undefined ? null : JSON.stringify(body)),
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
    const { method, path } = splitRouteKey('POST /api/auth/refresh' satisfies ApiRoute);
    const res = await this.fetchOnce(method, path, { refreshToken }, {}, undefined);
    if (res.ok) {
      this.auth.save((await res.json()) as ResponseOf<'POST /api/auth/refresh'>);
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
      return new ApiRequestError(res.status, body.error.code ?? 'http_error', body.error.message);
    }
  } catch {
    /* not a JSON error body, e.g. a proxy's error page: answered below */
  }
  return new ApiRequestError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}.`);
}
