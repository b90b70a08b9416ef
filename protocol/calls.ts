import { z } from 'zod';

/** Body of `POST /api/signaling/tickets`: a viewer may send its current peer id back to keep it. */
export const signalingTicketRequestSchema = z.object({ peerId: z.string().max(200).optional() });

/** Response of `POST /api/signaling/tickets`. */
export const signalingTicketSchema = z
  .strictObject({
    peerId: z.string().describe('The peer id the caller must open its PeerJS socket with.'),
    ticket: z.string().describe('Short-lived token passed as the PeerJS `token` query parameter.'),
    expiresAtMs: z.number().int(),
    path: z.string().describe('Path the PeerServer is mounted at (PeerJS `path` option).'),
    key: z.string().describe('PeerJS API key.'),
  })
  .describe('A short-lived ticket to open a PeerJS signaling socket.');
export type SignalingTicket = z.infer<typeof signalingTicketSchema>;

/** RTCIceServer as JSON (RFC 8445; W3C WebRTC §4.2.2 `RTCIceServer`). */
export const iceServerSchema = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type RTCIceServerLike = z.infer<typeof iceServerSchema>;

/** `RTCConfiguration.iceTransportPolicy` (W3C WebRTC §4.2.1): `relay` = TURN candidates only. */
export const iceTransportPolicySchema = z.enum(['all', 'relay']);

/** Response of `GET /api/ice-servers`. */
export const iceServersResponseSchema = z
  .strictObject({
    iceServers: z.array(iceServerSchema),
    expiresAtMs: z
      .number()
      .int()
      .nullable()
      .describe('When the credentials inside expire (refetch before then); null if none expire.'),
    iceTransportPolicy: iceTransportPolicySchema.describe(
      'For every peer connection: `relay` when the server wants media through TURN only (peers then never see each other’s IP addresses).',
    ),
  })
  .describe('STUN/TURN servers for the next peer connection, with a TURN credential of the caller’s own.');
export type IceServersResponse = z.infer<typeof iceServersResponseSchema>;
