import path from 'node:path';
import webpush from 'web-push';
import { readOrCreateDataFile } from '../startup/data-file.js';

/** The server's VAPID identity (RFC 8292): its P-256 key pair and a contact for push services. */
export interface VapidConfig {
  /** Uncompressed P-256 public key, base64url (65 bytes): the `applicationServerKey` browsers subscribe with. */
  publicKey: string;
  /** The P-256 private key, base64url (32 bytes). */
  privateKey: string;
  /** A `mailto:` or `https:` URL push services may contact (RFC 8292 §2.1 `sub`). */
  subject: string;
}

/** Settings of notifications: Web Push and the offline grace period. */
export interface NotificationsConfig {
  vapid: VapidConfig;
  /**
   * PEM file of extra certificate authorities to trust when talking to push
   * services, besides Node's bundled ones (env PUSH_EXTRA_CA_FILE; e.g. a
   * private push service), or null.
   */
  pushExtraCaFile: string | null;
  /**
   * Host names and IP addresses of push endpoints allowed although they are
   * loopback or private (env PUSH_ALLOWED_PRIVATE_HOSTS, comma-separated; e.g.
   * a push service in the LAN, the tests' stand-in on 127.0.0.1). Empty: only public ones.
   */
  allowedPrivateHosts: ReadonlySet<string>;
  /** A camera offline for longer than this is reported offline, ms (env NOTIFY_OFFLINE_GRACE_MS, default 2 min). */
  offlineGraceMs: number;
  /** A camera's events within this time after one it notified about are folded into one notification, ms (env NOTIFY_EVENT_COOLDOWN_MS, default 60 s). */
  eventCooldownMs: number;
  /** How long an event's notification waits for its thumbnail before it goes without one, ms (env NOTIFY_THUMBNAIL_WAIT_MS, default 3 s). */
  thumbnailWaitMs: number;
}

/** Default VAPID contact: a mailto: (Apple's push service refuses `localhost` subjects; `.invalid` is reserved, RFC 2606). */
export const DEFAULT_VAPID_SUBJECT = 'mailto:admin@peerwatch.invalid';

/**
 * The VAPID keys from env VAPID_PUBLIC_KEY + VAPID_PRIVATE_KEY, else from
 * DATA_DIR/vapid-keys.json, generated there once (like the JWT secret).
 * @throws Error when only one of the two variables is set.
 */
function loadVapidKeys(env: NodeJS.ProcessEnv, dataDir: string): { publicKey: string; privateKey: string } {
  const publicKey = env.VAPID_PUBLIC_KEY ?? '';
  const privateKey = env.VAPID_PRIVATE_KEY ?? '';
  if (Boolean(publicKey) !== Boolean(privateKey)) {
    throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together');
  }
  const keys = publicKey
    ? { publicKey, privateKey }
    : (JSON.parse(
        readOrCreateDataFile(path.join(dataDir, 'vapid-keys.json'), () => JSON.stringify(webpush.generateVAPIDKeys())),
      ) as { publicKey: string; privateKey: string });
  return keys;
}

/** @throws Error when VAPID_SUBJECT is neither a `mailto:` nor an `https:` URL. */
function vapidSubjectFromEnv(env: NodeJS.ProcessEnv): string {
  const subject = env.VAPID_SUBJECT || DEFAULT_VAPID_SUBJECT;
  if (!/^(mailto:.+@.+|https:\/\/.+)$/.test(subject)) {
    throw new Error(`VAPID_SUBJECT must be a mailto: or https: URL, got "${subject}"`);
  }
  return subject;
}

/**
 * Reads the notification settings.
 * @param intFromEnv reads a non-negative whole number setting (throws on a malformed one)
 * @throws Error when a VAPID setting is malformed or incomplete.
 */
export function notificationsFromEnv(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  intFromEnv: (env: NodeJS.ProcessEnv, name: string, fallback: number) => number,
): NotificationsConfig {
  const caFile = env.PUSH_EXTRA_CA_FILE ?? '';
  const vapid = { ...loadVapidKeys(env, dataDir), subject: vapidSubjectFromEnv(env) };
  // Checks the keys' base64url form and lengths (RFC 8292 §3.2), throwing a clear Error otherwise.
  webpush.getVapidHeaders('https://push.example', vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm');
  return {
    vapid,
    pushExtraCaFile: caFile ? path.resolve(caFile) : null,
    allowedPrivateHosts: new Set(
      (env.PUSH_ALLOWED_PRIVATE_HOSTS ?? '')
        .split(',')
        .map((host) => host.trim().replace(/^\[|\]$/g, '').toLowerCase())
        .filter(Boolean),
    ),
    offlineGraceMs: intFromEnv(env, 'NOTIFY_OFFLINE_GRACE_MS', 120_000),
    eventCooldownMs: intFromEnv(env, 'NOTIFY_EVENT_COOLDOWN_MS', 60_000),
    thumbnailWaitMs: intFromEnv(env, 'NOTIFY_THUMBNAIL_WAIT_MS', 3_000),
  };
}
