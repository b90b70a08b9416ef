import {
  DEFAULT_CAMERA_SETTINGS,
  DEFAULT_QUALITY,
  qualityPresetSchema,
  zoneSchema,
  type AuditActorKind,
  type AuditKind,
  type CameraSnooze,
  type MotionEventKind,
  type MotionImage,
  type RecordingProblem,
  type Role,
  type Sensitivity,
  type TokenScope,
} from '../../protocol/index.js';
import type {
  ApiTokenRecord,
  AuditRecord,
  CameraAccess,
  CameraControlRecord,
  CameraSettingsRecord,
  ChunkRecord,
  DeviceRecord,
  InviteRecord,
  MotionEventRow,
  MotionImageRecord,
  PairingRecord,
  PushSubscriptionRecord,
  RecordingControlRecord,
  RecordingRecord,
  RefreshTokenRecord,
  SessionRecord,
  UserRecord,
} from './store.js';

/**
 * Row → record mappers shared by the SQLite and the PostgreSQL store. Both
 * schemas use the same column names and kinds: times and sizes as integers
 * (PostgreSQL BIGINT, read as numbers by the store's type parser), flags as
 * INTEGER 0/1, lists and objects as JSON text.
 */

/** A database row: column name → value. */
export type Row = Record<string, unknown>;

/** A nullable column's value, with `undefined` (no such column) read as null. */
const orNull = <T>(value: unknown): T | null => (value as T | null | undefined) ?? null;

/** A camera access from its `camera_ids` column: NULL for all cameras, else a JSON array of device ids. */
export const toCameras = (column: unknown): CameraAccess =>
  column === null ? { kind: 'all' } : { kind: 'only', deviceIds: JSON.parse(column as string) as string[] };

/** The `camera_ids` column of a camera access. */
export const camerasColumn = (cameras: CameraAccess): string | null =>
  cameras.kind === 'all' ? null : JSON.stringify(cameras.deviceIds);

/** A `users` row as a record. */
export const toUser = (r: Row): UserRecord => ({
  id: r.id as string,
  householdId: r.household_id as string,
  email: r.email as string,
  passwordHash: r.password_hash as string,
  createdAtMs: r.created_at_ms as number,
  role: r.role as Role,
  cameras: toCameras(r.camera_ids),
});

/** An `invites` row as a record. */
export const toInvite = (r: Row): InviteRecord => ({
  id: r.id as string,
  householdId: r.household_id as string,
  tokenHash: r.token_hash as string,
  membership: { role: r.role as Role, cameras: toCameras(r.camera_ids) },
  createdAtMs: r.created_at_ms as number,
  expiresAtMs: r.expires_at_ms as number,
  acceptedAtMs: orNull(r.accepted_at_ms),
  acceptedBy: orNull(r.accepted_by),
  revokedAtMs: orNull(r.revoked_at_ms),
});

/** A `refresh_tokens` row as a record. */
export const toRefreshToken = (r: Row): RefreshTokenRecord => ({
  id: r.id as string,
  userId: r.user_id as string,
  familyId: r.family_id as string,
  tokenHash: r.token_hash as string,
  expiresAtMs: r.expires_at_ms as number,
  usedAtMs: orNull(r.used_at_ms),
  revokedAtMs: orNull(r.revoked_at_ms),
});

/** A `sessions` row as a record. */
export const toSession = (r: Row): SessionRecord => ({
  id: r.id as string,
  userId: r.user_id as string,
  endedAtMs: orNull(r.ended_at_ms),
  createdAtMs: orNull(r.created_at_ms),
  lastUsedAtMs: orNull(r.last_used_at_ms),
  address: orNull(r.address),
  userAgent: orNull(r.user_agent),
});

/** A `devices` row as a record. */
export const toDevice = (r: Row): DeviceRecord => ({
  id: r.id as string,
  householdId: r.household_id as string,
  name: r.name as string,
  tokenHash: r.token_hash as string,
  createdAtMs: r.created_at_ms as number,
  lastSeenAtMs: orNull(r.last_seen_at_ms),
});

/** A `pairings` row as a record. */
export const toPairing = (r: Row): PairingRecord => ({
  id: r.id as string,
  householdId: r.household_id as string,
  tokenHash: r.token_hash as string,
  name: orNull(r.name),
  createdAtMs: r.created_at_ms as number,
  expiresAtMs: r.expires_at_ms as number,
  claimedAtMs: orNull(r.claimed_at_ms),
  deviceId: orNull(r.device_id),
});

/** An `api_tokens` row as a record (`scopes` is a JSON array). */
export const toApiToken = (r: Row): ApiTokenRecord => ({
  id: r.id as string,
  userId: r.user_id as string,
  name: r.name as string,
  tokenHash: r.token_hash as string,
  scopes: JSON.parse(r.scopes as string) as TokenScope[],
  createdAtMs: r.created_at_ms as number,
  expiresAtMs: orNull(r.expires_at_ms),
  lastUsedAtMs: orNull(r.last_used_at_ms),
});

/** The token columns under `t_` names, beside a joined user's own. */
export const TOKEN_COLUMNS =
  't.id AS t_id, t.user_id AS t_user_id, t.name AS t_name, t.token_hash AS t_token_hash, t.scopes AS t_scopes, t.created_at_ms AS t_created_at_ms, t.expires_at_ms AS t_expires_at_ms, t.last_used_at_ms AS t_last_used_at_ms';

/** The `t_` columns (`TOKEN_COLUMNS`) of a joined row as a token. */
export const tokenOf = (r: Row): ApiTokenRecord =>
  toApiToken(Object.fromEntries(Object.entries(r).flatMap(([key, value]) => (key.startsWith('t_') ? [[key.slice(2), value]] : []))));

/** An `audit_events` row as a record (`details` is JSON). */
export const toAudit = (r: Row): AuditRecord => ({
  id: r.id as string,
  householdId: r.household_id as string,
  atMs: r.at_ms as number,
  kind: r.kind as AuditKind,
  actor: {
    kind: r.actor_kind as AuditActorKind,
    userId: orNull(r.actor_user_id),
    email: orNull(r.actor_email),
    tokenId: orNull(r.actor_token_id),
  },
  deviceId: orNull(r.device_id),
  details: JSON.parse(r.details as string) as Record<string, unknown>,
  address: orNull(r.address),
  userAgent: orNull(r.user_agent),
});

/** The column values of an audit record (`details` as JSON), in table column order (PostgreSQL binds them by position). */
export const auditColumns = (record: AuditRecord) => ({
  id: record.id,
  householdId: record.householdId,
  atMs: record.atMs,
  kind: record.kind,
  actorKind: record.actor.kind,
  actorUserId: record.actor.userId,
  actorEmail: record.actor.email,
  actorTokenId: record.actor.tokenId,
  deviceId: record.deviceId,
  details: JSON.stringify(record.details),
  address: record.address,
  userAgent: record.userAgent,
});

/** A camera's controls from its `camera_controls` row, or the defaults when it has none. */
export const toControls = (deviceId: string, r: Row | undefined): CameraControlRecord => {
  if (!r) return { deviceId, quality: DEFAULT_QUALITY, videoSourceId: null, torch: false, zoom: null, paused: null };
  const quality = qualityPresetSchema.safeParse(r.quality);
  const pausedBy = orNull<string>(r.paused_by);
  return {
    deviceId,
    // A preset this version does not know (written by a newer one) reads as the default.
    quality: quality.success ? quality.data : DEFAULT_QUALITY,
    videoSourceId: orNull(r.video_source_id),
    torch: r.torch === 1,
    zoom: orNull(r.zoom),
    paused: pausedBy === null ? null : { by: pausedBy, atMs: orNull<number>(r.paused_at_ms) ?? 0 },
  };
};

/** The column values of camera controls (torch as 0/1, pause as two columns), in table column order after `device_id` (PostgreSQL binds them by position). */
export const controlColumns = (next: CameraControlRecord) => ({
  quality: next.quality,
  videoSourceId: next.videoSourceId,
  torch: next.torch ? 1 : 0,
  zoom: next.zoom,
  pausedBy: next.paused?.by ?? null,
  pausedAtMs: next.paused?.atMs ?? null,
});

const zoneListSchema = zoneSchema.array();

/** The settings of a `camera_settings` row, or the defaults when there is none. @throws ZodError when a stored zone list is malformed (never written so) */
export function toSettings(deviceId: string, r: Row | undefined): CameraSettingsRecord {
  if (!r) {
    return {
      deviceId,
      motion: { ...DEFAULT_CAMERA_SETTINGS.motion, zones: [] },
      recording: { onEvents: false, ...DEFAULT_CAMERA_SETTINGS.recording },
      updatedAtMs: null,
    };
  }
  return {
    deviceId,
    motion: {
      enabled: r.motion_enabled === 1,
      sensitivity: r.sensitivity as Sensitivity,
      zones: zoneListSchema.parse(JSON.parse(r.zones as string)),
      personDetection: r.person_detection === 1,
      quietPeriodMs: r.quiet_period_ms as number,
    },
    recording: {
      onEvents: r.record_on_events === 1,
      preRollMs: r.pre_roll_ms as number,
      postRollMs: r.post_roll_ms as number,
    },
    updatedAtMs: r.updated_at_ms as number,
  };
}

/** The column values of camera settings (flags as 0/1, zones as JSON), in table column order after `device_id` (PostgreSQL binds them by position). */
export const settingsColumns = (settings: CameraSettingsRecord & { updatedAtMs: number }) => {
  const { motion, recording } = settings;
  return {
    motionEnabled: motion.enabled ? 1 : 0,
    sensitivity: motion.sensitivity,
    zones: JSON.stringify(motion.zones),
    personDetection: motion.personDetection ? 1 : 0,
    quietPeriodMs: motion.quietPeriodMs,
    onEvents: recording.onEvents ? 1 : 0,
    preRollMs: recording.preRollMs,
    postRollMs: recording.postRollMs,
    updatedAtMs: settings.updatedAtMs,
  };
};

/** A `motion_events` row with `image_names` (comma-separated) and `image_bytes` as a record. */
export const toEvent = (r: Row): MotionEventRow => ({
  id: r.id as string,
  householdId: r.household_id as string,
  deviceId: r.device_id as string,
  kind: r.kind as MotionEventKind,
  startedAtMs: r.started_at_ms as number,
  endedAtMs: orNull(r.ended_at_ms),
  score: r.score as number,
  box: { x: r.box_x as number, y: r.box_y as number, width: r.box_width as number, height: r.box_height as number },
  recordingId: orNull(r.recording_id),
  footageOffsetMs: orNull(r.footage_offset_ms),
  seenAtMs: orNull(r.seen_at_ms),
  createdAtMs: r.created_at_ms as number,
  images: r.image_names ? ((r.image_names as string).split(',').sort() as MotionImage[]) : [],
  imageBytes: r.image_bytes as number,
});

/** A `motion_event_images` row as a record. */
export const toImage = (r: Row): MotionImageRecord => ({
  eventId: r.event_id as string,
  image: r.image as MotionImage,
  contentType: r.content_type as MotionImageRecord['contentType'],
  sizeBytes: r.size_bytes as number,
  sha256: r.sha256 as string,
});

/** A `camera_snoozes` row as a snooze. */
export const toSnooze = (r: Row): CameraSnooze => ({
  deviceId: r.device_id as string,
  snoozedAtMs: r.snoozed_at_ms as number,
  untilMs: orNull(r.until_ms),
});

/** A `push_subscriptions` row as a record. */
export const toSubscription = (r: Row): PushSubscriptionRecord => ({
  id: r.id as string,
  userId: r.user_id as string,
  endpoint: r.endpoint as string,
  p256dh: r.p256dh as string,
  auth: r.auth as string,
  name: r.name as string,
  createdAtMs: r.created_at_ms as number,
  lastUsedAtMs: orNull(r.last_used_at_ms),
});

/** A `recordings` row as a record. */
export const toRecording = (r: Row): RecordingRecord => ({
  id: r.id as string,
  householdId: r.household_id as string,
  deviceId: r.device_id as string,
  startedAtMs: r.started_at_ms as number,
  endedAtMs: r.ended_at_ms as number,
  sizeBytes: r.size_bytes as number,
  chunkCount: r.chunk_count as number,
  finalSeq: orNull(r.final_seq),
  closedAtMs: orNull(r.closed_at_ms),
  createdAtMs: r.created_at_ms as number,
});

/** A `recording_chunks` row as a record. */
export const toChunk = (r: Row): ChunkRecord => ({
  recordingId: r.recording_id as string,
  seq: r.seq as number,
  sizeBytes: r.size_bytes as number,
  sha256: r.sha256 as string,
  startMs: r.start_ms as number,
  durationMs: r.duration_ms as number,
  storedAtMs: r.stored_at_ms as number,
});

/** A camera's recording control from its `recording_controls` row (none: never set up). */
export const toRecordingControl = (deviceId: string, r: Row | undefined): RecordingControlRecord => ({
  deviceId,
  enabled: r ? r.enabled === 1 : false,
  recording: r ? r.recording === 1 : false,
  problem: orNull<RecordingProblem>(r?.reported_problem),
  reportedAtMs: orNull(r?.reported_at_ms),
});
