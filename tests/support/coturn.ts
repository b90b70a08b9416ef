import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from './listening-process.js';
import { waitForTcp } from './tcp.js';

/** The coturn configuration shipped in the repository. */
export const COTURN_CONFIG = path.resolve(import.meta.dirname, '../../deploy/coturn/turnserver.conf');

export interface CoturnOptions {
  /** The TURN REST API shared secret (`static-auth-secret`). */
  secret: string;
  /** A config file to start from (e.g. COTURN_CONFIG); default: none (`-n`), realm `peerwatch`. */
  configFile?: string;
}

/**
 * A real coturn (Debian's `turnserver`) on 127.0.0.1 and a free port, with
 * TURN REST API auth and loopback peers allowed (tests only), logging to
 * stdout (stdout and stderr kept in `log`). Command-line options override the config file.
 */
export class Coturn {
  private readonly lines: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (process.env.TEST_SERVER_LOG) process.stdout.write(`[coturn] ${line}\n`);
      });
    }
  }

  /** `turn:127.0.0.1:<port>` over UDP and over TCP. */
  get urls(): string[] {
    return [`turn:127.0.0.1:${this.port}?transport=udp`, `turn:127.0.0.1:${this.port}?transport=tcp`];
  }

  /** Everything coturn has logged so far. */
  get log(): string {
    return this.lines.join('\n');
  }

  /**
   * Starts coturn and resolves once it accepts TCP connections on its port.
   * @throws Error when it exits or is not ready within 10 000 ms.
   */
  static async start(options: CoturnOptions): Promise<Coturn> {
    const port = await freeUdpAndTcpPort();
    const work = mkdtempSync(path.join(tmpdir(), 'peerwatch-coturn-'));
    const args = [
      ...(options.configFile ? ['-c', options.configFile] : ['-n', '--realm=peerwatch', '--fingerprint', '--no-cli']),
      '--listening-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--use-auth-secret',
      `--static-auth-secret=${options.secret}`,
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--verbose',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${path.join(work, 'turnserver.pid')}`,
      `--userdb=${path.join(work, 'turndb')}`,
    ];
    const child = spawn('turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const coturn = new Coturn(child, port);
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code) => reject(new Error(`turnserver exited with ${code}:\n${coturn.log}`))),
    );
    await Promise.race([waitForTcp(port, 10_000, 'turnserver'), exited]);
    return coturn;
  }

  /** Stops coturn (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
  }
}

/** A port free on 127.0.0.1 for both TCP and UDP (coturn listens on both). */
async function freeUdpAndTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise((resolve) => server.close(resolve));
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP');
}
