import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createPeerwatchServer, type PeerwatchServer } from '../../signal-server/app.js';
import { loadConfig } from '../../signal-server/config.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import type { RedisClients } from '../../signal-server/signaling/cluster-signaling.js';
import { connectRedis } from '../../signal-server/signaling/redis-clients.js';
import type { Store } from '../../signal-server/store/store.js';
import { requestJson, type ApiServer, type RequestInit } from './server.js';

/** One Peerwatch instance (the real `createPeerwatchServer`) in the test's process, listening on 127.0.0.1. */
export class PeerwatchInstance implements ApiServer {
  constructor(
    readonly server: PeerwatchServer,
    readonly port: number,
    readonly instanceId: string,
    private readonly redis: RedisClients,
    /** The JSON lines it logged (level info and above). */
    private readonly logLines: string[],
  ) {}

  request(method: string, urlPath: string, init: RequestInit = {}) {
    return requestJson(`http://127.0.0.1:${this.port}`, method, urlPath, init);
  }

  /** The log entries it wrote so far (pino JSON lines, parsed). */
  logged(): { msg: string; [field: string]: unknown }[] {
    return this.logLines.map((line) => JSON.parse(line) as { msg: string });
  }

  /** Stops the instance's HTTP server and signaling, and quits its Redis clients. */
  async stop(): Promise<void> {
    await this.server.close();
    await Promise.all([this.redis.publisher.quit(), this.redis.subscriber.quit()]);
  }
}

/**
 * `count` Peerwatch instances in this process that share one store (a real
 * SQLite file: what a shared database gives several server processes), one
 * JWT secret and the Redis at `redisUrl`, each with its own data folder,
 * instance id, HTTP server on a free loopback port and Redis clients. In one
 * process because the SQLite store cannot be shared between processes.
 */
export async function startInstances(count: number, redisUrl: string): Promise<{ instances: PeerwatchInstance[]; store: Store }> {
  const root = mkdtempSync(path.join(tmpdir(), 'peerwatch-cluster-'));
  const store = openSqliteStore(path.join(root, 'peerwatch.sqlite'));
  const instances: PeerwatchInstance[] = [];
  for (let i = 0; i < count; i++) {
    const config = loadConfig({ DATA_DIR: path.join(root, `instance-${i}`), JWT_SECRET: 'cluster test', HTTPS: 'off', REDIS_URL: redisUrl });
    const logLines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) }));
    const redis = await connectRedis(redisUrl, logger);
    const server = createPeerwatchServer(config, store, logger, null, redis);
    await server.signaling.ready;
    const port = await new Promise<number>((resolve) =>
      server.httpServer.listen(0, '127.0.0.1', () => resolve((server.httpServer.address() as AddressInfo).port)),
    );
    instances.push(new PeerwatchInstance(server, port, config.instanceId, redis, logLines));
  }
  return { instances, store };
}
