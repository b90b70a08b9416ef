import { z } from 'zod';
import { MAX_ZONE_POINTS, MAX_ZONES, QUIET_PERIOD_RANGE_MS, ROLL_RANGE_MS } from './camera-settings-limits.js';

export * from './camera-settings-limits.js';

// A camera's settings, kept on the server and pushed to the camera: how it
// watches for motion (on/off, sensitivity, zones, person detection, the quiet
// period that ends an event) and how it records (off, always, or around events
// with a pre-roll and a post-roll).

/** How readily the camera reports motion. */
export const sensitivitySchema = z.enum(['low', 'medium', 'high']);
export type Sensitivity = z.infer<typeof sensitivitySchema>;


const unit = z.number().min(0).max(1);

/** A corner of a zone in normalised picture coordinates: 0..1 from the left and from the top edge. */
export const zonePointSchema = z.strictObject({ x: unit, y: unit });

/**
 * A zone drawn on the camera's picture: a polygon (3–32 corners, normalised).
 * `ignore` zones are never analysed; where there are `only` zones, nothing
 * outside them is.
 */
export const zoneSchema = z
  .strictObject({
    kind: z.enum(['ignore', 'only']),
    points: z.array(zonePointSchema).min(3).max(MAX_ZONE_POINTS),
  })
  .describe('A polygon on the picture, normalised 0..1: `ignore` (never analysed) or `only` (only these are analysed).');
export type ZoneSetting = z.infer<typeof zoneSchema>;

/**
 * How the camera records: `off`; `always` (continuous recording); `events`
 * (only around events: from `preRollMs` before an event starts until
 * `postRollMs` after it ends; what lies outside is dropped on the camera).
 */
export const recordingModeSchema = z.enum(['off', 'always', 'events']);
export type RecordingMode = z.infer<typeof recordingModeSchema>;


const ms = (range: { min: number; max: number }) => z.number().int().min(range.min).max(range.max);

/** The settings themselves (body of `PUT /api/devices/:id/settings`). */
export const cameraSettingsWriteSchema = z
  .strictObject({
    motion: z.strictObject({
      enabled: z.boolean().describe('Whether the camera watches for motion at all.'),
      sensitivity: sensitivitySchema,
      zones: z.array(zoneSchema).max(MAX_ZONES),
      personDetection: z.boolean().describe('Whether events say "person" where the camera runs a person model.'),
      quietPeriodMs: ms(QUIET_PERIOD_RANGE_MS).describe('An event ends after this long without motion, ms.'),
    }),
    recording: z.strictObject({
      mode: recordingModeSchema.describe('`off` and `always` are the "Record" switch off and on; `events` records around events only.'),
      preRollMs: ms(ROLL_RANGE_MS).describe('In `events` mode: footage kept from before an event starts, ms.'),
      postRollMs: ms(ROLL_RANGE_MS).describe('In `events` mode: footage kept after an event ends, ms.'),
    }),
  })
  .describe('How a camera watches for motion and records.');
export type CameraSettingsWrite = z.infer<typeof cameraSettingsWriteSchema>;

/** A camera's settings as the server keeps them (`GET`/`PUT /api/devices/:id/settings`). */
export const cameraSettingsSchema = cameraSettingsWriteSchema
  .extend({
    deviceId: z.string(),
    updatedAtMs: z.number().int().nullable().describe('When someone last changed them; null while they are the defaults.'),
  })
  .describe('A camera’s settings.');
export type CameraSettings = z.infer<typeof cameraSettingsSchema>;

/** What a camera does with no setup: motion at Medium over the whole picture, 10 s quiet period, 5 s pre- and post-roll. */
export const DEFAULT_CAMERA_SETTINGS: Readonly<Omit<CameraSettingsWrite, 'recording'> & { recording: Omit<CameraSettingsWrite['recording'], 'mode'> }> = {
  motion: { enabled: true, sensitivity: 'medium', zones: [], personDetection: true, quietPeriodMs: 10_000 },
  recording: { preRollMs: 5_000, postRollMs: 5_000 },
};

/** A camera's settings changed: to the household's viewers and the camera's own stream. */
export const cameraSettingsEventSchema = z.strictObject({ type: z.literal('camera-settings'), settings: cameraSettingsSchema });
export type CameraSettingsEvent = z.infer<typeof cameraSettingsEventSchema>;
