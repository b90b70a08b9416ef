import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AuditActor, AuditKind } from '../../protocol/index.js';
import type { CameraReader } from '../auth/camera-access.js';
import type { Principal } from '../auth/principal.js';
import type { Store } from '../store/store.js';

/**
 * Who did it, as the server knows them: a caller of a route (`Principal`),
 * a person who just signed in (no principal yet), or nobody signed in,
 * trying a household's email (a failed sign-in).
 */
export type AuditBy =
  | Principal
  | { kind: 'person'; userId: string; householdId: string; tokenId?: string | null }
  | { kind: 'nobody'; householdId: string; email: string };

/** Where a request came from: the client's IP address and `User-Agent` (null when unknown). */
export interface SeenFrom {
  address: string | null;
  userAgent: string | null;
}

/** Nothing known about where it came from (e.g. the server's own timers). */
export const UNSEEN: SeenFrom = { address: null, userAgent: null };

/** What a row is about: a camera, and facts by kind (e.g. `durationMs`, `role`). */
export interface AuditAbout {
  deviceId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Where a request came from: Express's `req.ip` (which honours TRUST_PROXY)
 * when there is one, else the socket's peer address (a WebSocket upgrade),
 * and its `User-Agent` header (RFC 9110 §10.1.5), at most 300 characters.
 */
export function seenFrom(req: IncomingMessage & { ip?: string | undefined }): SeenFrom {
  const userAgent = req.headers['user-agent'];
  return { address: req.ip ?? req.socket.remoteAddress ?? null, userAgent: userAgent ? userAgent.slice(0, 300) : null };
}

/** A read (playlist, download, snapshot) of one resource in one sign-in session is logged once in this long, ms. */
const READ_ONCE_MS = 30 * 60_000;
/** Most reads remembered for `READ_ONCE_MS` (a bound on memory; past it the oldest are forgotten). */
const MAX_READS_REMEMBERED = 10_000;

/** A UTC calendar day of `atMs` (days since the epoch). */
const utcDay = (atMs: number) => Math.floor(atMs / 86_400_000);

/**
 * The audit log's only writer: every place that does something worth
 * auditing calls `record` with one line. The actor's email and the camera's
 * name are read from the store as they are now, so the row keeps them after
 * the person or camera is gone. A row that cannot be written is logged, never
 * thrown: auditing never fails the action it records.
 */
export class AuditLog {
  /** Rows written by this process so far: orders the rows of one ms as they were written. */
  private written = 0;
  /** When each read was last logged, by `<session> <kind> <resource>`, oldest first. */
  private readonly reads = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /**
   * Records a person's read of resource `resourceId` (a recording's playlist
   * or file, an event's snapshot) once per sign-in session in
   * `READ_ONCE_MS`: players fetch a playlist again and again. A reader that
   * is no person (a camera's link) is not recorded.
   */
  async recordRead(kind: AuditKind, reader: CameraReader, from: SeenFrom, resourceId: string, about: AuditAbout = {}): Promise<void> {
    const person = reader.person;
    if (!person) return;
    const key = `${person.sessionId} ${kind} ${resourceId}`;
    const now = Date.now();
    const last = this.reads.get(key);
    if (last !== undefined && now - last < READ_ONCE_MS) return;
    this.reads.delete(key);
    this.reads.set(key, now);
    for (const oldest of this.reads.keys()) {
      if (this.reads.size <= MAX_READS_REMEMBERED) break;
      this.reads.delete(oldest);
    }
    await this.record(kind, { kind: 'person', userId: person.userId, householdId: reader.householdId, tokenId: person.tokenId }, from, about);
  }

  /** Writes one row at the server's time. Resolves once it is stored (or its failure logged). */
  async record(kind: AuditKind, by: AuditBy, from: SeenFrom, about: AuditAbout = {}): Promise<void> {
    try {
      const deviceId = about.deviceId ?? (by.kind === 'device' ? by.deviceId : null);
      const camera = deviceId ? await this.store.devices.findById(deviceId) : undefined;
      const details = camera && camera.householdId === by.householdId ? { cameraName: camera.name, ...about.details } : { ...about.details };
      const atMs = Date.now();
      await this.store.audit.insert({
        id: this.idAt(atMs),
        householdId: by.householdId,
        atMs,
        kind,
        actor: await this.actorOf(by),
        deviceId,
        details,
        address: from.address,
        userAgent: from.userAgent,
      });
    } catch (error) {
      this.logger.error({ err: error, kind }, 'audit: a row could not be written');
    }
  }

  /**
   * Records an API token's first use of a UTC day (`token-used`), given its
   * principal and when it was last used before now (null: never).
   */
  async tokenUsed(principal: Principal, lastUsedAtMs: number | null, from: SeenFrom = UNSEEN): Promise<void> {
    if (lastUsedAtMs !== null && utcDay(lastUsedAtMs) === utcDay(Date.now())) return;
    await this.record('token-used', principal, from);
  }

  /**
   * A row id that sorts as rows were written (the log pages by time, then id): the time (12 hex
   * digits), this process's row count (4) and 32 random bits (8), 24 lowercase hex characters.
   */
  private idAt(atMs: number): string {
    const count = (this.written++ & 0xffff).toString(16).padStart(4, '0');
    return `${atMs.toString(16).padStart(12, '0')}${count}${randomBytes(4).toString('hex')}`;
  }

  private async actorOf(by: AuditBy): Promise<AuditActor> {
    if (by.kind === 'nobody') return { kind: 'nobody', userId: null, email: by.email, tokenId: null };
    if (by.kind === 'device') return { kind: 'device', userId: null, email: null, tokenId: null };
    const email = (await this.store.users.findById(by.userId))?.email ?? null;
    const tokenId = by.kind === 'user' ? (by.grant.kind === 'token' ? by.grant.tokenId : null) : (by.tokenId ?? null);
    return { kind: tokenId ? 'token' : 'user', userId: by.userId, email, tokenId };
  }
}
