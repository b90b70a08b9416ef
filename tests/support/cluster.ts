import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import webpush from 'web-push';
import { Haproxy } from './haproxy.js';
import { PostgresServer } from './postgres-server.js';
import { RedisServer } from './redis-server.js';
import { S3Service } from './s3-service.js';
import { TestServer } from './server.js';

/** How a test cluster differs from the default one. */
export interface ClusterOptions {
  /** How many Peerwatch instances (default 2). */
  instances?: number;
  /** More settings for every instance (environment variables, see signal-server/config.ts). */
  env?: Record<string, string>;
}

/**
 * Several real Peerwatch instances on loopback the way deploy/README.md runs
 * them: one throwaway PostgreSQL database (DATABASE_URL), one Redis
 * (REDIS_URL), one S3-compatible bucket (s3rver, S3_*), the same JWT secret,
 * instance id (INSTANCE_ID) and VAPID keys on every instance, each with its
 * own port and DATA_DIR, and haproxy in front with the deployment's configuration
 * (deploy/haproxy/haproxy.cfg, instance ports filled in). Instances can be
 * killed (SIGKILL) and started again on the same port and data folder, and
 * Redis taken away and brought back.
 */
export class Cluster {
  private constructor(
    readonly postgres: PostgresServer,
    readonly redis: RedisServer,
    readonly s3: S3Service,
    /** The instances, in order: `instances[0]` is "instance 1". */
    readonly instances: TestServer[],
    readonly haproxy: Haproxy,
    /** The settings every instance shares. */
    readonly sharedEnv: Record<string, string>,
    /** Each instance's log lines (JSON, all its runs), in the order of `instances`. */
    private readonly logs: string[][],
  ) {}

  /**
   * Starts the services, then the instances (one after the other, so the
   * database's migrations run once before the others start), then haproxy.
   * On failure, stops what it had started and throws.
   */
  static async start({ instances = 2, env = {} }: ClusterOptions = {}): Promise<Cluster> {
    const started: { stop(): Promise<void> }[] = [];
    try {
      const [postgres, redis, s3] = await Promise.all([PostgresServer.start(), RedisServer.start(), S3Service.start()]);
      started.push(postgres, redis, s3);
      const vapid = webpush.generateVAPIDKeys();
      const sharedEnv: Record<string, string> = {
        DATABASE_URL: await postgres.newDatabase(),
        REDIS_URL: redis.url,
        ...s3.serverEnv,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        INSTANCE_ID: randomBytes(16).toString('base64url'),
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        TRUST_PROXY: '1',
        HTTPS: 'off',
        ...env,
      };
      const servers: TestServer[] = [];
      const logs: string[][] = [];
      for (let i = 0; i < instances; i++) {
        const lines: string[] = [];
        const server = await TestServer.start({ env: sharedEnv, label: `instance ${i + 1}`, onLogLine: (line) => lines.push(line) });
        started.push(server);
        servers.push(server);
        logs.push(lines);
      }
      const haproxy = await Haproxy.start(servers.map((server) => server.port));
      return new Cluster(postgres, redis, s3, servers, haproxy, sharedEnv, logs);
    } catch (error) {
      for (const service of started.reverse()) await service.stop();
      throw error;
    }
  }

  /** Instance `n` (1-based, as the tests and the docs count them). */
  instance(n: number): TestServer {
    const server = this.instances[n - 1];
    if (!server) throw new Error(`the cluster has no instance ${n}`);
    return server;
  }

  /** The messages (`msg`) instance `n` has logged so far, oldest first. */
  loggedMessages(n: number): string[] {
    this.instance(n);
    return this.logs[n - 1]!.flatMap((line) => {
      try {
        const { msg } = JSON.parse(line) as { msg?: unknown };
        return typeof msg === 'string' ? [msg] : [];
      } catch {
        return []; // not a JSON log line (e.g. the start-up banner)
      }
    });
  }

  /** Kills instance `n` with SIGKILL, as a crash would (no clean shutdown, sockets cut). */
  async kill(n: number): Promise<void> {
    await this.instance(n).stop('SIGKILL');
  }

  /** Starts instance `n` again on its port and data folder (haproxy's checks bring it back into rotation). */
  async restart(n: number): Promise<void> {
    await this.instance(n).startAgain();
  }

  /**
   * Stops Redis, runs `during` (e.g. checks over 10 s of outage), then starts
   * Redis again on the same port, empty (it keeps nothing), even when `during` throws.
   */
  async whileRedisDown<T>(during: () => Promise<T>): Promise<T> {
    await this.redis.stop();
    try {
      return await during();
    } finally {
      await this.redis.start();
    }
  }

  /** Stops haproxy, the instances (removing their data folders) and the services. */
  async stop(): Promise<void> {
    await this.haproxy.stop();
    await Promise.all(this.instances.map((server) => server.stop()));
    for (const server of this.instances) rmSync(server.dataDir, { recursive: true, force: true });
    await Promise.all([this.s3.stop(), this.redis.stop(), this.postgres.stop()]);
  }
}
