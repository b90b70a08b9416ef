import type { WebSocket } from 'ws';
import type { SignalingTicket } from '../../protocol/index.js';
import { openPeerSocket } from '../../bench/support/peer-socket.js';
import type { PairedCamera } from './recording-client.js';
import type { TestServer } from './server.js';

/** A camera's open signaling socket (the `ws` client speaking PeerJS): while it is open, the camera is online. */
export interface CameraSocket {
  /** Closes the socket, as a camera that loses its network or closes its page; resolves once it is closed. */
  close(): Promise<void>;
}

/**
 * Brings a paired camera online: a signaling ticket with its credential
 * (`POST /api/signaling/tickets`), then its PeerJS socket, until the server says OPEN.
 * @throws Error when the ticket or the socket is refused
 */
export async function connectCamera(server: TestServer, camera: PairedCamera): Promise<CameraSocket> {
  const res = await server.request('POST', '/api/signaling/tickets', { auth: camera.auth, body: {} });
  if (res.status !== 201) throw new Error(`ticket: ${res.status}`);
  const { peerId, ticket, path, key } = res.body as SignalingTicket;
  const query = new URLSearchParams({ key, id: peerId, token: ticket });
  const ws: WebSocket = await openPeerSocket(`ws://127.0.0.1:${server.port}${path}/peerjs?${query}`, { timeoutMs: 5_000 });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
