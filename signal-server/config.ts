import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { IceServersResponse } from '../protocol/index.js';
import { MAX_TURN_CREDENTIAL_TTL_MS } from './ice/turn-credentials.js';
import { notificationsFromEnv, type NotificationsConfig } from './notifications/push-config.js';
import { objectStorageFromEnv, type ObjectStorageConfig } from './recordings/object-storage.js';
import { readOrCreateDataFile } from './startup/data-file.js';
import { loadInstanceId } from './startup/instance-id.js';

/** Server settings, read once at start-up from the environment. */
export interface Config {
  /** HTTP port (env PORT, default 8080; 0 picks a free port). */
  port: number;
  /** Interface to bind (env HOST, default all interfaces). */
  host: string;
  /** Folder for the SQLite file, secrets and recordings (env DATA_DIR, default ./data). */
  dataDir: string;
  /** The PostgreSQL database to keep data in (env DATABASE_URL, `postgres://…`); null: SQLite in DATA_DIR. */
  databaseUrl: string | null;
  /** Folder of the built PWA served at `/` (env PUBLIC_DIR, default ./dist). */
  publicDir: string;
  /** HMAC secret for JWTs (env JWT_SECRET, else generated once into DATA_DIR/jwt-secret). */
  jwtSecret: string;
  /**
   * This server's instance id (env INSTANCE_ID, e.g. the same on every instance behind one address;
   * else generated once into DATA_DIR/instance-id, see `loadInstanceId`).
   */
  instanceId: string;
  /** Lifetime of an access JWT, ms (about 15 min). */
  accessTokenTtlMs: number;
  /** Lifetime of a refresh token, ms. */
  refreshTokenTtlMs: number;
  /** Lifetime of a pairing token, ms (10 min). */
  pairingTtlMs: number;
  /** Lifetime of an invitation into the household, ms (env INVITE_TTL_MS, 7 days). */
  inviteTtlMs: number;
  /** Audit log rows older than this are deleted, ms (env AUDIT_RETENTION_DAYS in days, default 90). */
  auditRetentionMs: number;
  /** The bearer token `GET /metrics` wants (env METRICS_TOKEN); null: metrics are off. */
  metricsToken: string | null;
  /** Lifetime of a signaling ticket, ms: only the socket's opening must fall inside it. */
  signalingTicketTtlMs: number;
  /**
   * A signaling socket that sends no heartbeat for this long is dropped and its
   * camera goes offline, ms. PeerJS clients send a HEARTBEAT every 5 000 ms.
   */
  signalingAliveTimeoutMs: number;
  /** STUN server URLs handed to clients (env STUN_URLS, comma-separated; empty for none). */
  stunUrls: string[];
  /** Rate limit of login and pairing claims: attempts per window per client (env AUTH_RATE_LIMIT). */
  authRateLimit: number;
  /** Window of the rate limit above, ms. */
  authRateWindowMs: number;
  /** API requests one API token may make per window (env API_TOKEN_RATE_LIMIT); more get 429 `rate_limited`. */
  apiTokenRateLimit: number;
  /** Window of the per-token limit, ms. */
  apiTokenRateWindowMs: number;
  /** Largest accepted JSON body, bytes. */
  jsonBodyLimitBytes: number;
  /** pino log level (env LOG_LEVEL, default info). */
  logLevel: string;
  /** Trust X-Forwarded-* from a reverse proxy (env TRUST_PROXY=1). */
  trustProxy: boolean;
  /** Recording chunks: where they are kept, upload limit, playback links and retention. */
  recordings: RecordingsConfig;
  motionEvents: MotionEventsConfig;
  /** The HTTPS listener, or null when turned off (env HTTPS=off). */
  https: HttpsConfig | null;
  /** The TURN relay handed to clients, or null when not configured (env TURN_URLS empty). */
  turn: TurnConfig | null;
  /**
   * ICE transport policy of every peer connection (W3C WebRTC `RTCIceTransportPolicy`), env
   * ICE_TRANSPORT_POLICY: `all` (default) or `relay` (TURN only: peers never learn each other's
   * IP addresses; needs TURN).
   */
  iceTransportPolicy: RTCIceTransportPolicyName;
  /** Web Push (VAPID keys, push service trust) and notification triggers. */
  notifications: NotificationsConfig;
  /**
   * The Redis server that several instances share events, presence and signaling through
   * (env REDIS_URL, `redis://[user:password@]host:port[/db]` or `rediss://` for TLS), or null:
   * everything stays in this process.
   */
  redisUrl: string | null;
}

/** W3C WebRTC `RTCIceTransportPolicy` values, as `GET /api/ice-servers` hands them out. */
export type RTCIceTransportPolicyName = IceServersResponse['iceTransportPolicy'];

/** HTTPS beside HTTP: same app, same signaling; phones on the LAN need it for the camera. */
export interface HttpsConfig {
  /** HTTPS port (env HTTPS_PORT, default 8443; 0 picks a free port). */
  port: number;
  /**
   * A certificate and key the user supplies (env TLS_CERT_FILE + TLS_KEY_FILE, PEM files),
   * or null to use a self-signed certificate kept in DATA_DIR/tls.
   */
  userCertificate: { certFile: string; keyFile: string } | null;
}

/** A TURN server with the TURN REST API shared secret (draft-uberti-behave-turn-rest-00). */
export interface TurnConfig {
  /** `turn:`/`turns:` URLs (RFC 7065), env TURN_URLS, comma-separated. */
  urls: string[];
  /** The secret shared with the TURN server (coturn `static-auth-secret`), env TURN_SECRET. */
  secret: string;
  /** Lifetime of the credentials handed out, ms (env TURN_TTL_S in seconds, default 3600, at most 86400). */
  credentialTtlMs: number;
}

/** Settings of recordings (see `signal-server/recordings/`). */
export interface RecordingsConfig {
  /** Folder of the chunk files: DATA_DIR/recordings. */
  dir: string;
  /** Largest accepted chunk, bytes (env RECORDING_CHUNK_MAX_BYTES, default 32 MiB). */
  chunkMaxBytes: number;
  /** Lifetime of a playback link's token, ms (env PLAYBACK_TOKEN_TTL_MS, default 30 min). */
  playbackTokenTtlMs: number;
  /** Recordings whose footage ended longer ago than this are removed, ms (env RECORDING_MAX_AGE_MS, default 7 days). */
  maxAgeMs: number;
  /** Storage cap per camera, bytes (env RECORDING_MAX_BYTES_PER_CAMERA, default 20 GB). */
  maxBytesPerCamera: number;
  /** Interval of the retention sweep, ms (env RECORDING_SWEEP_INTERVAL_MS, default 10 min); one also runs at start-up. */
  sweepIntervalMs: number;
  /** A bucket that holds the chunks instead of `dir` (then only their staging), or null. */
  objectStorage: ObjectStorageConfig | null;
}

/** Settings of camera events (see `signal-server/motion-events/`). */
export interface MotionEventsConfig {
  /** Folder of the events' snapshots and thumbnails: DATA_DIR/event-images. */
  imagesDir: string;
  /** Largest accepted snapshot or thumbnail, bytes (env EVENT_IMAGE_MAX_BYTES, default 2 MiB). */
  imageMaxBytes: number;
  /** A bucket that holds the images instead of `imagesDir` (then only their staging), or null. */
  objectStorage: ObjectStorageConfig | null;
}

const DEFAULT_STUN = 'stun:stun.l.google.com:19302';
/** Longest TURN credential lifetime handed out, s: `MAX_TURN_CREDENTIAL_TTL_MS` (one day). */
const MAX_TURN_TTL_S = MAX_TURN_CREDENTIAL_TTL_MS / 1_000;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function listFromEnv(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * HTTPS is on unless env HTTPS is `off` (or `0`, `false`).
 * @throws Error when HTTPS or HTTPS_PORT is malformed, or only one of TLS_CERT_FILE / TLS_KEY_FILE is set.
 */
function httpsFromEnv(env: NodeJS.ProcessEnv): HttpsConfig | null {
  const switchValue = (env.HTTPS ?? '').toLowerCase();
  if (['off', '0', 'false'].includes(switchValue)) return null;
  if (!['', 'on', '1', 'true'].includes(switchValue)) {
    throw new Error(`HTTPS must be "on" or "off", got "${env.HTTPS}"`);
  }
  const certFile = env.TLS_CERT_FILE ?? '';
  const keyFile = env.TLS_KEY_FILE ?? '';
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new Error('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  return {
    port: intFromEnv(env, 'HTTPS_PORT', 8443),
    userCertificate: certFile ? { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) } : null,
  };
}

/** @throws Error when TURN_URLS is set without TURN_SECRET, holds a non-TURN URL, or TURN_TTL_S is out of range. */
function turnFromEnv(env: NodeJS.ProcessEnv): TurnConfig | null {
  const urls = listFromEnv(env.TURN_URLS ?? '');
  if (urls.length === 0) return null;
  const bad = urls.find((url) => !/^turns?:/.test(url));
  if (bad) throw new Error(`TURN_URLS must hold turn: or turns: URLs, got "${bad}"`);
  if (!env.TURN_SECRET) throw new Error('TURN_SECRET must be set when TURN_URLS is');
  const ttlS = intFromEnv(env, 'TURN_TTL_S', 3_600);
  if (ttlS < 1 || ttlS > MAX_TURN_TTL_S) {
    throw new Error(`TURN_TTL_S must be between 1 and ${MAX_TURN_TTL_S} seconds, got ${ttlS}`);
  }
  return { urls, secret: env.TURN_SECRET, credentialTtlMs: ttlS * 1_000 };
}

/** @throws Error when ICE_TRANSPORT_POLICY is not `all` or `relay`, or is `relay` without TURN. */
function iceTransportPolicyFromEnv(env: NodeJS.ProcessEnv, turn: TurnConfig | null): RTCIceTransportPolicyName {
  const raw = env.ICE_TRANSPORT_POLICY || 'all';
  if (raw !== 'all' && raw !== 'relay') {
    throw new Error(`ICE_TRANSPORT_POLICY must be "all" or "relay", got "${raw}"`);
  }
  if (raw === 'relay' && !turn) throw new Error('ICE_TRANSPORT_POLICY=relay needs a TURN server (TURN_URLS)');
  return raw;
}

/** @throws Error when INSTANCE_ID is set but is not 1 to 64 base64url characters (it goes into pairing links). */
function instanceIdFromEnv(env: NodeJS.ProcessEnv, dataDir: string): string {
  const raw = env.INSTANCE_ID ?? '';
  if (raw === '') return loadInstanceId(dataDir);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw new Error('INSTANCE_ID must be 1 to 64 letters, digits, "-" or "_"');
  return raw;
}

/** @throws Error when REDIS_URL is set to something that is not a `redis:` or `rediss:` URL. */
function redisUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const raw = env.REDIS_URL ?? '';
  if (raw === '') return null;
  const protocol = URL.canParse(raw) ? new URL(raw).protocol : '';
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return raw;
}

/** Reads the JWT secret from env, or from DATA_DIR/jwt-secret, creating it (256 random bits) on first start. */
function loadJwtSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  return readOrCreateDataFile(path.join(dataDir, 'jwt-secret'), () => randomBytes(32).toString('base64url'));
}

function recordingsFromEnv(env: NodeJS.ProcessEnv, dataDir: string, objectStorage: ObjectStorageConfig | null): RecordingsConfig {
  return {
    dir: path.join(dataDir, 'recordings'),
    chunkMaxBytes: intFromEnv(env, 'RECORDING_CHUNK_MAX_BYTES', 32 * 1024 * 1024),
    playbackTokenTtlMs: intFromEnv(env, 'PLAYBACK_TOKEN_TTL_MS', 30 * 60_000),
    maxAgeMs: intFromEnv(env, 'RECORDING_MAX_AGE_MS', 7 * 24 * 3_600_000),
    maxBytesPerCamera: intFromEnv(env, 'RECORDING_MAX_BYTES_PER_CAMERA', 20_000_000_000),
    sweepIntervalMs: intFromEnv(env, 'RECORDING_SWEEP_INTERVAL_MS', 10 * 60_000),
    objectStorage,
  };
}

/** DATABASE_URL: unset or empty for SQLite. @throws Error when it is not a `postgres://` or `postgresql://` URL */
function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const url = env.DATABASE_URL;
  if (!url) return null;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// (or postgresql://) URL');
  return url;
}

/**
 * Builds the configuration from environment variables, creating DATA_DIR.
 * @throws Error when a numeric variable or DATABASE_URL is malformed, REDIS_URL is no Redis URL, INSTANCE_ID is malformed, or the HTTPS, TURN, ICE, VAPID or S3 settings are inconsistent.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });
  const stunRaw = env.STUN_URLS ?? DEFAULT_STUN;
  const turn = turnFromEnv(env);
  const objectStorage = objectStorageFromEnv(env);
  return {
    port: intFromEnv(env, 'PORT', 8080),
    host: env.HOST ?? '::',
    dataDir,
    databaseUrl: databaseUrlFromEnv(env),
    publicDir: path.resolve(env.PUBLIC_DIR ?? './dist'),
    jwtSecret: loadJwtSecret(env, dataDir),
    instanceId: instanceIdFromEnv(env, dataDir),
    accessTokenTtlMs: 15 * 60_000,
    refreshTokenTtlMs: 30 * 24 * 3_600_000,
    pairingTtlMs: intFromEnv(env, 'PAIRING_TTL_MS', 10 * 60_000),
    inviteTtlMs: intFromEnv(env, 'INVITE_TTL_MS', 7 * 24 * 3_600_000),
    auditRetentionMs: intFromEnv(env, 'AUDIT_RETENTION_DAYS', 90) * 86_400_000,
    metricsToken: env.METRICS_TOKEN ? env.METRICS_TOKEN : null,
    signalingTicketTtlMs: 60_000,
    signalingAliveTimeoutMs: intFromEnv(env, 'SIGNALING_ALIVE_TIMEOUT_MS', 11_000),
    stunUrls: listFromEnv(stunRaw),
    authRateLimit: intFromEnv(env, 'AUTH_RATE_LIMIT', 30),
    apiTokenRateLimit: intFromEnv(env, 'API_TOKEN_RATE_LIMIT', 600),
    apiTokenRateWindowMs: 60_000,
    authRateWindowMs: 10 * 60_000,
    jsonBodyLimitBytes: 16 * 1024,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.TRUST_PROXY === '1',
    recordings: recordingsFromEnv(env, dataDir, objectStorage),
    motionEvents: {
      imagesDir: path.join(dataDir, 'event-images'),
      imageMaxBytes: intFromEnv(env, 'EVENT_IMAGE_MAX_BYTES', 2 * 1024 * 1024),
      objectStorage,
    },
    https: httpsFromEnv(env),
    turn,
    iceTransportPolicy: iceTransportPolicyFromEnv(env, turn),
    notifications: notificationsFromEnv(env, dataDir, intFromEnv),
    redisUrl: redisUrlFromEnv(env),
  };
}
