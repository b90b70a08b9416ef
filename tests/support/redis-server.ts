import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild } from './listening-process.js';
import { freeTcpPort, waitForTcp } from './tcp.js';

/**
 * A throwaway Redis server (Debian's `redis-server`, package
 * `redis-server`) on 127.0.0.1 and a free port, with no persistence
 * (`--save ''`, `--appendonly no`). `stop()` and `start()` again keep the
 * port, e.g. to take Redis away for a while and bring it back.
 */
export class RedisServer {
  private child: ChildProcess | null = null;
  private readonly lines: string[] = [];

  private constructor(readonly port: number) {}

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Everything the server has logged so far. */
  get log(): string {
    return this.lines.join('\n');
  }

  /**
   * Starts a Redis server on a free port.
   * @throws Error when it exits or is not ready within 10 000 ms
   */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freeTcpPort());
    await server.start();
    return server;
  }

  /** Starts the server (again) on its port; a no-op while it runs. */
  async start(): Promise<void> {
    if (this.child) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (process.env.TEST_SERVER_LOG) process.stdout.write(`[redis] ${line}\n`);
      });
    }
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${this.log}`))),
    );
    await Promise.race([waitForTcp(this.port, 10_000, 'redis-server'), exited]);
  }

  /** Stops the server (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await stopChild(child, 'SIGTERM');
  }
}
