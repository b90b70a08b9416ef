import { z } from 'zod';
import { QUALITY_PRESET_NAMES } from './camera-quality.js';

// Camera controls travel through the server, not over a peer connection:
// viewers set them with `PUT /api/devices/:id/controls` and the camera gets
// them on its own event stream (`camera-controls`); the camera reports its
// health with `PUT /api/devices/me/report` and viewers get it on the
// household stream (`camera-report`). So every change passes the server's
// own credential and household checks, works while nobody watches (pause,
// quality), and is kept per camera on the server.

export { DEFAULT_QUALITY, LOW_BATTERY_LEVEL, NOT_CHARGING_WARNING_MS, QUALITY_PRESETS } from './camera-quality.js';
export type { QualityPreset, QualitySpec } from './camera-quality.js';

/** The quality presets a camera captures and sends at. */
export const qualityPresetSchema = z
  .enum(QUALITY_PRESET_NAMES)
  .describe('`data-saver` 480p 15 fps, `standard` 720p 30 fps, `high` 1080p 30 fps where the camera can.');

/** Longest capture device id kept (`MediaDeviceInfo.deviceId`, W3C mediacapture-main §9.2: an opaque string). */
const SOURCE_ID_MAX = 256;

/** Who paused a camera and when; shown to viewers as "Paused by <by>". */
export const pauseSchema = z.strictObject({
  by: z.string().describe('The user’s email, or the camera’s name when paused on the camera itself.'),
  atMs: z.number().int(),
});
export type Pause = z.infer<typeof pauseSchema>;

/** A camera's controls as the household set them. */
export const cameraControlsSchema = z
  .strictObject({
    deviceId: z.string(),
    quality: qualityPresetSchema,
    videoSourceId: z
      .string()
      .nullable()
      .describe('The capture device chosen (`MediaDeviceInfo.deviceId` from the camera’s report); null for the rear camera, or the only one.'),
    torch: z.boolean().describe('Torch on; a camera whose track cannot light one ignores it.'),
    zoom: z.number().nullable().describe('Zoom (`MediaTrackSettings.zoom`), clamped by the camera; null for its default.'),
    paused: pauseSchema.nullable().describe('Set while the camera is paused (sends and records nothing).'),
  })
  .describe('A camera’s controls: quality preset, which camera, torch, zoom, and pause.');
export type CameraControls = z.infer<typeof cameraControlsSchema>;

/** The controls a viewer's request may change (pause has a route of its own: owners only). */
const viewerControlsShape = {
  quality: qualityPresetSchema.optional(),
  videoSourceId: z.string().min(1).max(SOURCE_ID_MAX).nullable().optional(),
  torch: z.boolean().optional(),
  zoom: z.number().min(0).max(1000).nullable().optional(),
};

/** Whether a pause request pauses (by the caller) or resumes. */
const pausedFieldSchema = z.boolean().describe('true pauses (by the caller), false resumes.');

const atLeastOne = (body: object) => Object.keys(body).length > 0;

/**
 * Body of `PUT /api/devices/:id/controls`: the controls to change, at least
 * one; not `paused` (a viewer pauses with `PUT /api/devices/:id/pause`, which
 * only owners may call).
 */
export const cameraControlsRequestSchema = z
  .strictObject(viewerControlsShape)
  .refine(atLeastOne, 'name at least one control to change');
export type CameraControlsRequest = z.infer<typeof cameraControlsRequestSchema>;

/** Body of `PUT /api/devices/me/controls`: the camera's own change, at least one control, pausing too. */
export const ownCameraControlsRequestSchema = z
  .strictObject({ ...viewerControlsShape, paused: pausedFieldSchema.optional() })
  .refine(atLeastOne, 'name at least one control to change');
export type OwnCameraControlsRequest = z.infer<typeof ownCameraControlsRequestSchema>;

/** Body of `PUT /api/devices/:id/pause`. */
export const cameraPauseRequestSchema = z.strictObject({ paused: pausedFieldSchema });
export type CameraPauseRequest = z.infer<typeof cameraPauseRequestSchema>;

/** One capture device the camera offers. */
export const videoSourceSchema = z.strictObject({
  id: z.string().min(1).max(SOURCE_ID_MAX),
  label: z.string().max(120).describe('The browser’s label (e.g. "camera 0, facing back"); may be empty.'),
});
export type VideoSource = z.infer<typeof videoSourceSchema>;

/** A zoom range the camera's track offers (`MediaTrackCapabilities.zoom`, W3C image-capture §10). */
export const zoomRangeSchema = z.strictObject({ min: z.number(), max: z.number(), step: z.number().nonnegative() });
export type ZoomRange = z.infer<typeof zoomRangeSchema>;

/** Body of `PUT /api/devices/me/report`: the camera's health and what its track can do. */
export const cameraReportRequestSchema = z.strictObject({
  battery: z
    .strictObject({
      level: z.number().min(0).max(1).describe('0–1 (W3C Battery Status API `BatteryManager.level`).'),
      charging: z.boolean(),
      notChargingForMs: z
        .number()
        .int()
        .min(0)
        .describe('How long it has run on its battery, ms, measured on the camera (0 while charging).'),
    })
    .nullable()
    .describe('Null where the browser has no Battery Status API (or no battery).'),
  network: z
    .string()
    .max(20)
    .nullable()
    .describe('`NetworkInformation.type` (e.g. `wifi`, `cellular`), else its `effectiveType`; null where unknown.'),
  framesPerSecond: z.number().min(0).max(1000).nullable().describe('Frames captured per second, measured; null while paused or unknown.'),
  droppedFramesPerSecond: z.number().min(0).max(1000).nullable().describe('Frames the browser discarded per second; null where unknown.'),
  width: z.number().int().min(0).max(10_000).nullable().describe('Capture width, px.'),
  height: z.number().int().min(0).max(10_000).nullable().describe('Capture height, px.'),
  maxHeight: z.number().int().min(0).max(10_000).nullable().describe('The tallest capture the track offers, px (`getCapabilities().height.max`).'),
  sentHeight: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .nullable()
    .describe('Height of the video the encoder sends a viewer now, px (outbound-rtp `frameHeight`); null while nobody watches.'),
  videoSources: z.array(videoSourceSchema).max(16),
  videoSourceId: z.string().max(SOURCE_ID_MAX).nullable().describe('The capture device in use.'),
  torch: z.boolean().describe('True when the track offers a torch (`getCapabilities().torch`).'),
  zoom: zoomRangeSchema.nullable().describe('The zoom range the track offers, or null.'),
});
export type CameraReportRequest = z.infer<typeof cameraReportRequestSchema>;

/** A camera's last report, as viewers get it. */
export const cameraReportSchema = cameraReportRequestSchema
  .extend({ deviceId: z.string(), reportedAtMs: z.number().int() })
  .describe('What a camera last reported about itself (kept while the server runs).');
export type CameraReport = z.infer<typeof cameraReportSchema>;

/** Response of `GET /api/devices/:id/controls`. */
export const cameraControlStateSchema = z
  .strictObject({ controls: cameraControlsSchema, report: cameraReportSchema.nullable() })
  .describe('A camera’s controls and its last report (null before it reported since the server started).');
export type CameraControlState = z.infer<typeof cameraControlStateSchema>;

