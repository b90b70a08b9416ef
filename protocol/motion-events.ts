import { z } from 'zod';
import { decimalMs, recordingIdSchema } from './recordings.js';

// Camera events: a camera's motion detector notices something (motion, or a
// person where the person model runs) and reports it as a motion event, with a
// snapshot at the peak and a small thumbnail. The camera makes the event's id,
// so that a retry (or a camera that was offline) never makes a second event.

/** An event id, made by the camera: 16–64 characters `[A-Za-z0-9_-]` (e.g. 128 random bits, base64url). */
export const motionEventIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** What the camera saw: any motion, or a person (its person model found one). */
export const motionEventKindSchema = z.enum(['motion', 'person']);
export type MotionEventKind = z.infer<typeof motionEventKindSchema>;

/** The two images of an event: `snapshot` (full size, at the peak) and `thumbnail` (about 180 px high). */
export const motionImageSchema = z.enum(['snapshot', 'thumbnail']);
export type MotionImage = z.infer<typeof motionImageSchema>;

const unit = z.number().min(0).max(1);

/** Bounding box of the motion, in normalised frame coordinates (0..1, origin top left); it lies inside the frame. */
export const motionBoxSchema = z
  .strictObject({ x: unit, y: unit, width: unit, height: unit })
  .refine((box) => box.x + box.width <= 1 + 1e-9 && box.y + box.height <= 1 + 1e-9, 'the box must lie inside the frame')
  .describe('Bounding box of the motion, normalised 0..1 (x, y = top left corner).');
export type MotionBox = z.infer<typeof motionBoxSchema>;

/** Body of `PUT /api/events/:eventId`: the whole event as the camera knows it now. */
export const motionEventWriteSchema = z
  .strictObject({
    kind: motionEventKindSchema,
    startedAtMs: z.number().int().nonnegative().describe('When the event started, camera clock, ms since the epoch.'),
    endedAtMs: z.number().int().nonnegative().nullable().describe('When it ended; null while it goes on.'),
    score: z.number().min(0).max(1).describe('Peak score, 0..1 (changed area, or the person model’s confidence).'),
    box: motionBoxSchema,
    recordingId: recordingIdSchema.optional().describe('The recording the camera is writing while the event starts, if any.'),
    footageOffsetMs: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Where the event starts in that recording, ms from its start, if the camera knows.'),
    cameraClockMs: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'The camera’s clock just before sending, ms since the epoch. When it differs from the server’s by more than a few seconds, the event’s times are moved onto the server’s clock (as chunk starts are), so they match its footage.',
      ),
  })
  .refine((event) => event.endedAtMs === null || event.endedAtMs >= event.startedAtMs, {
    message: 'must not be before startedAtMs',
    path: ['endedAtMs'],
  })
  .describe('An event as the camera reports it (idempotent by the event id).');
export type MotionEventWrite = z.infer<typeof motionEventWriteSchema>;

/** An event as stored: what the camera reported, whose camera it is, and whether the household has seen it. */
export const motionEventRecordSchema = z
  .strictObject({
    id: z.string(),
    deviceId: z.string(),
    kind: motionEventKindSchema,
    startedAtMs: z.number().int(),
    endedAtMs: z.number().int().nullable(),
    score: z.number(),
    box: motionBoxSchema,
    seenAtMs: z.number().int().nullable().describe('When someone of the household opened it; null while unseen.'),
  })
  .describe('A camera event as stored.');
export type MotionEventRecord = z.infer<typeof motionEventRecordSchema>;

/** Which recording covers the start of an event, and where in it the event starts. */
export const motionFootageSchema = z
  .strictObject({
    recordingId: z.string(),
    offsetMs: z.number().int().nonnegative().describe('From the recording’s start to the event’s start, ms.'),
  })
  .describe('The recording that covers the event’s start.');
export type MotionFootage = z.infer<typeof motionFootageSchema>;

/** One event of `GET /api/events`, with short-lived image links and its footage. */
export const motionEventSchema = motionEventRecordSchema
  .extend({
    thumbnailUrl: z.url().nullable().describe('The thumbnail with a short-lived `?token=`; null until uploaded.'),
    snapshotUrl: z.url().nullable().describe('The snapshot with a short-lived `?token=`; null until uploaded.'),
    footage: motionFootageSchema.nullable().describe('Null when no stored recording covers the event’s start.'),
  })
  .describe('A camera event with its image links and footage.');
export type MotionEvent = z.infer<typeof motionEventSchema>;

/** Largest page of `GET /api/events`. */
export const MAX_EVENT_PAGE = 200;

/** Query of `GET /api/events`: filters, page size and the cursor of the next page. */
export const motionEventListQuerySchema = z.object({
  deviceId: z.string().max(200).optional(),
  kind: motionEventKindSchema.optional(),
  from: decimalMs(Number.MAX_SAFE_INTEGER).optional().describe('Keep events that started at or after this, ms since the epoch.'),
  to: decimalMs(Number.MAX_SAFE_INTEGER).optional().describe('Keep events that started at or before this, ms since the epoch.'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number')
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= MAX_EVENT_PAGE, `must be 1–${MAX_EVENT_PAGE}`)
    .optional()
    .describe(`Events per page, 1–${MAX_EVENT_PAGE} (default 50).`),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a nextCursor of an earlier page')
    .optional()
    .describe('The `nextCursor` of the page before (opaque).'),
});

/** Response of `GET /api/events`: a page of events, newest first. */
export const motionEventPageSchema = z
  .strictObject({
    events: z.array(motionEventSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page.'),
  })
  .describe('A page of camera events, newest first.');
export type MotionEventPage = z.infer<typeof motionEventPageSchema>;

/** Path parameter of an event's routes. */
export const motionEventParamsSchema = z.object({ eventId: motionEventIdSchema });

/** Query of the image routes: the image token, unless an `Authorization` header is sent. */
export const motionImageQuerySchema = z.object({
  token: z.string().max(2000).optional().describe('The token of an image URL from `GET /api/events`.'),
});

/** Response of an image upload: 201 stored now (durable on disk), 200 the same bytes were stored already. */
export const motionImageReceiptSchema = z
  .strictObject({
    eventId: z.string(),
    image: motionImageSchema,
    contentType: z.enum(['image/jpeg', 'image/webp']),
    sizeBytes: z.number().int(),
    sha256: z.string().describe('SHA-256 of the stored bytes, lowercase hex.'),
  })
  .describe('What the server stored for an event image.');
export type MotionImageReceipt = z.infer<typeof motionImageReceiptSchema>;

/**
 * A camera event began (`motion-started`), found a person while it went on
 * (`motion-updated`: its kind turned from `motion` to `person`), or ended
 * (`motion-ended`), on the household's live stream.
 */
export const motionStartedEventSchema = z.strictObject({ type: z.literal('motion-started'), event: motionEventRecordSchema });
export const motionUpdatedEventSchema = z.strictObject({ type: z.literal('motion-updated'), event: motionEventRecordSchema });
export const motionEndedEventSchema = z.strictObject({ type: z.literal('motion-ended'), event: motionEventRecordSchema });
