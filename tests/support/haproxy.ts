import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from './listening-process.js';
import { freeTcpPort, waitForTcp } from './tcp.js';

/** The haproxy configuration shipped for deployments (deploy/README.md). */
export const DEPLOY_HAPROXY_CONFIG = path.resolve(import.meta.dirname, '../../deploy/haproxy/haproxy.cfg');

/** `haproxy` on PATH, or HAPROXY_PATH. */
const HAPROXY = process.env.HAPROXY_PATH ?? 'haproxy';

/**
 * The deployment's haproxy configuration (`template`, the text of
 * deploy/haproxy/haproxy.cfg) for a test: its frontend bound to
 * 127.0.0.1:`port` instead of `*:80`, and each backend's `server` lines
 * replaced by one line per instance port (`peerwatch1` … on 127.0.0.1, with
 * the options of the backend's first `server` line). Everything else (timeouts,
 * health checks, balancing, headers) stays as deployed.
 * @throws Error when the template has no `bind *:80` line or a backend without `server` lines
 */
export function haproxyConfigFor(template: string, port: number, instancePorts: number[]): string {
  if (!/^\s*bind \*:80\s*$/m.test(template)) throw new Error('the haproxy template has no "bind *:80" line');
  const blocks = template.replace(/^(\s*)bind \*:80\s*$/m, `$1bind 127.0.0.1:${port}`).split(/^(?=backend )/m);
  return blocks
    .map((block) => {
      if (!block.startsWith('backend ')) return block;
      const first = /^(\s*)server \S+ \S+(.*)$/m.exec(block);
      if (!first) throw new Error(`haproxy backend without server lines: ${block.split('\n')[0]}`);
      const [, indent, options] = first;
      const servers = instancePorts.map((p, i) => `${indent}server peerwatch${i + 1} 127.0.0.1:${p}${options}`).join('\n');
      const lines = block.split('\n');
      const at = lines.findIndex((line) => /^\s*server /.test(line));
      return [...lines.slice(0, at), servers, ...lines.slice(at).filter((line) => !/^\s*server /.test(line))].join('\n');
    })
    .join('');
}

/**
 * Runs `haproxy -c -f <file>` (haproxy's own configuration check).
 * @returns its exit status and everything it printed
 */
export function checkHaproxyConfig(file: string): { status: number | null; output: string } {
  const result = spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * A real haproxy process (Debian's `haproxy` package) in the foreground on a
 * free loopback port, with the deployment's configuration pointed at the
 * given instance ports (`haproxyConfigFor`). Its log is kept (`log`); set
 * TEST_SERVER_LOG to see it as it comes.
 */
export class Haproxy {
  private readonly lines: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** The configuration file it runs. */
    readonly configFile: string,
  ) {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (process.env.TEST_SERVER_LOG) process.stdout.write(`[haproxy] ${line}\n`);
      });
    }
  }

  get baseURL(): string {
    return `http://localhost:${this.port}`;
  }

  /** Everything haproxy has logged so far (one line per request, state changes of servers). */
  get log(): string {
    return this.lines.join('\n');
  }

  /**
   * Checks the generated configuration with `haproxy -c`, then starts haproxy
   * and resolves once it accepts connections.
   * @throws Error when the configuration is refused, or haproxy exits or does not listen within 10 000 ms
   */
  static async start(instancePorts: number[]): Promise<Haproxy> {
    const port = await freeTcpPort();
    const configFile = path.join(mkdtempSync(path.join(tmpdir(), 'peerwatch-haproxy-')), 'haproxy.cfg');
    writeFileSync(configFile, haproxyConfigFor(readFileSync(DEPLOY_HAPROXY_CONFIG, 'utf8'), port, instancePorts));
    const check = checkHaproxyConfig(configFile);
    if (check.status !== 0) throw new Error(`haproxy refused ${configFile}:\n${check.output}`);
    const child = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const proxy = new Haproxy(child, port, configFile);
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code) => reject(new Error(`haproxy exited with ${code}:\n${proxy.log}`))),
    );
    await Promise.race([waitForTcp(port, 10_000, 'haproxy'), exited]);
    return proxy;
  }

  /** Stops haproxy (SIGTERM: at once, cutting open connections) and waits for it to exit. */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
  }
}
