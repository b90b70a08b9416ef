import { z } from 'zod';
import { roleSchema, tokenScopeSchema } from './permissions.js';

/** Most cameras one viewer may be given (a household has far fewer). */
const MAX_CAMERAS = 100;

/** The cameras a viewer may see: device ids of the household, or null for all (now and later ones). */
export const cameraListSchema = z
  .array(z.string().min(1).max(64))
  .max(MAX_CAMERAS)
  .nullable()
  .describe('The cameras (device ids) a viewer may see; null: all of them. Owners and members always see all.');

/** Body of `POST /api/invites`. */
export const createInviteRequestSchema = z.object({
  role: roleSchema,
  deviceIds: cameraListSchema.optional().describe('For a viewer: the cameras they may see; absent or null: all.'),
});

/** Response of `POST /api/invites`: shown once; the server keeps only the token's SHA-256. */
export const inviteSchema = z
  .strictObject({
    id: z.string(),
    token: z.string().describe('One-time invite token (base64url, 256 random bits).'),
    url: z.url().describe('`<origin>/invite#<token>`: the link to send, and what its QR code encodes.'),
    expiresAtMs: z.number().int(),
  })
  .describe('A one-time invitation into the household and the link that carries it.');
export type Invite = z.infer<typeof inviteSchema>;

/** Path parameters of `DELETE /api/invites/:id`. */
export const inviteParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** Body of `POST /api/invites/accept`. */
export const acceptInviteRequestSchema = z.object({ token: z.string().min(1).max(200) });

/** Response of `POST /api/invites/accept`: the household the user now belongs to, and their role there. */
export const acceptedInviteSchema = z
  .strictObject({
    household: z.string().describe('The household’s id.'),
    role: roleSchema,
  })
  .describe('The household the user joined and their role in it.');
export type AcceptedInvite = z.infer<typeof acceptedInviteSchema>;

/** One person of the household. */
export const memberSchema = z
  .strictObject({
    userId: z.string(),
    email: z.email(),
    role: roleSchema,
    deviceIds: cameraListSchema,
  })
  .describe('A person of the household, their role and the cameras they may see.');
export type Member = z.infer<typeof memberSchema>;

/** Response of `GET /api/members`: oldest account first. */
export const memberListSchema = z.array(memberSchema).describe('The household’s people, oldest account first.');

/** Path parameters of `/api/members/:userId`. */
export const memberParamsSchema = z.object({ userId: z.string().min(1).max(64) });

/** Body of `PATCH /api/members/:userId`: what changes; absent fields stay. */
export const updateMemberRequestSchema = z.object({
  role: roleSchema.optional(),
  deviceIds: cameraListSchema.optional(),
});

/** Response of `GET /api/account`: the signed-in person, their household and what they may do there. */
export const accountSchema = memberSchema
  .extend({ household: z.string().describe('The household’s id.') })
  .describe('The signed-in person, their household, role and cameras.');
export type Account = z.infer<typeof accountSchema>;

/** Body of `POST /api/tokens`. */
export const createApiTokenRequestSchema = z.object({
  name: z.string().trim().min(1).max(60).describe('What the token is for, e.g. "Home Assistant".'),
  scopes: z.array(tokenScopeSchema).min(1).max(3),
  expiresAtMs: z.number().int().positive().optional().describe('When it stops working, ms since the epoch; never when absent.'),
});

/** An API token as listed (its secret is shown only once, when created). */
export const apiTokenSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    scopes: z.array(tokenScopeSchema),
    createdBy: z.email().describe('The owner who made it; the token never exceeds their role.'),
    createdAtMs: z.number().int(),
    expiresAtMs: z.number().int().nullable(),
    lastUsedAtMs: z.number().int().nullable(),
  })
  .describe('A long-lived API token of the household (without its secret).');
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** Response of `POST /api/tokens`: the token with its secret, shown this once (only its SHA-256 is kept). */
export const createdApiTokenSchema = apiTokenSchema
  .extend({ token: z.string().describe('`pwt_` and 43 base64url characters (256 random bits); send as `Authorization: Bearer <token>`.') })
  .describe('A new API token and its secret, shown once.');

/** Response of `GET /api/tokens`. */
export const apiTokenListSchema = z.array(apiTokenSchema).describe('The household’s API tokens, newest first.');

/** Path parameters of `DELETE /api/tokens/:id`. */
export const apiTokenParamsSchema = z.object({ id: z.string().min(1).max(64) });
