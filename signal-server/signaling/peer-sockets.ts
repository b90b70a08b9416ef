import { WebSocket } from 'ws';

/**
 * The open signaling sockets by peer id, at most one per peer id at any
 * moment. A newer socket for a peer id terminates the older one at once
 * (whether the PeerServer holds it or it still waits, see `admit`), so
 * removal, the liveness pinger and the socket count always see every live
 * socket, whatever the timing of concurrent connects.
 */
export class PeerSockets {
  /** The newest socket of each peer id. */
  private readonly newest = new Map<string, WebSocket>();
  /**
   * Only while a peer id's socket is being replaced: resolves once the socket
   * the PeerServer held for it has closed (shared by every newcomer meanwhile).
   */
  private readonly handoffs = new Map<string, Promise<void>>();

  /** Number of open sockets. */
  get size(): number {
    return this.newest.size;
  }

  /** The newest socket of each peer id (those still waiting for their turn included). */
  values(): IterableIterator<WebSocket> {
    return this.newest.values();
  }

  /** True when a socket of `peerId` is open (or waits for its turn). */
  has(peerId: string): boolean {
    return this.newest.has(peerId);
  }

  /** True when `ws` is the newest socket of `peerId` (it was not replaced by a newer one). */
  isNewest(peerId: string, ws: WebSocket): boolean {
    return this.newest.get(peerId) === ws;
  }

  /** Terminates the socket of `peerId`, if any (and so any socket still waiting for it). */
  terminate(peerId: string): void {
    this.newest.get(peerId)?.terminate();
  }

  /**
   * Makes `ws` the socket of `peerId` and terminates the previous one. The
   * PeerServer registers a socket afresh (and sends it PeerJS's OPEN) only
   * once the socket it held for the id has closed, so `ws` waits for that.
   * A method of its own so that the close listener's scope holds only
   * `peerId` and `ws`, not the upgrade request (about 2.5 KB per socket).
   * @returns true when `ws` may be handed to the PeerServer now; false when it
   *   was superseded by a newer socket or closed while it waited.
   */
  async admit(peerId: string, ws: WebSocket): Promise<boolean> {
    const previous = this.newest.get(peerId);
    this.newest.set(peerId, ws);
    ws.on('close', () => {
      if (this.newest.get(peerId) === ws) this.newest.delete(peerId);
    });
    if (!previous) return true;
    let handedOverClosed = this.handoffs.get(peerId);
    if (!handedOverClosed) {
      // No replacement under way, so `previous` is the socket the PeerServer holds.
      handedOverClosed = closed(previous);
      this.handoffs.set(peerId, handedOverClosed);
    }
    previous.terminate();
    await handedOverClosed;
    if (this.handoffs.get(peerId) === handedOverClosed) this.handoffs.delete(peerId);
    return this.newest.get(peerId) === ws && ws.readyState === WebSocket.OPEN;
  }
}

/** Resolves once `ws` has closed (at once if it has). */
function closed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => ws.once('close', () => resolve()));
}
