import type pg from 'pg';
import { inTransaction } from './db.js';

/**
 * Schema migrations of the PostgreSQL store, applied in order; migration i
 * brings the version kept in `schema_migrations` to i + 1. Append only: a
 * released migration is never edited. The first one is the whole schema of
 * the SQLite store's 15 migrations (`../migrations.ts`), with the same table
 * and column names so both read through the same row mappers (`../rows.ts`):
 * times and sizes BIGINT, flags INTEGER 0/1, lists and objects JSON text;
 * emails unique regardless of case (an index on `lower(email)`, where SQLite
 * has COLLATE NOCASE); the ids that page events and audit rows compare
 * byte by byte (COLLATE "C", SQLite's BINARY) whatever the database's
 * locale; notifications get a `seq` for their insertion order (SQLite's rowid).
 */
export const postgresMigrations: readonly string[] = [
  `
  CREATE TABLE households (
    id TEXT PRIMARY KEY,
    created_at_ms BIGINT NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    role TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'member', 'viewer')),
    camera_ids TEXT
  );
  CREATE UNIQUE INDEX users_email ON users(lower(email));
  CREATE INDEX users_household ON users(household_id);
  CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT,
    revoked_at_ms BIGINT
  );
  CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ended_at_ms BIGINT,
    created_at_ms BIGINT,
    last_used_at_ms BIGINT,
    address TEXT,
    user_agent TEXT
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL,
    last_seen_at_ms BIGINT
  );
  CREATE INDEX devices_household ON devices(household_id);
  CREATE TABLE pairings (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    claimed_at_ms BIGINT,
    device_id TEXT
  );
  CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    started_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    chunk_count INTEGER NOT NULL,
    final_seq INTEGER,
    closed_at_ms BIGINT,
    created_at_ms BIGINT NOT NULL
  );
  CREATE INDEX recordings_household_start ON recordings(household_id, started_at_ms);
  CREATE INDEX recordings_device_open ON recordings(device_id, closed_at_ms);
  CREATE TABLE recording_chunks (
    recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    stored_at_ms BIGINT NOT NULL,
    PRIMARY KEY (recording_id, seq)
  );
  CREATE TABLE recording_controls (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 0,
    recording INTEGER NOT NULL DEFAULT 0,
    reported_at_ms BIGINT,
    reported_problem TEXT
  );
  CREATE TABLE motion_events (
    id TEXT COLLATE "C" PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    started_at_ms BIGINT NOT NULL,
    ended_at_ms BIGINT,
    score DOUBLE PRECISION NOT NULL,
    box_x DOUBLE PRECISION NOT NULL,
    box_y DOUBLE PRECISION NOT NULL,
    box_width DOUBLE PRECISION NOT NULL,
    box_height DOUBLE PRECISION NOT NULL,
    recording_id TEXT,
    footage_offset_ms BIGINT,
    seen_at_ms BIGINT,
    created_at_ms BIGINT NOT NULL
  );
  CREATE INDEX motion_events_household_start ON motion_events(household_id, started_at_ms DESC, id DESC);
  CREATE INDEX motion_events_device_start ON motion_events(device_id, started_at_ms);
  CREATE TABLE motion_event_images (
    event_id TEXT NOT NULL REFERENCES motion_events(id) ON DELETE CASCADE,
    image TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (event_id, image)
  );
  CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    last_used_at_ms BIGINT
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    seq BIGSERIAL NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
  );
  CREATE INDEX notifications_household_created ON notifications(household_id, created_at_ms);
  CREATE TABLE notification_reads (
    notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at_ms BIGINT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
  );
  CREATE TABLE notification_preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
  );
  CREATE TABLE camera_snoozes (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    snoozed_at_ms BIGINT NOT NULL,
    until_ms BIGINT
  );
  CREATE INDEX camera_snoozes_household ON camera_snoozes(household_id);
  CREATE TABLE camera_controls (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    quality TEXT NOT NULL DEFAULT 'standard',
    video_source_id TEXT,
    torch INTEGER NOT NULL DEFAULT 0,
    zoom DOUBLE PRECISION,
    paused_by TEXT,
    paused_at_ms BIGINT
  );
  CREATE TABLE camera_settings (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    motion_enabled INTEGER NOT NULL,
    sensitivity TEXT NOT NULL,
    zones TEXT NOT NULL,
    person_detection INTEGER NOT NULL,
    quiet_period_ms BIGINT NOT NULL,
    record_on_events INTEGER NOT NULL,
    pre_roll_ms BIGINT NOT NULL,
    post_roll_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
  );
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),
    camera_ids TEXT,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    accepted_at_ms BIGINT,
    accepted_by TEXT,
    revoked_at_ms BIGINT
  );
  CREATE INDEX invites_household ON invites(household_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT,
    last_used_at_ms BIGINT
  );
  CREATE INDEX api_tokens_user ON api_tokens(user_id);
  CREATE TABLE battery_alerts (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    alerted_at_ms BIGINT NOT NULL
  );
  CREATE TABLE audit_events (
    id TEXT COLLATE "C" PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    at_ms BIGINT NOT NULL,
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
];

/** The advisory lock key (`pg_advisory_xact_lock`) that migrating servers of one database take in turn. */
const MIGRATION_LOCK_KEY = 'peerwatch:migrate';

/**
 * Applies the pending migrations of `postgresMigrations`, each in one
 * transaction that also records its version in `schema_migrations`. Each
 * transaction first takes a transaction-level advisory lock (PostgreSQL
 * docs, "Explicit Locking: Advisory Locks") and reads the version under it,
 * so servers starting at once over one database apply each migration once:
 * the others wait, then find it applied.
 * @returns the versions this call applied.
 * @throws Error when a migration fails (its transaction is rolled back), or when the
 * database was migrated by a newer Peerwatch (a version this one does not know).
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly string[] = postgresMigrations): Promise<number[]> {
  const applied: number[] = [];
  for (;;) {
    const done = await inTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
      await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)');
      const { rows } = await tx.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
      const current = rows[0]?.version ?? 0;
      if (current > migrations.length) {
        throw new Error(`the database is at schema version ${current}, newer than this Peerwatch knows (${migrations.length})`);
      }
      if (current === migrations.length) return true;
      await tx.query(migrations[current]!);
      await tx.query('INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)', [current + 1, Date.now()]);
      applied.push(current + 1);
      return false;
    });
    if (done) return applied;
  }
}
