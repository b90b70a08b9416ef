import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createClient, type RedisClientType } from 'redis';
import type { Logger } from 'pino';

/** A node-redis client as `connectRedis` makes them (RESP2, no modules). */
export type RedisClient = RedisClientType;

/**
 * Whether this instance can reach Redis: `up` while both the publisher and
 * the subscriber are connected and ready, `down` otherwise (also before the
 * first connection), with when that began (ms since the epoch) and the last
 * error seen.
 */
export type RedisHealth = { state: 'up'; sinceMs: number } | { state: 'down'; sinceMs: number; error: string };

/**
 * The connection of one Peerwatch instance to Redis, shared by the modules
 * that go across instances (event hub, presence, signaling relay):
 *
 * - `publisher`: commands (PUBLISH, keys); `subscriber`: SUBSCRIBE only (a
 *   connection in RESP2 pub/sub mode takes no other commands, Redis docs
 *   "Pub/Sub", so it is a second connection, `client.duplicate()`).
 * - Both reconnect forever with a capped exponential backoff; node-redis
 *   subscribes the subscriber to its channels again after each reconnect.
 * - Commands sent while a connection is down fail at once (no offline
 *   queue: an outage must not pile up memory); whoever sends them handles
 *   that (e.g. presence announces itself again on `change` to `up`).
 * - `processId`: random per process, so an instance tells its own messages
 *   from others' (INSTANCE_ID may be the same on every instance).
 */
export interface RedisLink {
  readonly publisher: RedisClient;
  readonly subscriber: RedisClient;
  /** 96 random bits (base64url, 16 characters), new at each start of the process. */
  readonly processId: string;
  /** The state now. */
  readonly health: RedisHealth;
  /** Calls `listener` on every change of `health` (up → down, down → up). @returns a function that ends that. */
  onChange(listener: (health: RedisHealth) => void): () => void;
  /** Resolves once both connections are ready for the first time (immediately if they are). */
  ready(): Promise<void>;
  /** Closes both connections (no reconnect after). */
  close(): Promise<void>;
}

/**
 * Logs a failed Redis command of `link`: at debug while Redis is down (the
 * link has logged that once already; whoever sent it mends it when Redis is
 * back), else as a warning.
 */
export function logRedisFailure(link: RedisLink, logger: Logger, err: unknown, message: string, context: Record<string, unknown> = {}): void {
  if (link.health.state === 'up') logger.warn({ err, ...context }, message);
  else logger.debug({ err, ...context }, message);
}

/** Longest wait between two reconnect attempts, ms. */
export const MAX_RECONNECT_DELAY_MS = 2_000;
/** Connection timeout of one attempt, ms. */
const CONNECT_TIMEOUT_MS = 2_000;
/** A PING at this interval notices a dead connection that TCP keep-alive would notice only after minutes, ms. */
const PING_INTERVAL_MS = 2_000;

/**
 * Wait before reconnect attempt `retries` (0 = the first), ms: 50 ms doubling
 * up to `MAX_RECONNECT_DELAY_MS`, plus up to 100 ms of jitter so instances
 * that lost Redis together do not all come back in the same instant. Never
 * gives up.
 */
export function reconnectDelayMs(retries: number): number {
  return Math.min(50 * 2 ** Math.min(retries, 16), MAX_RECONNECT_DELAY_MS) + Math.floor(Math.random() * 100);
}

/**
 * Connects to the Redis server at `url` (`redis://[user:password@]host:port[/db]`,
 * `rediss://` for TLS) with a publisher and a subscriber connection, and
 * starts at once: it does not wait for Redis (see `ready()`), so a server
 * starts and serves its own sockets while Redis is away. Logs once when
 * Redis goes away (warn) and once when it is back (info), and once (warn)
 * when it cannot be reached within `CONNECT_TIMEOUT_MS` of the start; the
 * errors of each failed attempt go to debug.
 * @throws TypeError (from node-redis) when `url` is not a Redis URL
 */
export function connectRedis(url: string, logger: Logger): RedisLink {
  return new RedisConnection(url, logger);
}

class RedisConnection implements RedisLink {
  readonly publisher: RedisClient;
  readonly subscriber: RedisClient;
  readonly processId = randomBytes(12).toString('base64url');
  private state: RedisHealth = { state: 'down', sinceMs: Date.now(), error: 'not connected yet' };
  private readonly changes = new EventEmitter<{ change: [RedisHealth] }>();
  private readonly firstReady: Promise<void>;
  private closed = false;
  private readonly log: Logger;

  constructor(url: string, logger: Logger) {
    this.log = logger.child({ component: 'redis' });
    this.publisher = createClient({
      url,
      disableOfflineQueue: true,
      pingInterval: PING_INTERVAL_MS,
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelayMs },
    }) as RedisClient;
    this.subscriber = this.publisher.duplicate();
    const clients = [this.publisher, this.subscriber];
    for (const client of clients) {
      client.on('ready', () => this.update());
      client.on('end', () => this.update());
      client.on('reconnecting', () => this.update());
      client.on('error', (err: Error) => {
        this.log.debug({ err }, 'redis connection error');
        this.update(err);
      });
    }
    this.firstReady = new Promise((resolve) => {
      const stop = this.onChange((health) => {
        if (health.state !== 'up') return;
        stop();
        resolve();
      });
    });
    setTimeout(() => {
      if (this.closed || this.state.state === 'up') return;
      this.log.warn({ error: this.state.error }, 'redis not reachable yet; serving this instance’s own sockets until it is');
    }, CONNECT_TIMEOUT_MS).unref();
    for (const client of clients) {
      // connect() settles once the connection is ready; it rejects only when the client is closed first.
      client.connect().catch((err: unknown) => {
        if (!this.closed) this.log.error({ err }, 'redis connection given up');
      });
    }
  }

  get health(): RedisHealth {
    return this.state;
  }

  onChange(listener: (health: RedisHealth) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  ready(): Promise<void> {
    return this.firstReady;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.changes.removeAllListeners();
    await Promise.all(
      [this.publisher, this.subscriber].map((client) =>
        client.isOpen ? client.close() : Promise.resolve(),
      ),
    );
  }

  /** Recomputes `health` from both connections; logs and tells listeners when it changed. */
  private update(error?: Error): void {
    if (this.closed) return;
    const up = this.publisher.isReady && this.subscriber.isReady;
    if (up && this.state.state === 'up') return;
    if (!up && this.state.state === 'down') {
      if (error) this.state = { ...this.state, error: error.message || error.name };
      return;
    }
    const now = Date.now();
    if (up) {
      this.log.info({ downForMs: now - this.state.sinceMs }, 'redis connection is up');
      this.state = { state: 'up', sinceMs: now };
    } else {
      this.state = { state: 'down', sinceMs: now, error: error ? error.message || error.name : 'connection lost' };
      this.log.warn({ error: this.state.error }, 'redis connection lost; serving this instance’s own sockets until it is back');
    }
    this.changes.emit('change', this.state);
  }
}
