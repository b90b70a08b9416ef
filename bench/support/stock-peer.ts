import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnListening, stopChild } from '../../tests/support/listening-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** PeerJS API key of a stock PeerServer. */
export const STOCK_KEY = 'peerjs';

/**
 * `ws://` URL of a signaling socket for `id` on a stock PeerServer at
 * 127.0.0.1:`port` (PeerJS server protocol: `<path>peerjs?key=&id=&token=`).
 */
export function stockSocketUrl(port: number, id: string, token: string): string {
  const query = new URLSearchParams({ key: STOCK_KEY, id, token });
  return `ws://127.0.0.1:${port}/peerjs?${query}`;
}

/** A running stock PeerServer process (see stock-peer-server.ts). */
export class StockPeerServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** @param concurrentLimit sockets it accepts at most; PeerServer's default (5 000) when omitted. */
  static async start(concurrentLimit?: number): Promise<StockPeerServer> {
    const { child, port } = await spawnListening(path.join(ROOT, 'bench/support/stock-peer-server.ts'), {
      cwd: ROOT,
      label: 'stock peer',
      env: { ...process.env, PORT: '0', ...(concurrentLimit ? { CONCURRENT_LIMIT: String(concurrentLimit) } : {}) },
    });
    return new StockPeerServer(child, port);
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
  }
}
