import { z } from 'zod';
import { recordingProblemSchema } from './recordings.js';

/** Hours in a camera's event strip: the last day, one bucket per hour. */
export const DASHBOARD_HOURS = 24;

/** Query of `GET /api/dashboard`. */
export const dashboardQuerySchema = z.object({
  dayStartMs: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Start of "today" for `eventsToday`, ms since the epoch (the viewer’s local midnight); default the server’s.'),
});

/** Why a camera asked to record does not: what it reported, or that it is offline. */
export const recordingBlockerSchema = z
  .union([recordingProblemSchema, z.literal('offline')])
  .describe('Why a camera asked to record does not: `offline`, or what it last reported.');
export type RecordingBlocker = z.infer<typeof recordingBlockerSchema>;

/** One camera on the dashboard. */
export const dashboardCameraSchema = z.strictObject({
  deviceId: z.string(),
  name: z.string(),
  online: z.boolean(),
  recording: z.boolean().describe('True when it is online and last reported that it records.'),
  cannotRecord: recordingBlockerSchema
    .nullable()
    .describe('Set when the household wants it to record and it does not; null otherwise.'),
  storageBytes: z.number().int().describe('Its stored recordings and event images, bytes.'),
  eventsToday: z.number().int(),
  eventsByHour: z
    .array(z.number().int())
    .length(DASHBOARD_HOURS)
    .describe('Events begun in each of the last 24 hours, oldest hour first (the last bucket ends now).'),
});
export type DashboardCamera = z.infer<typeof dashboardCameraSchema>;

/** Response of `GET /api/dashboard`: the household at a glance. */
export const dashboardSchema = z
  .strictObject({
    generatedAtMs: z.number().int(),
    cameras: z.array(dashboardCameraSchema),
    totals: z.strictObject({
      online: z.number().int(),
      offline: z.number().int(),
      recording: z.number().int(),
      eventsToday: z.number().int(),
      storageBytes: z.number().int(),
    }),
    storage: z.strictObject({
      where: z.enum(['disk', 'object-storage']),
      freeBytes: z.number().int().nullable().describe('Free space on the recordings’ disk (for the server’s user), bytes; null in object storage.'),
      diskBytes: z.number().int().nullable().describe('Size of the recordings’ disk, bytes; null in object storage.'),
      maxBytesPerCamera: z.number().int().describe('Retention: a camera’s recordings use at most this, bytes.'),
      maxAgeMs: z.number().int().describe('Retention: footage older than this is removed, ms.'),
    }),
    server: z.strictObject({
      version: z.string(),
      uptimeMs: z.number().int(),
    }),
  })
  .describe('Cameras online, offline and recording, events, storage against the disk and retention, and the server.');
export type Dashboard = z.infer<typeof dashboardSchema>;
