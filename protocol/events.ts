import { z } from 'zod';
import { cameraControlsSchema, cameraReportSchema } from './camera-controls.js';
import { cameraSettingsEventSchema } from './camera-settings.js';
import { deviceSchema } from './devices.js';
import { motionEndedEventSchema, motionStartedEventSchema, motionUpdatedEventSchema } from './motion-events.js';
import { notificationSchema } from './notifications.js';
import { recordingStateSchema } from './recordings.js';

/** A camera came online or went offline. */
export const presenceEventSchema = z.strictObject({
  type: z.literal('presence'),
  deviceId: z.string(),
  online: z.boolean(),
  lastSeenAtMs: z.number().int().nullable(),
});

/** A pairing code shown by a viewer was claimed: the household has a new camera. */
export const pairingClaimedEventSchema = z.strictObject({
  type: z.literal('pairing-claimed'),
  pairingId: z.string(),
  device: deviceSchema,
});

/** A camera's record changed (e.g. renamed). */
export const deviceUpdatedEventSchema = z.strictObject({ type: z.literal('device-updated'), device: deviceSchema });

/** A camera was removed from the household. */
export const deviceRemovedEventSchema = z.strictObject({ type: z.literal('device-removed'), deviceId: z.string() });

/** A camera's `RecordingState` changed. */
export const recordingStateEventSchema = recordingStateSchema.extend({ type: z.literal('recording-state') });
export type RecordingStateEvent = z.infer<typeof recordingStateEventSchema>;

/** Retention removed a recording: `age` = older than the retention period, `size` = over the camera's storage cap. */
export const recordingRemovedEventSchema = z.strictObject({
  type: z.literal('recording-removed'),
  recordingId: z.string(),
  deviceId: z.string(),
  reason: z.enum(['age', 'size']),
});
export type RecordingRemovedEvent = z.infer<typeof recordingRemovedEventSchema>;

/** A new notification for the household's users (unread: `readAtMs` is null). */
export const notificationEventSchema = z.strictObject({
  type: z.literal('notification'),
  notification: notificationSchema,
});
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

/** A camera's controls changed (quality, which camera, torch, zoom, pause). */
export const cameraControlsEventSchema = cameraControlsSchema.extend({ type: z.literal('camera-controls') });
export type CameraControlsEvent = z.infer<typeof cameraControlsEventSchema>;

/** A camera reported its health (battery, network, frames per second) and what its track can do. */
export const cameraReportEventSchema = cameraReportSchema.extend({ type: z.literal('camera-report') });
export type CameraReportEvent = z.infer<typeof cameraReportEventSchema>;

/**
 * What the person may see changed, sent just before the server closes their
 * stream: `removed` from the household (their sessions have ended), or their
 * role or cameras `changed` (reconnect to see what they may now).
 */
export const accessChangedEventSchema = z.strictObject({
  type: z.literal('access-changed'),
  change: z.enum(['removed', 'changed']),
});
export type AccessChangedEvent = z.infer<typeof accessChangedEventSchema>;

/**
 * A person may no longer watch this camera (removed from the household, or
 * their cameras narrowed): the camera hangs up their calls at once. Sent only
 * to the camera's own stream.
 */
export const viewerAccessEndedEventSchema = z.strictObject({
  type: z.literal('viewer-access-ended'),
  deviceId: z.string(),
  userId: z.string(),
});

/**
 * Events on a household's live stream (`GET /api/stream` with a user
 * credential), as Server-Sent Events (HTML Living Standard §9.2):
 * `event: <type>` + `data: <JSON event>`, after a first `event: ready`.
 */
export const householdEventSchema = z
  .discriminatedUnion('type', [
    presenceEventSchema,
    pairingClaimedEventSchema,
    deviceUpdatedEventSchema,
    deviceRemovedEventSchema,
    recordingStateEventSchema,
    recordingRemovedEventSchema,
    motionStartedEventSchema,
    motionUpdatedEventSchema,
    motionEndedEventSchema,
    notificationEventSchema,
    cameraControlsEventSchema,
    cameraReportEventSchema,
    cameraSettingsEventSchema,
    accessChangedEventSchema,
    viewerAccessEndedEventSchema,
  ])
  .describe('An event of the household’s live stream (SSE `event: <type>`, `data: <JSON>`).');
export type HouseholdEvent = z.infer<typeof householdEventSchema>;

/** The camera a household event is about, or undefined for one about none (a viewer sees only its cameras' events). */
export function deviceOfEvent(event: HouseholdEvent): string | undefined {
  switch (event.type) {
    case 'pairing-claimed':
    case 'device-updated':
      return event.device.id;
    case 'motion-started':
    case 'motion-updated':
    case 'motion-ended':
      return event.event.deviceId;
    case 'notification':
      return event.notification.deviceId;
    case 'camera-settings':
      return event.settings.deviceId;
    case 'access-changed':
      return undefined;
    default:
      return event.deviceId;
  }
}

/**
 * Events on a camera's own stream (`GET /api/stream` with its device
 * credential): after `event: ready`, at once its current `recording-state`,
 * `camera-controls` and `camera-settings`, then each change of its recording
 * state, its controls, its settings or its own record, and who may no longer
 * watch it.
 */
export const deviceEventSchema = z
  .discriminatedUnion('type', [
    recordingStateEventSchema,
    deviceUpdatedEventSchema,
    cameraControlsEventSchema,
    cameraSettingsEventSchema,
    viewerAccessEndedEventSchema,
  ])
  .describe('An event of a camera’s own live stream.');
export type DeviceEvent = z.infer<typeof deviceEventSchema>;
