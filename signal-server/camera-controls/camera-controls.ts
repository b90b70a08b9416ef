import type { AuditLog } from '../audit/audit-log.js';
import type { CameraReport, DeviceEvent } from '../../protocol/index.js';
import type { Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import { cameraControlRoutes, cameraControlsEvent, type CameraReportListener } from './routes.js';

/** The camera controls feature, ready to mount. */
export interface CameraControlsFeature {
  /** Implements the controls and report routes under `/api/devices/...`. */
  mount(api: ContractRouter): void;
  /** What a camera's own event stream starts with: its current controls. */
  initialDeviceEvents(device: { deviceId: string }): Promise<DeviceEvent[]>;
}

/**
 * Composes camera controls: controls kept in the store, each camera's last
 * health report in memory (one per camera, replaced by the next; lost on a
 * restart, and the camera sends a new one within 10 s; a removed camera's
 * stays until then, unreachable: its routes answer 404). Each report also
 * goes to `onReport` (the battery notifications).
 */
export function createCameraControls(deps: {
  store: Store;
  hub: EventHub;
  onReport: CameraReportListener;
  audit: AuditLog;
}): CameraControlsFeature {
  const reports = new Map<string, CameraReport>();
  return {
    mount(api) {
      cameraControlRoutes(api, { ...deps, reports });
    },
    initialDeviceEvents: async ({ deviceId }) => [cameraControlsEvent(await deps.store.cameraControls.get(deviceId))],
  };
}
