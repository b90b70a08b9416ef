import type { Logger } from 'pino';
import { z } from 'zod';
import type { RedisChannels } from '../cluster/redis-channels.js';
import { logRedisFailure, type RedisLink } from '../cluster/redis-connection.js';
import type { Holders, PresenceHold, PresenceTracker } from './presence-tracker.js';

/** How presence keys are kept, ms. */
export interface PresenceTimings {
  /** Lifetime of an instance's presence key: it expires this long after the instance's last refresh. */
  ttlMs: number;
  /** How often each instance writes its key again and reads everyone's. */
  refreshMs: number;
}

/**
 * Defaults: an instance that dies takes its cameras offline within
 * `ttlMs + refreshMs` = 13 s (its key expires, then every other instance
 * notices at its next read), about the single server's 11 s alive timeout
 * (`Config.signalingAliveTimeoutMs`) and within the 15 s a camera's
 * viewers expect.
 */
export const PRESENCE_TIMINGS: PresenceTimings = { ttlMs: 10_000, refreshMs: 3_000 };

const KEY_PREFIX = 'peerwatch:presence:';
const CHANNEL = 'peerwatch:presence';
const LOCK_PREFIX = 'peerwatch:presence-change:';

/** An instance's presence key (a hash: device id → `HeldValue` JSON). */
function presenceKey(processId: string): string {
  return `${KEY_PREFIX}${processId}`;
}

/** What an instance keeps per held camera. */
const heldValueSchema = z.strictObject({ householdId: z.string(), sinceMs: z.number().int() });

/** The message an instance publishes when it begins or ends holding a camera's socket. */
const holdMessageSchema = z.strictObject({
  processId: z.string(),
  householdId: z.string(),
  deviceId: z.string(),
  held: z.boolean(),
  sinceMs: z.number().int(),
});
type HoldMessage = z.infer<typeof holdMessageSchema>;

/**
 * The lock of one change of a camera: going online with `holders`, or going
 * offline after them. Each holder's hold is named by its instance and its
 * start, so the same camera going offline again later is another change.
 */
function lockKey(deviceId: string, online: boolean, holders: Holders): string {
  const names = [...holders].map(([processId, sinceMs]) => `${processId}.${sinceMs}`).sort();
  return `${LOCK_PREFIX}${deviceId}:${online ? 'online' : 'offline'}:${names.join(',')}`;
}

/**
 * Presence across instances on Redis, behind `PresenceTracker` (which keeps
 * answering from memory):
 *
 * - Each instance keeps a hash `peerwatch:presence:<processId>` of the
 *   cameras whose socket it holds (device id → household id, since when),
 *   with a TTL (`ttlMs`), written again every `refreshMs`, and publishes
 *   every change of it on `peerwatch:presence`; the others mirror it into
 *   their tracker (`setHeldElsewhere`), not as owners: the holder acts on
 *   changes its own sockets make.
 * - Every `refreshMs` each instance also reads all presence keys (SCAN +
 *   HGETALL) and mends its mirror: messages missed during an outage, and
 *   above all instances that died (SIGKILL, power loss), whose key expired.
 *   A change found that way has no owner yet: the instances that find it
 *   race for a Redis lock (`SET NX PX`) named after the change, and only
 *   the winner acts on it (tells the household, stores last-seen, owns the
 *   offline notification). A holder takes the lock of the changes it makes
 *   itself (plain SET), so they are not acted on twice.
 *   Polling rather than keyspace notifications (`notify-keyspace-events Ex`):
 *   those need CONFIG rights many managed Redis services refuse, are lost
 *   while a subscriber reconnects, and come only when Redis gets round to
 *   evicting the key; the poll also repairs any other missed message.
 * - When Redis comes back after an outage the instance writes its key again
 *   at once (Redis may have lost it) and reads everyone's.
 */
export class RedisPresence {
  /** Device id → when this instance began holding its socket, ms since the epoch. */
  private readonly heldSince = new Map<string, number>();
  /** Counts the messages received; per device, the count at its last one (a read that began before is stale for it). */
  private messages = 0;
  private readonly lastMessage = new Map<string, number>();
  private readonly stops: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout;
  private refreshing: Promise<void> | null = null;
  /** Until when holders only join (see `readAndMend`), ms since the epoch: set when Redis is back after an outage. */
  private settlingUntilMs = 0;
  /** Whether Redis was reachable at some time since the start (so an `up` is a recovery). */
  private wasUp: boolean;

  constructor(
    private readonly tracker: PresenceTracker,
    private readonly link: RedisLink,
    private readonly channels: RedisChannels,
    private readonly logger: Logger,
    private readonly timings: PresenceTimings = PRESENCE_TIMINGS,
  ) {
    this.wasUp = link.health.state === 'up';
    this.stops.push(
      tracker.onHold((hold) => this.holdChanged(hold)),
      channels.subscribe(CHANNEL, holdMessageSchema, (message) => this.heard(message)),
      link.onChange((health) => {
        if (health.state !== 'up') return;
        if (this.wasUp) this.settlingUntilMs = health.sinceMs + timings.ttlMs;
        this.wasUp = true;
        void this.refresh();
      }),
    );
    this.timer = setInterval(() => void this.refresh(), timings.refreshMs);
    this.timer.unref();
    if (link.health.state === 'up') void this.refresh();
  }

  /**
   * Writes this instance's key and reads everyone's once (also what the
   * timer does). A failure is logged (`logRedisFailure`); the next refresh
   * mends what this one could not. Nothing is done while the link is down,
   * even when one of its connections is back already: the refresh that
   * comes with `up` begins the settling window first (see `readAndMend`).
   */
  refresh(): Promise<void> {
    if (this.link.health.state !== 'up') return Promise.resolve();
    this.refreshing ??= this.readAndMend()
      .catch((err: unknown) => this.failed(err, 'presence refresh failed', {}))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * Stops refreshing and removes this instance's key: the others take its
   * cameras offline at their next read. Call it after the signaling sockets
   * closed.
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const stop of this.stops) stop();
    await this.refreshing;
    if (this.link.health.state !== 'up') return;
    await this.link.publisher
      .del(presenceKey(this.link.processId))
      .catch((err: unknown) => this.failed(err, 'presence key not removed; it expires by itself', {}));
  }

  private holdChanged(hold: PresenceHold): void {
    const { deviceId, householdId, held, atMs } = hold;
    const sinceMs = held ? atMs : (this.heldSince.get(deviceId) ?? atMs);
    if (held) this.heldSince.set(deviceId, sinceMs);
    else this.heldSince.delete(deviceId);
    const me = new Map([[this.link.processId, sinceMs]]);
    const key = presenceKey(this.link.processId);
    const multi = this.link.publisher.multi();
    if (held) multi.hSet(key, deviceId, JSON.stringify({ householdId, sinceMs })).pExpire(key, this.timings.ttlMs);
    else multi.hDel(key, deviceId);
    multi.set(lockKey(deviceId, held, me), this.link.processId, { PX: this.lockTtlMs });
    multi.exec().catch((err: unknown) => this.failed(err, 'presence not written; the next refresh writes it', { deviceId }));
    const message: HoldMessage = { processId: this.link.processId, householdId, deviceId, held, sinceMs };
    this.channels.publish(CHANNEL, message);
  }

  private heard(message: HoldMessage): void {
    const { processId, householdId, deviceId, held, sinceMs } = message;
    this.lastMessage.set(deviceId, ++this.messages);
    const holders = new Map(this.tracker.heldElsewhere().get(deviceId)?.holders);
    if (held) holders.set(processId, sinceMs);
    else holders.delete(processId);
    this.tracker.setHeldElsewhere(householdId, deviceId, holders, false);
  }

  private failed(err: unknown, message: string, context: Record<string, unknown>): void {
    logRedisFailure(this.link, this.logger, err, message, context);
  }

  /** A lock outlives every other instance's chance to find the same change. */
  private get lockTtlMs(): number {
    return this.timings.ttlMs + 2 * this.timings.refreshMs;
  }

  /**
   * Announces this instance, reads the others and mends the mirror. For
   * `ttlMs` after Redis came back from an outage, holders only join: the others have not
   * all announced themselves again yet (a restarted Redis is empty), and
   * their cameras must not blink offline meanwhile.
   */
  private async readAndMend(): Promise<void> {
    const readFrom = this.messages;
    await this.announce();
    const found = await this.readOthers();
    const known = this.tracker.heldElsewhere();
    const settling = Date.now() < this.settlingUntilMs;
    const updates: Array<Promise<void>> = [];
    for (const deviceId of new Set([...found.keys(), ...known.keys()])) {
      const now = found.get(deviceId);
      const before = known.get(deviceId);
      const holders: Holders = new Map([...(settling ? (before?.holders ?? []) : []), ...(now?.holders ?? [])]);
      if ((this.lastMessage.get(deviceId) ?? 0) > readFrom || sameHolders(before?.holders, holders)) continue;
      const householdId = (now ?? before)!.householdId;
      if (!this.tracker.wouldChange(deviceId, holders)) {
        this.tracker.setHeldElsewhere(householdId, deviceId, holders, false);
        continue;
      }
      const online = holders.size > 0;
      const lock = lockKey(deviceId, online, online ? holders : before!.holders);
      updates.push(
        this.link.publisher.set(lock, this.link.processId, { NX: true, PX: this.lockTtlMs }).then((won) => {
          if ((this.lastMessage.get(deviceId) ?? 0) > readFrom) return;
          this.tracker.setHeldElsewhere(householdId, deviceId, holders, won !== null);
        }),
      );
    }
    await Promise.all(updates);
    // Messages heard before this read began matter to no later read.
    for (const [deviceId, heardAt] of this.lastMessage) if (heardAt <= readFrom) this.lastMessage.delete(deviceId);
  }

  /** Writes this instance's key afresh (in one transaction): exactly the cameras it holds now. */
  private async announce(): Promise<void> {
    const key = presenceKey(this.link.processId);
    const held = this.tracker.heldHere();
    const multi = this.link.publisher.multi().del(key);
    if (held.size > 0) {
      const fields: Record<string, string> = {};
      for (const [deviceId, householdId] of held) {
        fields[deviceId] = JSON.stringify({ householdId, sinceMs: this.heldSince.get(deviceId) ?? Date.now() });
      }
      multi.hSet(key, fields).pExpire(key, this.timings.ttlMs);
    }
    await multi.exec();
  }

  /** Every other instance's held cameras, from their keys: device id → household id and holders. */
  private async readOthers(): Promise<Map<string, { householdId: string; holders: Map<string, number> }>> {
    const keys: string[] = [];
    for await (const batch of this.link.publisher.scanIterator({ MATCH: `${KEY_PREFIX}*`, COUNT: 100 })) keys.push(...batch);
    const mine = presenceKey(this.link.processId);
    const others = keys.filter((key) => key !== mine);
    const hashes = await Promise.all(others.map((key) => this.link.publisher.hGetAll(key)));
    const found = new Map<string, { householdId: string; holders: Map<string, number> }>();
    others.forEach((key, index) => {
      const processId = key.slice(KEY_PREFIX.length);
      for (const [deviceId, raw] of Object.entries(hashes[index]!)) {
        const value = parseHeld(raw);
        if (!value) {
          this.logger.warn({ key, deviceId }, 'presence entry of unexpected shape ignored');
          continue;
        }
        const entry = found.get(deviceId) ?? { householdId: value.householdId, holders: new Map<string, number>() };
        entry.holders.set(processId, value.sinceMs);
        found.set(deviceId, entry);
      }
    });
    return found;
  }
}

/** The held value in `raw`, or undefined when it is not one. */
function parseHeld(raw: string): z.infer<typeof heldValueSchema> | undefined {
  try {
    return heldValueSchema.parse(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

function sameHolders(a: Holders | undefined, b: Holders): boolean {
  if ((a?.size ?? 0) !== b.size) return false;
  for (const [processId, sinceMs] of b) if (a?.get(processId) !== sinceMs) return false;
  return true;
}
