import { z } from 'zod';
import { newPasswordSchema } from './accounts.js';

/** Body of `PUT /api/account/password`: the current password confirms the change. */
export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().max(256),
  newPassword: newPasswordSchema,
});

/** Body of `DELETE /api/account`: the password confirms the deletion. */
export const deleteAccountRequestSchema = z.object({ password: z.string().max(256) });

/** One of the signed-in person's active sign-in sessions (a browser where they are signed in). */
export const accountSessionSchema = z
  .strictObject({
    id: z.string(),
    createdAtMs: z.number().int().nullable().describe('When it signed in; null for sessions older than this record.'),
    lastUsedAtMs: z
      .number()
      .int()
      .nullable()
      .describe('When it last signed in or renewed its access token (about every 15 min while open); null when unknown.'),
    address: z.string().nullable().describe('The client address it last came from, as the server saw it.'),
    browser: z.string().nullable().describe('Browser and system read from its User-Agent, e.g. "Chrome 131 on Android".'),
    current: z.boolean().describe('True for the session that asks (this device).'),
  })
  .describe('A sign-in session of the signed-in person.');
export type AccountSession = z.infer<typeof accountSessionSchema>;

/** Response of `GET /api/account/sessions`, newest use first. */
export const accountSessionListSchema = z.array(accountSessionSchema);

/** Path parameters of `DELETE /api/account/sessions/:id`. */
export const accountSessionParamsSchema = z.object({ id: z.string().min(1).max(64) });
