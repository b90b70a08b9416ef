/**
 * Schema migrations of the SQLite store, applied in order. The schema version
 * is SQLite's `PRAGMA user_version`: migration i brings it to i + 1. Append
 * only: a released migration is never edited.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE households (
    id TEXT PRIMARY KEY,
    created_at_ms INTEGER NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
  );
  CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms INTEGER,
    revoked_at_ms INTEGER
  );
  CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at_ms INTEGER NOT NULL,
    last_seen_at_ms INTEGER
  );
  CREATE INDEX devices_household ON devices(household_id);
  CREATE TABLE pairings (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    claimed_at_ms INTEGER,
    device_id TEXT
  );
  `,
  // Recordings and their chunks. A recording keeps no foreign key to its
  // camera: footage outlives a removed camera until retention removes it.
  `
  CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    started_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    final_seq INTEGER,
    closed_at_ms INTEGER,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX recordings_household_start ON recordings(household_id, started_at_ms);
  CREATE INDEX recordings_device_open ON recordings(device_id, closed_at_ms);
  CREATE TABLE recording_chunks (
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    stored_at_ms INTEGER NOT NULL,
    PRIMARY KEY (recording_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE recording_controls (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 0,
    recording INTEGER NOT NULL DEFAULT 0,
    reported_at_ms INTEGER
  );
  `,
  `ALTER TABLE recording_controls ADD COLUMN reported_problem TEXT;`,
  // Sign-in sessions, one per refresh-token family, so that an access token
  // (which names its session) stops working as soon as the session ends.
  // Existing families become sessions; a family with a revoked token has ended.
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ended_at_ms INTEGER
  );
  INSERT INTO sessions (id, user_id, ended_at_ms)
    SELECT family_id, MIN(user_id), MAX(revoked_at_ms) FROM refresh_tokens GROUP BY family_id;
  `,
  // Camera events (motion, person) with their two images. Like recordings,
  // an event keeps no foreign key to its camera: it goes with its footage.
  `
  CREATE TABLE motion_events (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    started_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    score REAL NOT NULL,
    box_x REAL NOT NULL,
    box_y REAL NOT NULL,
    box_width REAL NOT NULL,
    box_height REAL NOT NULL,
    recording_id TEXT,
    footage_offset_ms INTEGER,
    seen_at_ms INTEGER,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX motion_events_household_start ON motion_events(household_id, started_at_ms DESC, id DESC);
  CREATE INDEX motion_events_device_start ON motion_events(device_id, started_at_ms);
  CREATE TABLE motion_event_images (
    event_id TEXT NOT NULL REFERENCES motion_events(id) ON DELETE CASCADE,
    image TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (event_id, image)
  ) WITHOUT ROWID;
  `,
  // Notifications: the browsers that receive a user's Web Push messages, the
  // household's notifications and which of them each user has read.
  `
  CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    last_used_at_ms INTEGER
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
  );
  CREATE INDEX notifications_household_created ON notifications(household_id, created_at_ms);
  CREATE TABLE notification_reads (
    notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at_ms INTEGER NOT NULL,
    PRIMARY KEY (notification_id, user_id)
  ) WITHOUT ROWID;
  `,
  // Notification settings: each user's push preferences (JSON of
  // NotificationPreferences), and the household's snoozed cameras (until_ms
  // NULL: until turned back on), which go with their camera.
  `
  CREATE TABLE notification_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );
  CREATE TABLE camera_snoozes (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    snoozed_at_ms INTEGER NOT NULL,
    until_ms INTEGER
  );
  CREATE INDEX camera_snoozes_household ON camera_snoozes(household_id);
  `,
  // Camera controls set from viewers or on the camera: quality preset, chosen
  // capture device, torch, zoom and pause, one row per camera (a camera with
  // no row has the defaults).
  `
  CREATE TABLE camera_controls (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    quality TEXT NOT NULL DEFAULT 'standard',
    video_source_id TEXT,
    torch INTEGER NOT NULL DEFAULT 0,
    zoom REAL,
    paused_by TEXT,
    paused_at_ms INTEGER
  );
  `,
  // Camera settings: how a camera watches for motion (zones as JSON) and
  // whether it records around events only. A camera with no row has the
  // defaults; its recording mode is then its "Record" switch.
  `
  CREATE TABLE camera_settings (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    motion_enabled INTEGER NOT NULL,
    sensitivity TEXT NOT NULL,
    zones TEXT NOT NULL,
    person_detection INTEGER NOT NULL,
    quiet_period_ms INTEGER NOT NULL,
    record_on_events INTEGER NOT NULL,
    pre_roll_ms INTEGER NOT NULL,
    post_roll_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
  );
  `,
  // Households of several people: each user has a role in their household
  // (every existing account is the owner of its own) and, for a viewer, the
  // cameras they may see (a JSON array of device ids; NULL: all of them).
  `
  ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'member', 'viewer'));
  ALTER TABLE users ADD COLUMN camera_ids TEXT;
  CREATE INDEX users_household ON users(household_id);
  `,
  // Invitations into a household: one-time, stored as the token's SHA-256.
  `
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    camera_ids TEXT,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    accepted_at_ms INTEGER,
    accepted_by TEXT,
    revoked_at_ms INTEGER
  );
  CREATE INDEX invites_household ON invites(household_id);
  `,
  // API tokens: each is a sign-in session of its owner (same id) that never
  // refreshes, so ending the session (revocation, the owner leaving) ends it.
  `
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    last_used_at_ms INTEGER
  );
  CREATE INDEX api_tokens_user ON api_tokens(user_id);
  `,
  // Battery alerts: a camera whose household was told its battery needs a
  // charger, one row per episode (removed when it charges or its battery is
  // fine again, and with the camera). Each user's preferences get the
  // battery topic, on like every topic.
  `
  CREATE TABLE battery_alerts (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    alerted_at_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  UPDATE notification_preferences
    SET content = json_set(content, '$.topics.battery', json('true'))
    WHERE json_type(content, '$.topics.battery') IS NULL;
  `,
  // The audit log: what people, their API tokens and cameras did, as the
  // server saw it. A row keeps no foreign key to its person or camera: it
  // outlives them until retention removes it. `actor_kind` is user, token,
  // device or nobody (a failed sign-in); `details` is JSON.
  `
  CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    at_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'token', 'device', 'nobody')),
    actor_user_id TEXT,
    actor_email TEXT,
    actor_token_id TEXT,
    device_id TEXT,
    details TEXT NOT NULL,
    address TEXT,
    user_agent TEXT
  );
  CREATE INDEX audit_events_household_at ON audit_events(household_id, at_ms DESC, id DESC);
  CREATE INDEX audit_events_person_at ON audit_events(household_id, actor_user_id, at_ms DESC);
  CREATE INDEX audit_events_device_at ON audit_events(household_id, device_id, at_ms DESC);
  CREATE INDEX audit_events_at ON audit_events(at_ms);
  `,
  // What a person sees of their sign-in sessions: when each signed in and
  // was last used, from which address and browser. Sessions from before
  // have none of it (NULL).
  `
  ALTER TABLE sessions ADD COLUMN created_at_ms INTEGER;
  ALTER TABLE sessions ADD COLUMN last_used_at_ms INTEGER;
  ALTER TABLE sessions ADD COLUMN address TEXT;
  ALTER TABLE sessions ADD COLUMN user_agent TEXT;
  CREATE INDEX sessions_user ON sessions(user_id);
  `,
];
