import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { stopChild } from './listening-process.js';
import { freeTcpPort, waitForTcp } from './tcp.js';

/**
 * Debian's PostgreSQL server binaries (package `postgresql`): the newest
 * `/usr/lib/postgresql/<version>/bin`, or `PG_BIN`.
 * @throws Error when none is installed
 */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no PostgreSQL server in ${root}: install the Debian package postgresql`);
  return path.join(root, versions[0], 'bin');
}

/**
 * PostgreSQL refuses to run as root: as root the server runs as Debian's
 * `postgres` user, through `setpriv`, which execs the command itself (so
 * signals reach the server; `runuser` would stay in between).
 */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]];
}

/**
 * A throwaway PostgreSQL server (Debian's binaries) on 127.0.0.1 and a free
 * port: a new cluster in a temporary folder (`initdb`, trust authentication
 * for the superuser `peerwatch`), durability off for speed (`fsync`,
 * `synchronous_commit`, `full_page_writes`), removed by `stop()`. Each test
 * takes a database of its own (`newDatabase()`).
 */
export class PostgresServer {
  private readonly lines: string[] = [];
  private databases = 0;

  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    readonly port: number,
  ) {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      this.lines.push(line);
      if (process.env.TEST_SERVER_LOG) process.stdout.write(`[postgres] ${line}\n`);
    });
  }

  /** Everything the server has logged so far. */
  get log(): string {
    return this.lines.join('\n');
  }

  /** The URL of database `name` (`postgres://peerwatch@127.0.0.1:<port>/<name>`). */
  url(name: string): string {
    return `postgres://peerwatch@127.0.0.1:${this.port}/${name}`;
  }

  /**
   * Starts a new cluster and resolves once it accepts connections.
   * @throws Error when `initdb` fails or the server is not ready within 20 000 ms
   */
  static async start(): Promise<PostgresServer> {
    const bin = postgresBin();
    const folder = mkdtempSync(path.join(tmpdir(), 'peerwatch-postgres-'));
    if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', folder]);
    const data = path.join(folder, 'data');
    const [initdb, initArgs] = asServerUser(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'peerwatch',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr}`);
    const port = await freeTcpPort();
    const [postgres, args] = asServerUser(path.join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      folder,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ]);
    const child = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const server = new PostgresServer(child, folder, port);
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code) => reject(new Error(`postgres exited with ${code}:\n${server.log}`))),
    );
    await Promise.race([waitForTcp(port, 20_000, 'postgres'), exited]);
    await Promise.race([server.ready(), exited]);
    return server;
  }

  /** Waits until the server answers a query (it listens before it accepts sessions). */
  private async ready(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = new pg.Client({ connectionString: this.url('postgres') });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  /** Creates an empty database and returns its URL. */
  async newDatabase(prefix = 'peerwatch'): Promise<string> {
    const name = `${prefix}_${process.pid}_${++this.databases}`;
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server (fast shutdown, SIGINT) and removes its cluster. */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGINT');
    rmSync(this.folder, { recursive: true, force: true });
  }
}

