import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createClient } from 'redis';
import { createPeerwatchServer, type PeerwatchServer } from '../../signal-server/app.js';
import { loadConfig } from '../../signal-server/config.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';
import { instanceChannel } from '../../signal-server/signaling/cluster-signaling.js';
import { requestJson, type ApiServer, type TestRequest } from './server.js';

/** One Peerwatch instance (the real `createPeerwatchServer`) in the test's process, listening on 127.0.0.1. */
export class PeerwatchInstance implements ApiServer {
  constructor(
    readonly server: PeerwatchServer,
    readonly port: number,
    /** Its signaling channel on Redis (`signal:instance:<its process id>`). */
    readonly signalingChannel: string,
    /** The JSON lines it logged (level info and above). */
    private readonly logLines: string[],
  ) {}

  request(method: string, urlPath: string, init: TestRequest = {}) {
    return requestJson(`http://127.0.0.1:${this.port}`, method, urlPath, init);
  }

  /** The log entries it wrote so far (pino JSON lines, parsed). */
  logged(): { msg: string; [field: string]: unknown }[] {
    return this.logLines.map((line) => JSON.parse(line) as { msg: string });
  }

  /** Stops the instance (HTTP server, signaling, its Redis connection). */
  stop(): Promise<void> {
    return this.server.close();
  }
}

/**
 * `count` Peerwatch instances in this process that share one store (a real
 * SQLite file: what a shared database gives several server processes), one
 * JWT secret and the Redis at `redisUrl` (REDIS_URL), each with its own data
 * folder, HTTP server on a free loopback port and Redis connection. In one
 * process because the SQLite store cannot be shared between processes.
 */
export async function startInstances(count: number, redisUrl: string): Promise<PeerwatchInstance[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'peerwatch-cluster-'));
  const store = openSqliteStore(path.join(root, 'peerwatch.sqlite'));
  const probe = createClient({ url: redisUrl });
  await probe.connect();
  const instances: PeerwatchInstance[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const config = loadConfig({ DATA_DIR: path.join(root, `instance-${i}`), JWT_SECRET: 'cluster test', HTTPS: 'off', REDIS_URL: redisUrl });
      const logLines: string[] = [];
      const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logLines.push(String(chunk))) }));
      const server = createPeerwatchServer(config, store, logger);
      await server.signaling.ready;
      // Its channel: the one signaling channel on Redis that no instance started before has.
      const known = new Set(instances.map((instance) => instance.signalingChannel));
      const channels = (await probe.pubSubChannels(instanceChannel('*'))).filter((channel) => !known.has(channel));
      if (channels.length !== 1) throw new Error(`instance ${i}: signaling channels ${JSON.stringify(channels)}`);
      const port = await new Promise<number>((resolve) =>
        server.httpServer.listen(0, '127.0.0.1', () => resolve((server.httpServer.address() as AddressInfo).port)),
      );
      instances.push(new PeerwatchInstance(server, port, channels[0]!, logLines));
    }
  } finally {
    await probe.close();
  }
  return instances;
}
