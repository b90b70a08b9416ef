import { z } from 'zod';
import { deviceNameProblem } from './device-name.js';

/** A camera's display name: trimmed, then `deviceNameProblem`'s rule (1–60 code points, well-formed Unicode). */
export const deviceNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = deviceNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('1–60 Unicode code points after trimming, well-formed (no lone surrogates).');

/** A camera registered to a household. Times in ms since the Unix epoch. */
export const deviceSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    peerId: z.string().describe('The PeerJS peer id the camera uses while connected to signaling.'),
    online: z.boolean().describe('True while the camera holds an open signaling connection.'),
    lastSeenAtMs: z.number().int().nullable().describe('Last time the server heard from the camera, or null if never.'),
    createdAtMs: z.number().int(),
  })
  .describe('A camera registered to a household.');
export type Device = z.infer<typeof deviceSchema>;

/** The household's cameras (`GET /api/devices`). */
export const deviceListSchema = z.array(deviceSchema).describe('The household’s cameras with their presence.');

/** Path parameter of one camera's routes. Another household's id answers 404 like an unknown one. */
export const deviceParamsSchema = z.object({ id: z.string().min(1).max(200) });

/** Body of `PATCH /api/devices/:id`. */
export const renameDeviceRequestSchema = z.object({ name: deviceNameSchema });

/** Body of `POST /api/pairings`: the new camera's name, optional. */
export const createPairingRequestSchema = z.object({ name: deviceNameSchema.optional() });

/** Response of `POST /api/pairings`. */
export const pairingSchema = z
  .strictObject({
    id: z.string(),
    token: z.string().describe('One-time pairing token (base64url, 256 random bits).'),
    url: z.url().describe('`<origin>/pair?server=<instanceId>#<token>`: what the QR code encodes.'),
    expiresAtMs: z.number().int(),
  })
  .describe('A one-time pairing code and the link its QR code carries.');
export type Pairing = z.infer<typeof pairingSchema>;

/** Body of `POST /api/pairings/claim`. */
export const claimPairingRequestSchema = z.object({
  token: z.string().min(1).max(200),
  name: deviceNameSchema.optional(),
});

/** Response of `POST /api/pairings/claim`. */
export const pairingClaimSchema = z
  .strictObject({
    device: deviceSchema,
    deviceToken: z.string().describe('Long-lived device credential, sent as `Authorization: Device <token>`.'),
  })
  .describe('The new camera and its credential.');
export type PairingClaim = z.infer<typeof pairingClaimSchema>;
