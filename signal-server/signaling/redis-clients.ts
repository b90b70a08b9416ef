import type { Logger } from 'pino';
import { createClient, type RedisClientType } from 'redis';
import type { RedisClients } from './cluster-signaling.js';

/**
 * The two Redis clients (node-redis) an instance's signaling uses, for the
 * Redis at `url` (`redis://` / `rediss://`), connected. They reconnect by
 * themselves after a loss (node-redis' default strategy); each error
 * meanwhile is logged as a warning. The caller quits them.
 * @returns once both are connected (node-redis keeps trying until then)
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisClients> {
  const publisher: RedisClientType = createClient({ url });
  const subscriber = publisher.duplicate();
  for (const client of [publisher, subscriber]) client.on('error', (err: unknown) => logger.warn({ err }, 'redis client error'));
  await Promise.all([publisher.connect(), subscriber.connect()]);
  return { publisher, subscriber };
}
