import { z } from 'zod';

/** A signed-in person. One user owns one household (account). Times in ms since the Unix epoch. */
export const userSchema = z
  .strictObject({
    id: z.string(),
    email: z.email(),
    createdAtMs: z.number().int(),
  })
  .describe('A signed-in person; one user owns one household.');
export type User = z.infer<typeof userSchema>;

/** Response of register, login and refresh. */
export const authSessionSchema = z
  .strictObject({
    user: userSchema,
    accessToken: z.string().describe('Short-lived JWT (about 15 min), sent as `Authorization: Bearer <token>`.'),
    refreshToken: z.string().describe('Opaque one-time token for `POST /api/auth/refresh`; rotated on each use.'),
    accessTokenExpiresAtMs: z.number().int().describe('When `accessToken` expires, ms since the epoch.'),
  })
  .describe('A sign-in session: the user, an access JWT and a rotating refresh token.');
export type AuthSession = z.infer<typeof authSessionSchema>;

/** The rule for a new password (registration, password change): 8 to 256 characters. */
export const newPasswordSchema = z.string().min(8, 'must be at least 8 characters').max(256);

/** Body of `POST /api/auth/register`. */
export const registerRequestSchema = z.object({
  email: z.email().max(254),
  password: newPasswordSchema,
});

/** Body of `POST /api/auth/login` (any strings: a wrong one is a 401, not a 400). */
export const loginRequestSchema = z.object({ email: z.string().max(254), password: z.string().max(256) });

/** Body of `POST /api/auth/refresh` and `POST /api/auth/logout`. */
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(256) });

/** Response of `GET /api/server` (anyone may ask, e.g. a camera before it is paired): which server this is. */
export const serverInfoSchema = z
  .strictObject({
    name: z.literal('Peerwatch'),
    version: z.string().describe("The server's version (its package.json `version`, semver)."),
    instanceId: z
      .string()
      .describe(
        "This server's random instance id (base64url), the same on every start and at every address it is reached by; pairing links carry it as `?server=`.",
      ),
  })
  .describe('Which Peerwatch server this is.');
export type ServerInfo = z.infer<typeof serverInfoSchema>;
