import type { SignalingTicket } from '../../protocol/index.js';

/**
 * Mints a signaling ticket: `POST /api/signaling/tickets`. A user gets a new
 * viewer peer id on every call; a camera (`Device <token>`) gets its own.
 * @param baseURL e.g. `http://127.0.0.1:8080`
 * @param authorization `Bearer <access JWT>` or `Device <device token>`
 * @throws Error on any status but 201
 */
export async function mintTicket(baseURL: string, authorization: string): Promise<SignalingTicket> {
  const res = await fetch(`${baseURL}/api/signaling/tickets`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 201) throw new Error(`ticket: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as SignalingTicket;
}

/** `ws://` URL of the PeerJS socket a ticket opens (PeerJS server protocol: `<path>/peerjs?key=&id=&token=`). */
export function signalingUrl(baseURL: string, ticket: SignalingTicket): string {
  const query = new URLSearchParams({ key: ticket.key, id: ticket.peerId, token: ticket.ticket });
  return `${baseURL.replace(/^http/, 'ws')}${ticket.path}/peerjs?${query}`;
}
