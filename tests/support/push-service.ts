import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserPushSubscription } from '../../protocol/index.js';
import { loadOrCreateSelfSigned } from '../../signal-server/tls/certificate.js';

/** A message the stand-in received and what it answered. */
export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted payload (RFC 8291), parsed as JSON. */
  payload: any;
  ttlS: number;
  urgency: string | undefined;
  topic: string | undefined;
  /** The status the stand-in answered (201, or what the test asked for). */
  status: number;
  /** When it arrived and was decrypted, ms since the epoch. */
  receivedAtMs: number;
}

/** A browser's side of a subscription: the key pair and auth secret the user agent keeps (RFC 8291 §3). */
interface UserAgentKeys {
  ecdh: ECDH;
  publicKey: Buffer;
  authSecret: Buffer;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * Decrypts an `aes128gcm` Web Push message (RFC 8291 §3.4, RFC 8188 §2) with
 * the user agent's private key: a header (salt, record size, the sender's
 * public key as key id) and one record.
 * @throws Error when the header is malformed, or the record fails authentication or padding.
 */
export function decryptPush(body: Buffer, keys: UserAgentKeys): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublicKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const ecdhSecret = keys.ecdh.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderPublicKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, keys.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 followed by zero padding (RFC 8188 §2).
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('bad padding delimiter');
  return padded.subarray(0, end);
}

/**
 * Checks a VAPID `Authorization: vapid t=<JWT>, k=<key>` header (RFC 8292 §3):
 * `k` is the expected server key, the JWT is ES256-signed with it, its `aud`
 * is `origin`, `exp` lies within 24 h, and `sub` is a mailto: or https: URL.
 * @returns null when valid, else what is wrong.
 */
export function checkVapid(header: string | undefined, origin: string, serverPublicKey: string): string | null {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!match) return `no vapid authorization: ${header}`;
  const [, jwt, key] = match as unknown as [string, string, string];
  if (key !== serverPublicKey) return 'k is not the server’s public key';
  const [head, claims, signature] = jwt.split('.') as [string, string, string];
  const header64 = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
  if (header64.alg !== 'ES256') return `alg ${header64.alg}`;
  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'bad ES256 signature';
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
  if (body.aud !== origin) return `aud ${body.aud} is not ${origin}`;
  const nowS = Date.now() / 1_000;
  if (typeof body.exp !== 'number' || body.exp < nowS || body.exp > nowS + 24 * 3_600) return `exp ${body.exp}`;
  if (!/^(mailto:|https:)/.test(body.sub ?? '')) return `sub ${body.sub}`;
  return null;
}

/**
 * A push service stand-in on loopback speaking RFC 8030: HTTPS with a
 * self-signed certificate (its PEM file is `caFile`, for the server's
 * `PUSH_EXTRA_CA_FILE`), `POST /push/<id>` with a VAPID-signed, aes128gcm
 * body. It checks the VAPID JWT against the server's key, decrypts the payload
 * with the subscription's private key, and answers 201, or the statuses a test
 * queued for that subscription. A request it cannot verify or decrypt answers
 * 400/401 and is recorded in `rejected`.
 */
export class PushServiceStandIn {
  readonly received: ReceivedPush[] = [];
  readonly rejected: string[] = [];
  private readonly keys = new Map<string, UserAgentKeys>();
  private readonly answers = new Map<string, number[]>();
  /** The VAPID public key pushes must be signed with (the server's `GET /api/push/key`). */
  serverPublicKey = '';

  private constructor(
    private readonly server: https.Server,
    readonly caFile: string,
  ) {}

  static async start(): Promise<PushServiceStandIn> {
    const dir = mkdtempSync(path.join(tmpdir(), 'peerwatch-push-'));
    const tls = await loadOrCreateSelfSigned(path.join(dir, 'tls'), { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, tls.cert);
    let standIn: PushServiceStandIn | undefined;
    const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = standIn!.handle(req, Buffer.concat(chunks));
        res.writeHead(status, status === 201 ? { Location: `/message/${randomBytes(8).toString('hex')}` } : {}).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn = new PushServiceStandIn(server, caFile);
    return standIn;
  }

  /** The server settings that make it send to this stand-in: trust its certificate, allow its loopback address. */
  get serverEnv(): Record<string, string> {
    return { PUSH_EXTRA_CA_FILE: this.caFile, PUSH_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' };
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A new subscription, as `PushSubscription.toJSON()` gives it, whose endpoint is this stand-in. */
  subscribe(): BrowserPushSubscription & { id: string } {
    const id = randomBytes(12).toString('base64url');
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const authSecret = randomBytes(16);
    this.keys.set(id, { ecdh, publicKey, authSecret });
    return {
      id,
      endpoint: `${this.origin}/push/${id}`,
      expirationTime: null,
      keys: { p256dh: b64url(publicKey), auth: b64url(authSecret) },
    };
  }

  /** The statuses to answer to the next pushes for a subscription, in order (then 201 again). */
  answerNext(subscriptionId: string, ...statuses: number[]): void {
    this.answers.set(subscriptionId, [...(this.answers.get(subscriptionId) ?? []), ...statuses]);
  }

  /** The pushes received for one subscription, in order. */
  pushesFor(subscriptionId: string): ReceivedPush[] {
    return this.received.filter((push) => push.subscriptionId === subscriptionId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, body: Buffer): number {
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const keys = id ? this.keys.get(id) : undefined;
    if (req.method !== 'POST' || !id || !keys) return this.reject(404, `unknown ${req.method} ${req.url}`);
    const vapidProblem = checkVapid(req.headers.authorization, this.origin, this.serverPublicKey);
    if (vapidProblem) return this.reject(401, vapidProblem);
    if (req.headers['content-encoding'] !== 'aes128gcm') return this.reject(400, `encoding ${req.headers['content-encoding']}`);
    const ttl = Number(req.headers.ttl);
    if (!Number.isInteger(ttl) || ttl < 0) return this.reject(400, `TTL ${req.headers.ttl}`);
    let payload: unknown;
    try {
      payload = JSON.parse(decryptPush(body, keys).toString('utf8'));
    } catch (error) {
      return this.reject(400, `cannot decrypt: ${(error as Error).message}`);
    }
    const status = this.answers.get(id)?.shift() ?? 201;
    this.received.push({
      subscriptionId: id,
      payload,
      ttlS: ttl,
      urgency: req.headers.urgency as string | undefined,
      topic: req.headers.topic as string | undefined,
      status,
      receivedAtMs: Date.now(),
    });
    return status;
  }

  private reject(status: number, why: string): number {
    this.rejected.push(why);
    return status;
  }
}
