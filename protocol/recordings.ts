import { z } from 'zod';

// A camera records fragmented MP4: chunk 0 of a recording is the init segment
// (ftyp+moov); each later chunk is one or more whole fragments (moof+mdat) with
// continuous timestamps, so init + chunks form an fMP4 HLS stream (RFC 8216
// §4.3.2.5 EXT-X-MAP). A camera starts a new recording (new id) every 10 minutes
// at most and uploads its chunks in seq order, retrying anything without a 2xx answer.

/** Largest chunk seq a camera may upload. */
export const MAX_CHUNK_SEQ = 1_000_000;
/** Longest media a chunk may hold, ms. */
export const MAX_CHUNK_DURATION_MS = 3_600_000;

/** A recording id, made by the camera: 16–64 characters `[A-Za-z0-9_-]` (e.g. 128 random bits, base64url). */
export const recordingIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** A decimal whole number of ms in a query or header, read as a number. */
export const decimalMs = (max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a whole number of ms')
    .transform(Number)
    .refine((value) => value <= max, `must be at most ${max}`);

/** Path parameters of a chunk upload. */
export const chunkParamsSchema = z.object({
  recordingId: recordingIdSchema,
  seq: z
    .string()
    .regex(/^\d{1,7}$/)
    .transform(Number)
    .refine((seq) => seq <= MAX_CHUNK_SEQ)
    .describe('0 for the init segment, then 1, 2, … (0–1 000 000).'),
});

/**
 * Request headers of a chunk upload (lowercase: HTTP header names are
 * case-insensitive, RFC 9110 §5.1), besides `Authorization: Device <token>`
 * and `Content-Type: application/octet-stream`.
 */
export const chunkUploadHeadersSchema = z.object({
  'x-chunk-sha256': z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the body in hex')
    .transform((hex) => hex.toLowerCase())
    .describe('SHA-256 of the body, 64 hex digits.'),
  'x-chunk-start-ms': decimalMs(Number.MAX_SAFE_INTEGER).describe(
    'Start of the chunk’s media, camera clock, ms since the epoch. For seq 0: the recording’s start.',
  ),
  'x-chunk-duration-ms': decimalMs(MAX_CHUNK_DURATION_MS).describe(
    'Duration of the chunk’s media, ms (0–3 600 000). 0 for the init segment.',
  ),
  'x-recording-final': z
    .enum(['0', '1'])
    .optional()
    .describe(
      '`1` on the recording’s last chunk: the recording is closed, and its playlist becomes VOD once every chunk up to it is stored.',
    ),
  'x-camera-clock-ms': decimalMs(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe(
      'The camera’s clock just before sending, ms since the epoch. When it differs from the server’s by more than a few seconds, the chunk’s start is moved onto the server’s clock.',
    ),
});
/** The chunk upload headers as a camera sends them (names as in the schema, values as strings). */
export type ChunkUploadHeaders = z.input<typeof chunkUploadHeadersSchema>;

/** Response of a chunk upload: 201 stored now (durable on disk), 200 the same bytes were stored already. */
export const chunkReceiptSchema = z
  .strictObject({
    recordingId: z.string(),
    seq: z.number().int(),
    sizeBytes: z.number().int(),
    sha256: z.string().describe('SHA-256 of the stored bytes, lowercase hex.'),
  })
  .describe('What the server stored for a chunk.');
export type ChunkReceipt = z.infer<typeof chunkReceiptSchema>;

/** Query of `GET /api/recordings`: one camera's, and/or those overlapping [from, to] (ms since the epoch). */
export const recordingListQuerySchema = z.object({
  deviceId: z.string().max(200).optional(),
  from: decimalMs(Number.MAX_SAFE_INTEGER).optional(),
  to: decimalMs(Number.MAX_SAFE_INTEGER).optional(),
});

/** One recording of `GET /api/recordings`. */
export const recordingSummarySchema = z
  .strictObject({
    id: z.string(),
    deviceId: z.string().describe('The camera that recorded it (it may have been removed since).'),
    startedAtMs: z.number().int().describe('Start of the earliest stored chunk, camera clock.'),
    durationMs: z.number().int().describe('From the earliest stored chunk’s start to the latest one’s end, ms.'),
    sizeBytes: z.number().int().describe('Stored bytes, init segment included.'),
    chunkCount: z.number().int().describe('Stored chunks, init segment included.'),
    complete: z.boolean().describe('True once the final chunk is marked and every chunk up to it is stored.'),
  })
  .describe('One recording.');
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

/** Recordings, newest first. */
export const recordingListSchema = z.array(recordingSummarySchema).describe('Recordings, newest first.');

/** Path parameter of one recording's routes. A malformed or another household's id answers 404. */
export const recordingParamsSchema = z.object({ id: recordingIdSchema });

/** Path parameters of one HLS segment: chunk 1, 2, … */
export const segmentParamsSchema = z.object({
  id: recordingIdSchema,
  seq: z
    .string()
    .regex(/^[1-9]\d{0,6}$/)
    .transform(Number),
});

/** Query of the media routes: the playback token, unless an `Authorization` header is sent. */
export const mediaQuerySchema = z.object({
  token: z.string().max(2000).optional().describe('The playback token from `GET /api/recordings/{id}/playback`.'),
});

/**
 * Response of `GET /api/recordings/:id/playback`: URLs with a short-lived token
 * scoped to this recording, for players that cannot send headers (hls.js, ffmpeg).
 * The playlist is an HLS media playlist (RFC 8216, `#EXT-X-VERSION:7`, `#EXT-X-MAP`
 * init.mp4, one `segments/<seq>.m4s` per chunk 1, 2, … up to the first one missing;
 * `EVENT` while it may grow, `VOD` + `#EXT-X-ENDLIST` once closed). `downloadUrl`
 * serves the recording as one fragmented MP4 file (ISO/IEC 14496-12 §8.8).
 */
export const recordingPlaybackSchema = z
  .strictObject({
    playlistUrl: z.url(),
    downloadUrl: z.url(),
    expiresAtMs: z.number().int().describe('Ask again for new URLs before then.'),
  })
  .describe('Playback and download links of a recording, with a short-lived token.');
export type RecordingPlayback = z.infer<typeof recordingPlaybackSchema>;

/**
 * Why a camera that is asked to record does not: `storage-low` (its storage is
 * almost full; it resumes by itself once uploads have made room), `cannot-record`
 * (its browser cannot record a format that plays back), `recorder-failed`
 * (recording failed on the camera; its screen says why).
 */
export const recordingProblemSchema = z
  .enum(['storage-low', 'cannot-record', 'recorder-failed', 'paused'])
  .describe('`paused`: the camera is paused (privacy) and records nothing until resumed.');
export type RecordingProblem = z.infer<typeof recordingProblemSchema>;

/** A camera's remote recording control: the household's wish and what the camera last reported. */
export const recordingStateSchema = z
  .strictObject({
    deviceId: z.string(),
    enabled: z.boolean().describe('True when the household wants this camera to record.'),
    recording: z.boolean().describe('True when the camera last reported that it is recording.'),
    problem: recordingProblemSchema
      .nullable()
      .describe('Why the camera does not record although asked to, as it last reported; null otherwise.'),
    reportedAtMs: z.number().int().nullable().describe('When the camera last reported, or null if never.'),
  })
  .describe('A camera’s recording wish and what it last reported.');
export type RecordingState = z.infer<typeof recordingStateSchema>;

/** Body of `PUT /api/devices/:id/recording` and `PUT /api/devices/me/recording`: the "Record" switch. */
export const recordingWishRequestSchema = z.object({ enabled: z.boolean() });

/** Body of `PUT /api/devices/me/recording-status`: what the camera does, and why not when asked to record. */
export const recordingReportRequestSchema = z.object({
  recording: z.boolean(),
  problem: recordingProblemSchema.nullable().default(null),
});
