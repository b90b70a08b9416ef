import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/** Server settings, read once at start-up from the environment. */
export interface Config {
  /** HTTP port (env PORT, default 8080; 0 picks a free port). */
  port: number;
  /** Interface to bind (env HOST, default all interfaces). */
  host: string;
  /** Folder for the SQLite file, secrets and recordings (env DATA_DIR, default ./data). */
  dataDir: string;
  /** Folder of the built PWA served at `/` (env PUBLIC_DIR, default ./dist). */
  publicDir: string;
  /** HMAC secret for JWTs (env JWT_SECRET, else generated once into DATA_DIR/jwt-secret). */
  jwtSecret: string;
  /** Lifetime of an access JWT, ms (about 15 min). */
  accessTokenTtlMs: number;
  /** Lifetime of a refresh token, ms. */
  refreshTokenTtlMs: number;
  /** Lifetime of a pairing token, ms (10 min). */
  pairingTtlMs: number;
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
  /** Largest accepted JSON body, bytes. */
  jsonBodyLimitBytes: number;
  /** pino log level (env LOG_LEVEL, default info). */
  logLevel: string;
  /** Trust X-Forwarded-* from a reverse proxy (env TRUST_PROXY=1). */
  trustProxy: boolean;
}

const DEFAULT_STUN = 'stun:stun.l.google.com:19302';

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** Reads the JWT secret from env, or from DATA_DIR/jwt-secret, creating it (256 random bits) on first start. */
function loadJwtSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

/**
 * Builds the configuration from environment variables, creating DATA_DIR.
 * @throws Error when a numeric variable is malformed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });
  const stunRaw = env.STUN_URLS ?? DEFAULT_STUN;
  return {
    port: intFromEnv(env, 'PORT', 8080),
    host: env.HOST ?? '::',
    dataDir,
    publicDir: path.resolve(env.PUBLIC_DIR ?? './dist'),
    jwtSecret: loadJwtSecret(env, dataDir),
    accessTokenTtlMs: 15 * 60_000,
    refreshTokenTtlMs: 30 * 24 * 3_600_000,
    pairingTtlMs: intFromEnv(env, 'PAIRING_TTL_MS', 10 * 60_000),
    signalingTicketTtlMs: 60_000,
    signalingAliveTimeoutMs: intFromEnv(env, 'SIGNALING_ALIVE_TIMEOUT_MS', 11_000),
    stunUrls: stunRaw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    authRateLimit: intFromEnv(env, 'AUTH_RATE_LIMIT', 30),
    authRateWindowMs: 10 * 60_000,
    jsonBodyLimitBytes: 16 * 1024,
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: env.TRUST_PROXY === '1',
  };
}
