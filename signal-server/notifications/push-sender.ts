import type https from 'node:https';
import type { Logger } from 'pino';
import webpush, { WebPushError } from 'web-push';
import type { PushSubscriptionRecord, PushSubscriptionRepository } from '../store/store.js';
import type { VapidConfig } from './push-config.js';

/** RFC 8030 §5.3 `Urgency` header values. */
export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

/** One push message, before encryption. */
export interface PushMessage {
  /** The plaintext payload (JSON text), encrypted per subscription with RFC 8291 `aes128gcm`. */
  payload: string;
  urgency: PushUrgency;
  /** How long the push service keeps it for an unreachable browser, s (RFC 8030 §5.2 `TTL`). */
  ttlS: number;
  /** A newer message with the same topic replaces an undelivered older one (RFC 8030 §5.4); ≤ 32 base64url characters. */
  topic: string;
}

/** What became of one message to one subscription. */
export type PushOutcome =
  | { kind: 'delivered'; attempts: number }
  | { kind: 'gone'; status: number }
  | { kind: 'refused'; status: number }
  /** Not sent: the endpoint is one the server does not send to (`endpointProblem`). */
  | { kind: 'blocked'; reason: string }
  | { kind: 'failed'; attempts: number };

/** Waits between attempts, ms: 1 s, 5 s, 30 s, then the message is given up (about 36 s in all). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

export interface PushSenderOptions {
  vapid: VapidConfig;
  subscriptions: PushSubscriptionRepository;
  logger: Logger;
  /** The agent for push service connections (e.g. one that trusts an extra CA); Node's default when absent. */
  agent?: https.Agent;
  /** Why an endpoint must not be sent to, or null (`endpointProblem`); checked before every attempt. */
  endpointProblem: (endpoint: string) => string | null;
  /** Time allowed for one request to a push service, ms. */
  timeoutMs?: number;
  /** Waits before each retry, ms; its length bounds the retries. */
  retryDelaysMs?: readonly number[];
  /** Told how each message ended (e.g. the metrics). */
  onOutcome?: (outcome: PushOutcome) => void;
}

/**
 * Sends Web Push messages with the `web-push` library: VAPID-signed (RFC
 * 8292), encrypted with `aes128gcm` (RFC 8291), POSTed to the subscription's
 * push service (RFC 8030 §5). Each message goes on its own, so a slow or
 * failing push service never holds up another subscription or the caller.
 * An endpoint `endpointProblem` refuses (loopback, private) is never contacted.
 * A 404 or 410 means the subscription is gone (RFC 8030 §7.3): it is deleted.
 * Network errors, 429 and 5xx are retried after `retryDelaysMs`; other
 * answers (a 4xx the retry cannot change) are logged and given up.
 */
export class PushSender {
  private readonly pending = new Set<Promise<PushOutcome>>();
  /** The retry waits in progress, each with the function that ends it early. */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(private readonly options: PushSenderOptions) {}

  /** Starts sending `message` to `subscription`, in the background. @returns the outcome, for tests and logs. */
  send(subscription: PushSubscriptionRecord, message: PushMessage): Promise<PushOutcome> {
    const delivery = this.deliver(subscription, message).catch((err: unknown) => {
      this.options.logger.error({ err, subscriptionId: subscription.id }, 'push delivery failed');
      return { kind: 'failed', attempts: 0 } as const;
    });
    void delivery.then((outcome) => this.options.onOutcome?.(outcome));
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
    return delivery;
  }

  /** Stops retrying and waits for the requests in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, end] of this.waits) {
      clearTimeout(timer);
      end();
    }
    this.waits.clear();
    await Promise.all(this.pending);
  }

  private async deliver(subscription: PushSubscriptionRecord, message: PushMessage): Promise<PushOutcome> {
    const { logger, subscriptions } = this.options;
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const problem = this.options.endpointProblem(subscription.endpoint);
    if (problem) {
      logger.warn({ subscriptionId: subscription.id, problem }, 'push endpoint refused; not sent');
      return { kind: 'blocked', reason: problem };
    }
    for (let attempt = 1; ; attempt++) {
      if (this.closed) return { kind: 'failed', attempts: attempt - 1 };
      const status = await this.attempt(subscription, message);
      if (status !== null && status >= 200 && status < 300) {
        await subscriptions.touchLastUsed(subscription.id, Date.now());
        return { kind: 'delivered', attempts: attempt };
      }
      if (status === 404 || status === 410) {
        await subscriptions.delete(subscription.id);
        logger.info({ subscriptionId: subscription.id, status }, 'push subscription gone; removed');
        return { kind: 'gone', status };
      }
      if (status !== null && status !== 429 && status < 500) {
        logger.warn({ subscriptionId: subscription.id, status }, 'push service refused a message');
        return { kind: 'refused', status };
      }
      const delayMs = delays[attempt - 1];
      if (delayMs === undefined || this.closed) {
        logger.warn({ subscriptionId: subscription.id, attempts: attempt, status }, 'push message given up');
        return { kind: 'failed', attempts: attempt };
      }
      await this.wait(delayMs);
    }
  }

  /** One POST to the push service. @returns its HTTP status, or null when no answer came (network error, timeout). */
  private async attempt(subscription: PushSubscriptionRecord, message: PushMessage): Promise<number | null> {
    const { vapid, agent, timeoutMs, logger } = this.options;
    try {
      const result = await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        message.payload,
        {
          vapidDetails: vapid,
          TTL: message.ttlS,
          urgency: message.urgency,
          topic: message.topic,
          contentEncoding: 'aes128gcm',
          timeout: timeoutMs ?? 10_000,
          ...(agent ? { agent } : {}),
        },
      );
      return result.statusCode;
    } catch (err) {
      if (err instanceof WebPushError) return err.statusCode;
      logger.warn({ err, subscriptionId: subscription.id }, 'push service unreachable');
      return null;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waits.delete(timer);
        resolve();
      }, ms);
      this.waits.set(timer, resolve);
    });
  }
}
