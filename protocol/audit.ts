import { z } from 'zod';
import { decimalMs } from './recordings.js';

// The audit log: what people (and their API tokens and cameras) did in a
// household, as the server saw it. Rows are written by the server only; the
// owners read them a page at a time and export them as CSV.

/** What happened. */
export const AUDIT_KINDS = [
  'sign-in',
  'sign-in-failed',
  'live-view-started',
  'live-view-ended',
  'recording-played',
  'recording-downloaded',
  'event-opened',
  'camera-paired',
  'camera-renamed',
  'camera-removed',
  'camera-settings-changed',
  'camera-controls-changed',
  'recording-mode-changed',
  'member-changed',
  'member-removed',
  'member-left',
  'invite-created',
  'invite-accepted',
  'invite-revoked',
  'token-created',
  'token-used',
  'token-revoked',
] as const;
export const auditKindSchema = z.enum(AUDIT_KINDS).describe('What happened.');
export type AuditKind = z.infer<typeof auditKindSchema>;

/** Who did it: a person in a sign-in session, a person through an API token, a camera, or nobody signed in (a failed sign-in). */
export const auditActorKindSchema = z.enum(['user', 'token', 'device', 'nobody']);
export type AuditActorKind = z.infer<typeof auditActorKindSchema>;

export const auditActorSchema = z
  .strictObject({
    kind: auditActorKindSchema,
    userId: z.string().nullable().describe('The person (for `token`, the token’s owner); null for a camera or nobody.'),
    email: z.string().nullable().describe('Their email then; for a failed sign-in, the email that was tried.'),
    tokenId: z.string().nullable().describe('The API token used, for `token`.'),
  })
  .describe('Who did it.');
export type AuditActor = z.infer<typeof auditActorSchema>;

/** One row of the audit log. */
export const auditEventSchema = z
  .strictObject({
    id: z.string(),
    atMs: z.number().int().describe('When, server clock, ms since the epoch.'),
    kind: auditKindSchema,
    actor: auditActorSchema,
    deviceId: z.string().nullable().describe('The camera it was about, if any.'),
    details: z
      .record(z.string(), z.unknown())
      .describe('More about it, by kind: e.g. `durationMs` of a live view, `name` of a camera, `role` of a member.'),
    address: z.string().nullable().describe('The client’s IP address, as the server saw it.'),
    userAgent: z.string().nullable().describe('The client’s `User-Agent`.'),
  })
  .describe('One row of the audit log.');
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** Most rows of one page of `GET /api/audit`. */
export const MAX_AUDIT_PAGE = 200;

/** The filters of `GET /api/audit` and `GET /api/audit.csv`. */
export const auditFilterQuerySchema = z.object({
  personId: z.string().max(200).optional().describe('Only rows of this person (user id; for tokens, their owner).'),
  deviceId: z.string().max(200).optional().describe('Only rows about this camera.'),
  kind: auditKindSchema.optional(),
  fromMs: decimalMs(Number.MAX_SAFE_INTEGER).optional().describe('Only rows at or after this, ms since the epoch.'),
  toMs: decimalMs(Number.MAX_SAFE_INTEGER).optional().describe('Only rows at or before this, ms since the epoch.'),
});
export type AuditFilter = z.infer<typeof auditFilterQuerySchema>;

/** Query of `GET /api/audit`: the filters and the page. */
export const auditListQuerySchema = auditFilterQuerySchema.extend({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number')
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= MAX_AUDIT_PAGE, `must be 1–${MAX_AUDIT_PAGE}`)
    .optional()
    .describe(`Rows per page, 1–${MAX_AUDIT_PAGE} (default 50).`),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a nextCursor of an earlier page')
    .optional()
    .describe('The `nextCursor` of the page before (opaque).'),
});

/** Response of `GET /api/audit`: a page of rows, newest first. */
export const auditPageSchema = z
  .strictObject({
    events: z.array(auditEventSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page.'),
  })
  .describe('A page of the audit log, newest first.');
export type AuditPage = z.infer<typeof auditPageSchema>;

/** Body of `POST /api/live-views/hang-up`: which camera the viewer page stopped watching. */
export const hangUpRequestSchema = z.strictObject({
  peerId: z.string().min(1).max(200).describe('The viewer page’s own signaling peer id.'),
  deviceId: z.string().min(1).max(200).describe('The camera it hung up on.'),
});

/** The columns of `GET /api/audit.csv`, in order (RFC 4180, a header row first). */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'time',
  'atMs',
  'kind',
  'actorKind',
  'userId',
  'email',
  'tokenId',
  'deviceId',
  'durationMs',
  'address',
  'userAgent',
  'details',
] as const;
