import type { Logger } from 'pino';
import { z } from 'zod';
import { logRedisFailure, type RedisLink } from './redis-connection.js';

/** What goes on a channel: the message and the process that sent it (`RedisLink.processId`). */
const envelopeSchema = z.strictObject({ from: z.string(), message: z.unknown() });

/**
 * JSON messages on Redis pub/sub channels (Redis `PUBLISH` / `SUBSCRIBE`)
 * between Peerwatch instances, each tagged with the sending process so that
 * a process skips its own (it has already acted on them locally). Received
 * messages are validated with the listener's zod schema; a message that does
 * not fit is logged and dropped.
 *
 * One Redis subscription per channel, however many local listeners it has:
 * SUBSCRIBE with the first, UNSUBSCRIBE when the last goes. While Redis is
 * down publishing drops the message (`logRedisFailure`: the instances reached
 * later learn the state from whoever re-announces it) and subscriptions are
 * made again as soon as it is back.
 */
export class RedisChannels {
  /** Channel → its local listeners and the one function subscribed in Redis for them. */
  private readonly channels = new Map<string, { listeners: Set<(message: unknown) => void>; onMessage: (raw: string) => void }>();
  private readonly stopWatching: () => void;

  constructor(
    readonly link: RedisLink,
    private readonly logger: Logger,
  ) {
    this.stopWatching = link.onChange((health) => {
      if (health.state !== 'up') return;
      for (const [channel, { onMessage }] of this.channels) this.redisSubscribe(channel, onMessage);
    });
  }

  /** Sends `message` (JSON-serializable) to the other processes listening on `channel`; a failure is logged. */
  publish(channel: string, message: unknown): void {
    void this.send(channel, message);
  }

  /**
   * Sends `message` like `publish`.
   * @returns whether Redis took it; false when it did not (logged), e.g. while it is down
   */
  async send(channel: string, message: unknown): Promise<boolean> {
    try {
      await this.link.publisher.publish(channel, JSON.stringify({ from: this.link.processId, message }));
      return true;
    } catch (err) {
      logRedisFailure(this.link, this.logger, err, 'redis message not sent', { channel });
      return false;
    }
  }

  /**
   * Calls `listener` with every message of another process on `channel` that fits `schema`.
   * @returns a function that ends that (the last one of a channel unsubscribes it in Redis)
   */
  subscribe<T>(channel: string, schema: z.ZodType<T>, listener: (message: T) => void): () => void {
    const checked = (message: unknown) => {
      const parsed = schema.safeParse(message);
      if (parsed.success) listener(parsed.data);
      else this.logger.warn({ channel, issues: parsed.error.issues.slice(0, 3) }, 'redis message of unexpected shape dropped');
    };
    let entry = this.channels.get(channel);
    if (!entry) {
      const listeners = new Set<(message: unknown) => void>();
      const onMessage = (raw: string) => this.deliver(channel, raw, listeners);
      entry = { listeners, onMessage };
      this.channels.set(channel, entry);
      this.redisSubscribe(channel, onMessage);
    }
    const { listeners, onMessage } = entry;
    listeners.add(checked);
    return () => {
      listeners.delete(checked);
      if (listeners.size > 0 || this.channels.get(channel) !== entry) return;
      this.channels.delete(channel);
      this.link.subscriber
        .unsubscribe(channel, onMessage)
        .catch((err: unknown) => logRedisFailure(this.link, this.logger, err, 'redis unsubscribe failed', { channel }));
    };
  }

  /** Number of channels subscribed (for tests and metrics). */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Stops re-subscribing on reconnect. */
  close(): void {
    this.stopWatching();
  }

  /** SUBSCRIBE (a no-op in node-redis when `onMessage` is already subscribed to `channel`). */
  private redisSubscribe(channel: string, onMessage: (raw: string) => void): void {
    this.link.subscriber
      .subscribe(channel, onMessage)
      .catch((err: unknown) => logRedisFailure(this.link, this.logger, err, 'redis subscribe failed; again when redis is back', { channel }));
  }

  private deliver(channel: string, raw: string, listeners: ReadonlySet<(message: unknown) => void>): void {
    let envelope: z.infer<typeof envelopeSchema>;
    try {
      envelope = envelopeSchema.parse(JSON.parse(raw));
    } catch (err) {
      this.logger.warn({ err, channel }, 'redis message that is no Peerwatch envelope dropped');
      return;
    }
    if (envelope.from === this.link.processId) return;
    for (const listener of listeners) listener(envelope.message);
  }
}
