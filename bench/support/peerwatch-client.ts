import type { AuthSession, PairingClaim, Pairing, SignalingTicket } from '../../signal-server/api-types.js';
import type { TestServer } from '../../tests/support/server.js';

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

/** A paired camera's identity. */
export interface PairedCamera {
  deviceId: string;
  /** Value for the Authorization header: `Device <token>`. */
  authorization: string;
}

/**
 * Pairs a new camera to the session's household the way the PWA does:
 * `POST /api/pairings` as the user, then `POST /api/pairings/claim` with the token.
 * @throws Error on any unexpected status
 */
export async function pairCamera(server: TestServer, session: AuthSession, name: string): Promise<PairedCamera> {
  const created = await server.request('POST', '/api/pairings', { body: { name }, auth: `Bearer ${session.accessToken}` });
  if (created.status !== 201) throw new Error(`pairing: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const { token } = created.body as Pairing;
  const claimed = await server.request('POST', '/api/pairings/claim', { body: { token } });
  if (claimed.status !== 201) throw new Error(`claim: HTTP ${claimed.status} ${JSON.stringify(claimed.body)}`);
  const claim = claimed.body as PairingClaim;
  return { deviceId: claim.device.id, authorization: `Device ${claim.deviceToken}` };
}
