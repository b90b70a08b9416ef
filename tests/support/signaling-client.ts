import type { WebSocket } from 'ws';
import type { SignalingTicket } from '../../protocol/index.js';
import { openPeerSocket, type ServerMessage } from '../../bench/support/peer-socket.js';
import type { ApiServer } from './server.js';

/** An open signaling socket and every message it received after OPEN. */
export interface SignalingSocket {
  ws: WebSocket;
  peerId: string;
  received: ServerMessage[];
  closed: Promise<void>;
}

/**
 * Opens a PeerJS signaling socket (the `ws` client speaking the PeerJS
 * protocol) with a ticket for `auth` (a user's or a camera's Authorization);
 * a viewer may ask to keep its peer id (`keepPeerId`) (a page reconnecting).
 * @throws Error when the ticket or the socket is refused
 */
export async function openSignalingSocket(server: ApiServer, auth: string, keepPeerId?: string): Promise<SignalingSocket> {
  const res = await server.request('POST', '/api/signaling/tickets', { auth, body: keepPeerId ? { peerId: keepPeerId } : {} });
  if (res.status !== 201) throw new Error(`ticket: ${res.status} ${JSON.stringify(res.body)}`);
  const { peerId, ticket, path, key } = res.body as SignalingTicket;
  const received: ServerMessage[] = [];
  const query = new URLSearchParams({ key, id: peerId, token: ticket });
  const ws = await openPeerSocket(`ws://127.0.0.1:${server.port}${path}/peerjs?${query}`, {
    timeoutMs: 10_000,
    onMessage: (message) => received.push(message),
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  return { ws, peerId, received, closed };
}

/** A PeerJS media OFFER to peer `dst` (PeerJS protocol: `payload.type` `media`), as a viewer calling a camera sends it. */
export const offerTo = (dst: string, connectionId = 'mc_1') =>
  JSON.stringify({ type: 'OFFER', dst, payload: { sdp: { type: 'offer', sdp: 'v=0' }, type: 'media', connectionId } });
