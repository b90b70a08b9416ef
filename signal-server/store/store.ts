import type {
  AuditActor,
  AuditKind,
  CameraSnooze,
  CameraSettingsWrite,
  MotionBox,
  MotionEventKind,
  MotionImage,
  NotificationContent,
  NotificationPreferences,
  QualityPreset,
  RecordingProblem,
  Role,
  TokenScope,
} from '../../protocol/index.js';

/**
 * The persistence boundary of the server. Only implementations of `Store`
 * know how data is kept: SQLite (`sqlite-store.ts`, one server) or
 * PostgreSQL (`postgres/`, several servers over one database), picked by
 * `openStore`. Every method is async so that a networked database can stand
 * behind the same interface.
 * Times are ms since the Unix epoch.
 */

/** Which of the household's cameras a person may see: all, or only those listed (a viewer's). */
export type CameraAccess = { kind: 'all' } | { kind: 'only'; deviceIds: readonly string[] };

/** A person: their sign-in, the one household they belong to, their role there and the cameras they may see. */
export interface UserRecord {
  id: string;
  householdId: string;
  email: string;
  passwordHash: string;
  createdAtMs: number;
  role: Role;
  cameras: CameraAccess;
}

/** A person's role and cameras, as an owner sets them. */
export interface Membership {
  role: Role;
  cameras: CameraAccess;
}

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  /** All tokens rotated from one login share a family; reuse of a spent token revokes the family. */
  familyId: string;
  tokenHash: string;
  expiresAtMs: number;
  usedAtMs: number | null;
  revokedAtMs: number | null;
}

/**
 * A sign-in session: one login, its refresh-token family and the access
 * tokens issued in it (they carry its id). Sign-out ends it.
 */
export interface SessionRecord {
  /** The id of its refresh-token family. */
  id: string;
  userId: string;
  /** When it was ended (sign-out, or reuse of a spent refresh token); null while active. */
  endedAtMs: number | null;
  /** When it signed in; null for sessions from before this was kept (and API tokens' sessions). */
  createdAtMs: number | null;
  /** When it last signed in or refreshed its access token; null when unknown. */
  lastUsedAtMs: number | null;
  /** The client address of its last sign-in or refresh. */
  address: string | null;
  /** The `User-Agent` of its last sign-in or refresh. */
  userAgent: string | null;
}

/** Where a sign-in or refresh came from: the client's address and `User-Agent` (either may be unknown). */
export interface SessionClient {
  address: string | null;
  userAgent: string | null;
}

export interface DeviceRecord {
  id: string;
  householdId: string;
  name: string;
  tokenHash: string;
  createdAtMs: number;
  lastSeenAtMs: number | null;
}

/** A device about to be registered by a pairing claim. */
export type NewDevice = Omit<DeviceRecord, 'householdId' | 'name'> & { name: string | null };

export interface PairingRecord {
  id: string;
  householdId: string;
  tokenHash: string;
  name: string | null;
  createdAtMs: number;
  expiresAtMs: number;
  claimedAtMs: number | null;
  deviceId: string | null;
}

/** Outcome of an atomic pairing claim. */
export type ClaimOutcome =
  | { kind: 'claimed'; pairing: PairingRecord; device: DeviceRecord }
  | { kind: 'not-found' }
  | { kind: 'already-claimed' }
  | { kind: 'expired' };

export interface UserRepository {
  /** Creates a user as the owner of a new household `user.householdId` (its role and cameras are ignored). @throws EmailTakenError */
  create(user: Omit<UserRecord, 'role' | 'cameras'>): Promise<void>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  /** Replaces user `id`'s password hash. */
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

/**
 * Outcome of deleting an account: refused while the user is the last owner
 * of a household with other people; else the user went, with their
 * sessions, push subscriptions, settings and API tokens (`endedSessionIds`:
 * the sessions active until then), and, when they were its only person, their
 * household with everything in it.
 */
export type AccountDeletion =
  | { kind: 'last-owner' }
  | { kind: 'deleted'; endedSessionIds: string[]; household: 'kept' | 'deleted' };

/** Outcome of a change of membership that would leave a household with people but no owner: refused. */
export type MembershipOutcome = 'done' | 'last-owner';

/** The people of households and their roles. Every change keeps at least one owner in a household that has people. */
export interface MemberRepository {
  /** A household's people, oldest account first. */
  listByHousehold(householdId: string): Promise<UserRecord[]>;
  /** Deletes user `userId`'s account in one transaction with its last-owner check (`AccountDeletion`). */
  deleteAccount(userId: string): Promise<AccountDeletion>;
  /** Sets the role and cameras of user `userId`, unless that removes the household's last owner. */
  update(userId: string, membership: Membership): Promise<MembershipOutcome>;
  /**
   * Moves user `userId` into household `householdId` with `membership`,
   * unless that leaves the people of their household without an owner.
   */
  join(userId: string, householdId: string, membership: Membership): Promise<MembershipOutcome>;
  /**
   * Moves user `userId` out of their household into a new one of their own
   * (`newHouseholdId`, created at `atMs`) as its owner, unless that leaves the
   * people who remain without an owner.
   */
  leave(userId: string, newHouseholdId: string, atMs: number): Promise<MembershipOutcome>;
}

/** An invitation into a household with a role (and, for a viewer, cameras). */
export interface InviteRecord {
  id: string;
  householdId: string;
  /** SHA-256 of the token (hex); the token itself is never stored. */
  tokenHash: string;
  membership: Membership;
  createdAtMs: number;
  expiresAtMs: number;
  acceptedAtMs: number | null;
  acceptedBy: string | null;
  revokedAtMs: number | null;
}

/** Outcome of an atomic invite acceptance. */
export type AcceptOutcome =
  | { kind: 'joined'; invite: InviteRecord }
  | { kind: 'not-found' }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'already-member' }
  | { kind: 'last-owner' };

export interface InviteRepository {
  insert(invite: InviteRecord): Promise<void>;
  /**
   * Spends an invite and moves user `userId` into its household with its
   * membership, in one transaction (so an invite is accepted at most once,
   * even under concurrent accepts).
   */
  accept(tokenHash: string, userId: string, nowMs: number): Promise<AcceptOutcome>;
  /** Revokes an unused invite of household `householdId`. @returns false when it has no such invite (or it was used). */
  revoke(id: string, householdId: string, atMs: number): Promise<boolean>;
}

/** A long-lived API token: a session of its owner (same id) that is never refreshed. */
export interface ApiTokenRecord {
  /** Also the id of its session. */
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the token (hex); the token itself is never stored. */
  tokenHash: string;
  scopes: TokenScope[];
  createdAtMs: number;
  expiresAtMs: number | null;
  lastUsedAtMs: number | null;
}

export interface ApiTokenRepository {
  /** Stores a token with its session, in one transaction. */
  insert(token: ApiTokenRecord): Promise<void>;
  /** The token of a hash and its owner as they are now, while its session has not ended (one indexed lookup). */
  findActive(tokenHash: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | undefined>;
  /** The household's tokens whose session has not ended, newest first, with their owners' emails. */
  listByHousehold(householdId: string): Promise<(ApiTokenRecord & { email: string })[]>;
  /** The token `id` if its owner is of household `householdId` and it has not been revoked. */
  findInHousehold(id: string, householdId: string): Promise<ApiTokenRecord | undefined>;
  touchLastUsed(id: string, atMs: number): Promise<void>;
}

export interface RefreshTokenRepository {
  insert(token: RefreshTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /** Marks a token spent; false if it was spent already (a concurrent rotation). */
  markUsed(id: string, atMs: number): Promise<boolean>;
}

export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>;
  findById(id: string): Promise<SessionRecord | undefined>;
  /** The user of session `id` while it has not ended (one indexed lookup); undefined otherwise. */
  findActiveUser(id: string): Promise<UserRecord | undefined>;
  /** The ids of a user's active sessions. */
  activeIdsOfUser(userId: string): Promise<string[]>;
  /** Ends every active session of a user, revoking their refresh tokens, in one transaction. @returns the ended sessions' ids. */
  endAllOfUser(userId: string, atMs: number): Promise<string[]>;
  /** Ends a session and revokes its refresh-token family, in one transaction. Ending an ended one keeps its first end. */
  end(id: string, atMs: number): Promise<void>;
  /** Notes a use of session `id` (a refresh) at `atMs` from `client`. */
  touch(id: string, atMs: number, client: SessionClient): Promise<void>;
  /** A user's active sign-in sessions (not their API tokens' sessions), most recently used first. */
  listSignInsOfUser(userId: string): Promise<SessionRecord[]>;
  /**
   * Ends every active sign-in session of a user but `keepId` (API tokens'
   * sessions go on), revoking their refresh tokens, in one transaction.
   * @returns the ended sessions' ids.
   */
  endOtherSignIns(userId: string, keepId: string, atMs: number): Promise<string[]>;
}

export interface DeviceRepository {
  listByHousehold(householdId: string): Promise<DeviceRecord[]>;
  findById(id: string): Promise<DeviceRecord | undefined>;
  findByTokenHash(tokenHash: string): Promise<DeviceRecord | undefined>;
  rename(id: string, name: string): Promise<void>;
  /** @returns false when no such device existed. */
  delete(id: string): Promise<boolean>;
  touchLastSeen(id: string, atMs: number): Promise<void>;
}

export interface PairingRepository {
  insert(pairing: PairingRecord): Promise<void>;
  /**
   * Claims a pairing token and registers its device in one transaction, so a
   * token is claimed at most once even under concurrent claims. The device
   * joins the pairing's household; with no name of its own it takes the name
   * given when the pairing was made, else "Camera".
   */
  claim(tokenHash: string, nowMs: number, device: NewDevice): Promise<ClaimOutcome>;
  /** Removes pairings that expired before `beforeMs`. */
  deleteExpired(beforeMs: number): Promise<void>;
}

/**
 * A recording: one camera's continuous fMP4 stream, stored as numbered chunks
 * (seq 0 = the init segment). Its span and totals are kept up to date with
 * its chunk rows in the same transaction.
 */
export interface RecordingRecord {
  /** Chosen by the camera: 16–64 characters `[A-Za-z0-9_-]`. */
  id: string;
  householdId: string;
  deviceId: string;
  /** Earliest chunk start, camera clock, ms since epoch. */
  startedAtMs: number;
  /** Latest chunk end (start + duration), camera clock, ms since epoch. */
  endedAtMs: number;
  /** Sum of the stored chunks' sizes, bytes. */
  sizeBytes: number;
  chunkCount: number;
  /** Seq of the chunk the camera marked last, or null while unknown. */
  finalSeq: number | null;
  /** When the camera finished it (stored its final chunk, or began a newer recording); null while open. */
  closedAtMs: number | null;
  createdAtMs: number;
}

/** One stored chunk of a recording; its row exists only once its bytes are durable. */
export interface ChunkRecord {
  recordingId: string;
  seq: number;
  sizeBytes: number;
  /** SHA-256 of the chunk's bytes, lowercase hex. */
  sha256: string;
  /** Start of the chunk's media, camera clock, ms since epoch. */
  startMs: number;
  durationMs: number;
  storedAtMs: number;
}

/** Filter of `RecordingRepository.list`: `fromMs`/`toMs` keep recordings whose span overlaps [fromMs, toMs]. */
export interface RecordingQuery {
  householdId: string;
  deviceId?: string;
  fromMs?: number;
  toMs?: number;
}

export interface RecordingRepository {
  findById(id: string): Promise<RecordingRecord | undefined>;
  /** A household's recordings, newest first. */
  list(query: RecordingQuery): Promise<RecordingRecord[]>;
  /** Every recording of every household (for the retention sweep). */
  listAll(): Promise<RecordingRecord[]>;
  /** A recording's chunk rows in seq order. */
  chunks(recordingId: string): Promise<ChunkRecord[]>;
  findChunk(recordingId: string, seq: number): Promise<ChunkRecord | undefined>;
  /**
   * Records a durable chunk in one transaction. The recording's first chunk
   * creates it (owned by `owner`) and closes the camera's other open
   * recordings: a camera writes one recording at a time. With `final`, the
   * chunk's seq becomes the recording's `finalSeq` and the recording closes.
   * Idempotent across servers: a chunk stored already with the same SHA-256
   * adds nothing (even when two servers commit it at once: one row).
   * @returns the updated recording.
   * @throws ChunkConflictError when its seq is stored with another SHA-256.
   */
  addChunk(
    owner: { householdId: string; deviceId: string },
    chunk: ChunkRecord,
    final: boolean,
  ): Promise<RecordingRecord>;
  /** Marks an already stored chunk as the recording's last and closes the recording. */
  markFinal(recordingId: string, seq: number, atMs: number): Promise<void>;
  /** Deletes a recording with its chunk rows. @returns false when no such recording existed. */
  delete(id: string): Promise<boolean>;
}

/** Remote recording control of a camera: what the household wants and what the camera reports. */
export interface RecordingControlRecord {
  deviceId: string;
  /** True when the household wants the camera to record. */
  enabled: boolean;
  /** True when the camera last reported that it is recording. */
  recording: boolean;
  /** Why the camera last said it does not record although asked to, or null. */
  problem: RecordingProblem | null;
  /** When the camera last reported, or null if never. */
  reportedAtMs: number | null;
}

/** What a camera reports about its recording. */
export interface RecordingReport {
  recording: boolean;
  problem: RecordingProblem | null;
  atMs: number;
}

export interface RecordingControlRepository {
  /** The camera's control state; a camera never set up has `enabled: false, recording: false`. */
  get(deviceId: string): Promise<RecordingControlRecord>;
  setEnabled(deviceId: string, enabled: boolean): Promise<RecordingControlRecord>;
  setReported(deviceId: string, report: RecordingReport): Promise<RecordingControlRecord>;
}

/** A camera's controls (`CameraControls` of the protocol); a camera never set up has the defaults. */
export interface CameraControlRecord {
  deviceId: string;
  quality: QualityPreset;
  /** The chosen capture device, or null for the camera's default. */
  videoSourceId: string | null;
  torch: boolean;
  zoom: number | null;
  /** Who paused it and when (ms since epoch), or null while not paused. */
  paused: { by: string; atMs: number } | null;
}

/** The controls to change; those left out stay as they are. */
export type CameraControlChange = Partial<Omit<CameraControlRecord, 'deviceId'>>;

export interface CameraControlRepository {
  /** The camera's controls (the defaults for one never set up). */
  get(deviceId: string): Promise<CameraControlRecord>;
  /** Changes the controls named in `change`, in one statement. @returns the controls after. */
  update(deviceId: string, change: CameraControlChange): Promise<CameraControlRecord>;
}

/**
 * A camera's settings as kept: its motion settings, and how it records when
 * its "Record" switch is on (`onEvents`: around events only, else always).
 */
export interface CameraSettingsRecord {
  deviceId: string;
  motion: CameraSettingsWrite['motion'];
  recording: { onEvents: boolean; preRollMs: number; postRollMs: number };
  /** When they were last changed; null while they are the defaults. */
  updatedAtMs: number | null;
}

export interface CameraSettingsRepository {
  /** The camera's settings; the defaults (`DEFAULT_CAMERA_SETTINGS`, not on events) for a camera never set up. */
  get(deviceId: string): Promise<CameraSettingsRecord>;
  /**
   * Stores the settings and the camera's "Record" switch (`recordingEnabled`)
   * in one transaction.
   * @returns both as stored
   */
  put(
    settings: CameraSettingsRecord & { updatedAtMs: number },
    recordingEnabled: boolean,
  ): Promise<{ settings: CameraSettingsRecord; control: RecordingControlRecord }>;
}

/** A camera event (motion, person), as its camera reported it last. */
export interface StoredMotionEvent {
  /** Chosen by the camera: 16–64 characters `[A-Za-z0-9_-]`. */
  id: string;
  householdId: string;
  deviceId: string;
  kind: MotionEventKind;
  /** Camera clock, ms since epoch. */
  startedAtMs: number;
  /** Null while the event goes on. */
  endedAtMs: number | null;
  /** Peak score, 0..1. */
  score: number;
  box: MotionBox;
  /** The recording the camera said it was writing at the start, if any. */
  recordingId: string | null;
  /** Where the event starts in that recording, ms, if the camera said. */
  footageOffsetMs: number | null;
  /** When the household first marked it seen; null while unseen. */
  seenAtMs: number | null;
  createdAtMs: number;
}

/** A stored event with what its images hold (read-only; kept up to date with the image rows). */
export interface MotionEventRow extends StoredMotionEvent {
  /** The images stored for it. */
  images: MotionImage[];
  /** Sum of its images' sizes, bytes. */
  imageBytes: number;
}

/** One stored image of an event; its row exists only once its bytes are durable. */
export interface MotionImageRecord {
  eventId: string;
  image: MotionImage;
  contentType: 'image/jpeg' | 'image/webp';
  sizeBytes: number;
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
}

/** Where a page of `MotionEventRepository.list` begins: after this event, in newest-first order. */
export interface MotionEventPosition {
  startedAtMs: number;
  id: string;
}

/** Filter and page of `MotionEventRepository.list`; `fromMs`/`toMs` bound the start (inclusive). */
export interface MotionEventQuery {
  householdId: string;
  deviceId?: string;
  /** Only events of these cameras (a viewer's); all the household's when absent. */
  deviceIds?: readonly string[];
  kind?: MotionEventKind;
  fromMs?: number;
  toMs?: number;
  /** Only events after this one (older, or as old with a smaller id). */
  after?: MotionEventPosition;
  limit: number;
}

export interface MotionEventRepository {
  findById(id: string): Promise<MotionEventRow | undefined>;
  /**
   * Inserts the event, or replaces what its camera reports (kind, times, score,
   * box, footage hint) keeping `seenAtMs` and `createdAtMs`.
   * @returns the event before (undefined when it is new) and after.
   */
  put(event: StoredMotionEvent): Promise<{ before: MotionEventRow | undefined; after: MotionEventRow }>;
  /** A household's events, newest first (by start, then id, both descending), at most `limit`. */
  list(query: MotionEventQuery): Promise<MotionEventRow[]>;
  /** Every event of every household, oldest first (for the retention sweep). */
  listAll(): Promise<MotionEventRow[]>;
  findImage(eventId: string, image: MotionImage): Promise<MotionImageRecord | undefined>;
  /**
   * Records a durable image. The same image again (same SHA-256 and media
   * type) adds nothing, also when two servers record it at once.
   * @throws ImageConflictError when the event has this image with other bytes.
   */
  addImage(image: MotionImageRecord): Promise<void>;
  /** Marks the event seen at `atMs` unless it was seen already. @returns the event, or undefined when there is none. */
  markSeen(id: string, atMs: number): Promise<MotionEventRow | undefined>;
  /** Deletes an event with its image rows. @returns false when no such event existed. */
  delete(id: string): Promise<boolean>;
}

/** A browser that receives a user's Web Push messages (W3C Push API subscription). */
export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  /** The push service URL (RFC 8030 §5: where messages are POSTed). */
  endpoint: string;
  /** The browser's P-256 ECDH public key, base64url (RFC 8291 §3.1). */
  p256dh: string;
  /** The 16-byte authentication secret, base64url (RFC 8291 §3.2). */
  auth: string;
  /** The device and browser, as the user's browser named itself. */
  name: string;
  createdAtMs: number;
  /** When a message last reached its push service, or null if never. */
  lastUsedAtMs: number | null;
}

export interface PushSubscriptionRepository {
  /**
   * Stores a subscription; when its endpoint is known already, updates that
   * one's owner, keys and name instead (keeping its id and creation time).
   * @returns the stored subscription.
   */
  upsert(subscription: PushSubscriptionRecord): Promise<PushSubscriptionRecord>;
  listByUser(userId: string): Promise<PushSubscriptionRecord[]>;
  /** The subscriptions of every user of a household who may see camera `deviceId` (a viewer only of their cameras). */
  listByHousehold(householdId: string, deviceId: string): Promise<PushSubscriptionRecord[]>;
  /** Deletes one; with `userId`, only if it is that user's. @returns false when there was none. */
  delete(id: string, userId?: string): Promise<boolean>;
  touchLastUsed(id: string, atMs: number): Promise<void>;
}

/** A notification as one user's list shows it. */
export type UserNotificationRecord = NotificationContent & { readAtMs: number | null };

export interface NotificationRepository {
  /** Stores a notification of a household (`content.createdAtMs` is its time). */
  insert(householdId: string, content: NotificationContent): Promise<void>;
  /**
   * The household's newest `limit` notifications about cameras `userId` may see, newest first,
   * as that user read them, and their unread count of all those.
   */
  listForUser(
    householdId: string,
    userId: string,
    limit: number,
  ): Promise<{ notifications: UserNotificationRecord[]; unreadCount: number }>;
  /** Marks one read for a user (a second time keeps the first time). @returns false when the household has no such notification. */
  markRead(householdId: string, userId: string, id: string, atMs: number): Promise<boolean>;
  /** Marks every notification of the household read for a user. */
  markAllRead(householdId: string, userId: string, atMs: number): Promise<void>;
}

export interface NotificationPreferenceRepository {
  /** A user's preferences, or undefined when they never chose (the defaults apply). */
  find(userId: string): Promise<NotificationPreferences | undefined>;
  /** Stores a user's preferences, replacing earlier ones. */
  put(userId: string, preferences: NotificationPreferences, atMs: number): Promise<void>;
  /** The preferences of the household's users who chose, by user id. */
  listByHousehold(householdId: string): Promise<Map<string, NotificationPreferences>>;
}

/** A household's camera snoozes (a snooze belongs to a camera: removing the camera removes it). */
export interface CameraSnoozeRepository {
  /** Snoozes a camera, replacing an earlier snooze of it. */
  put(householdId: string, snooze: CameraSnooze): Promise<void>;
  /** Ends a camera's snooze. */
  delete(householdId: string, deviceId: string): Promise<void>;
  /** The household's snoozes that still hold at `atMs` (no end, or an end after it). */
  listActive(householdId: string, atMs: number): Promise<CameraSnooze[]>;
}

/**
 * Cameras whose household was told their battery needs a charger, one per
 * episode (an alert belongs to a camera: removing the camera removes it).
 */
export interface BatteryAlertRepository {
  /**
   * Starts a camera's episode at `atMs` unless one is open.
   * @returns true when it started now (the household is to be told), false when one was open already
   */
  start(deviceId: string, atMs: number): Promise<boolean>;
  /** Ends a camera's episode (it charges, or its battery is fine): the next alarm tells the household again. */
  end(deviceId: string): Promise<void>;
}

/** One row of the audit log, as kept (`AuditEvent` of the protocol). */
export interface AuditRecord {
  /** 16–64 characters `[A-Za-z0-9_-]`; rows of one `atMs` are paged by id, descending. */
  id: string;
  householdId: string;
  /** Server clock, ms since epoch. */
  atMs: number;
  kind: AuditKind;
  actor: AuditActor;
  deviceId: string | null;
  /** JSON-serialisable facts by kind (e.g. `durationMs`). */
  details: Record<string, unknown>;
  address: string | null;
  userAgent: string | null;
}

/** Where a page of `AuditRepository.list` begins: after this row, in newest-first order. */
export interface AuditPosition {
  atMs: number;
  id: string;
}

/** Filter and page of `AuditRepository.list`; `fromMs`/`toMs` bound `atMs` (inclusive). */
export interface AuditQuery {
  householdId: string;
  /** Only rows whose actor is this person (a token's owner too). */
  personId?: string;
  deviceId?: string;
  kind?: AuditKind;
  fromMs?: number;
  toMs?: number;
  /** Only rows after this one (older, or as old with a smaller id). */
  after?: AuditPosition;
  limit: number;
}

export interface AuditRepository {
  insert(record: AuditRecord): Promise<void>;
  /** A household's rows, newest first (by time, then id, both descending), at most `limit`. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
  /** Deletes every household's rows older than `beforeMs`. @returns how many were deleted. */
  deleteOlderThan(beforeMs: number): Promise<number>;
}

/** Outcome of `StoreLocks.trySweep`: the sweep ran (with what it returned), or another server was running it. */
export type SweepOutcome<T> = { kind: 'ran'; value: T } | { kind: 'busy' };

/** Locks that servers sharing one store take in turn. */
export interface StoreLocks {
  /**
   * Runs sweep `name` (e.g. `recordings-retention`) unless another server
   * sharing this store runs it now; then it does nothing (that server's
   * sweep does the work). One server alone always runs it.
   * @returns whether it ran, with what `fn` returned. @throws what `fn` throws
   */
  trySweep<T>(name: string, fn: () => Promise<T>): Promise<SweepOutcome<T>>;
}

export interface Store {
  users: UserRepository;
  members: MemberRepository;
  invites: InviteRepository;
  apiTokens: ApiTokenRepository;
  refreshTokens: RefreshTokenRepository;
  sessions: SessionRepository;
  devices: DeviceRepository;
  pairings: PairingRepository;
  recordings: RecordingRepository;
  recordingControls: RecordingControlRepository;
  cameraControls: CameraControlRepository;
  cameraSettings: CameraSettingsRepository;
  motionEvents: MotionEventRepository;
  pushSubscriptions: PushSubscriptionRepository;
  notifications: NotificationRepository;
  notificationPreferences: NotificationPreferenceRepository;
  cameraSnoozes: CameraSnoozeRepository;
  batteryAlerts: BatteryAlertRepository;
  audit: AuditRepository;
  locks: StoreLocks;
  /** Closes the database (its file, or its pool of connections). */
  close(): Promise<void>;
}

/** Thrown by `UserRepository.create` when the email is registered already. */
export class EmailTakenError extends Error {
  constructor() {
    super('email already registered');
  }
}

/** Thrown by `RecordingRepository.addChunk` when the chunk's seq is stored with other bytes (another SHA-256). */
export class ChunkConflictError extends Error {
  constructor(
    readonly recordingId: string,
    readonly seq: number,
  ) {
    super(`chunk ${seq} of recording ${recordingId} is stored with other bytes`);
  }
}

/** Thrown by `MotionEventRepository.addImage` when the event's image is stored with other bytes (or media type). */
export class ImageConflictError extends Error {
  constructor(
    readonly eventId: string,
    readonly image: MotionImage,
  ) {
    super(`the ${image} of event ${eventId} is stored with other bytes`);
  }
}
