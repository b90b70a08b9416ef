import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import type { CameraSettings, CameraSettingsEvent, RecordingMode } from '../../protocol/index.js';
import { recordingStateEvent } from '../recordings/control-routes.js';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import { findVisibleDevice, readerOf } from '../auth/camera-access.js';
import type { CameraSettingsRecord, RecordingControlRecord, Store } from '../store/store.js';

/** The recording mode a camera follows: its "Record" switch off, or on (around events only, or always). */
function modeOf(settings: CameraSettingsRecord, control: RecordingControlRecord): RecordingMode {
  if (!control.enabled) return 'off';
  return settings.recording.onEvents ? 'events' : 'always';
}

/** The public view of a camera's settings and its "Record" switch. */
function toCameraSettings(settings: CameraSettingsRecord, control: RecordingControlRecord): CameraSettings {
  const { onEvents: _onEvents, ...recording } = settings.recording;
  return {
    deviceId: settings.deviceId,
    motion: settings.motion,
    recording: { mode: modeOf(settings, control), ...recording },
    updatedAtMs: settings.updatedAtMs,
  };
}

/** The camera settings feature, ready to mount. */
export interface CameraSettingsFeature {
  /** Implements `GET`/`PUT /api/devices/:id/settings`. */
  mount(api: ContractRouter): void;
  /** The `camera-settings` event of a camera now (what its own stream starts with). */
  event(deviceId: string): Promise<CameraSettingsEvent>;
  /** Publishes a camera's settings again (its "Record" switch changed, and with it its recording mode). */
  republish(householdId: string, deviceId: string): Promise<void>;
}

/**
 * Camera settings (`CameraSettings`), kept in the store and published as
 * `camera-settings` household events, which the household's viewers and the
 * camera's own event stream receive (a camera that was offline gets them as
 * its stream starts again). `recording.mode` is the camera's "Record" switch
 * (`off`/`always`) until `events` is chosen: a `PUT` sets both in one
 * transaction and publishes `recording-state` too. Another household's
 * camera answers 404, like an unknown one.
 */
export function createCameraSettings(deps: { store: Store; hub: EventHub; audit: AuditLog }): CameraSettingsFeature {
  const { store, hub, audit } = deps;

  async function current(deviceId: string): Promise<CameraSettings> {
    const [settings, control] = await Promise.all([store.cameraSettings.get(deviceId), store.recordingControls.get(deviceId)]);
    return toCameraSettings(settings, control);
  }

  return {
    event: async (deviceId) => ({ type: 'camera-settings', settings: await current(deviceId) }),
    async republish(householdId, deviceId) {
      hub.publish(householdId, { type: 'camera-settings', settings: await current(deviceId) });
    },
    mount(api) {
      api.handle('GET /api/devices/:id/settings', async ({ principal, params, reply }) => {
        const device = await findVisibleDevice(store, readerOf(principal), params.id);
        reply(200, await current(device.id));
      });

      api.handle('PUT /api/devices/:id/settings', async ({ principal, params, body, reply }, req) => {
        const device = await findVisibleDevice(store, readerOf(principal), params.id);
        const { mode, ...rolls } = body.recording;
        const before = await store.recordingControls.get(device.id);
        const { settings, control } = await store.cameraSettings.put(
          { deviceId: device.id, motion: body.motion, recording: { onEvents: mode === 'events', ...rolls }, updatedAtMs: Date.now() },
          mode !== 'off',
        );
        const view = toCameraSettings(settings, control);
        if (control.enabled !== before.enabled) hub.publish(device.householdId, recordingStateEvent(control));
        hub.publish(device.householdId, { type: 'camera-settings', settings: view });
        await audit.record('camera-settings-changed', principal, seenFrom(req), { deviceId: device.id, details: { recordingMode: view.recording.mode } });
        reply(200, view);
      });
    },
  };
}
