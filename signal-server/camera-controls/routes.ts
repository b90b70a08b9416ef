import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import type { CameraControls, CameraControlsEvent, CameraControlsRequest, CameraReport } from '../../protocol/index.js';
import type { CameraControlRecord, Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import { findVisibleDevice, readerOf } from '../auth/camera-access.js';
import { controlsChange } from './controls-change.js';

/** The `camera-controls` event of a camera's controls. */
export function cameraControlsEvent(record: CameraControlRecord): CameraControlsEvent {
  return { type: 'camera-controls', ...record };
}

/**
 * Camera controls and health, under `/api/devices`:
 *
 * - `GET /:id/controls` (user) → `{controls, report}`.
 * - `PUT /:id/controls` (user) → `CameraControls`: changes the controls named; a pause is in the user's email.
 * - `GET /me/controls` (camera) → `CameraControls`: its own, read before it opens its camera.
 * - `PUT /me/controls` (camera) → `CameraControls`: the same from the camera itself; a pause is in its name.
 * - `PUT /me/report` (camera) → `CameraReport`: its health, kept in memory (`reports`) and published.
 *
 * Controls are kept in the store and published as `camera-controls` (the
 * household's viewers and the camera's own stream get it); reports as
 * `camera-report` (viewers only). Every route goes through the server's
 * credential check, and a user reaches only the cameras of their household
 * (another household's answers 404 like an unknown one).
 */
export function cameraControlRoutes(
  api: ContractRouter,
  deps: { store: Store; hub: EventHub; reports: Map<string, CameraReport>; audit: AuditLog },
): void {
  const { store, hub, reports } = deps;

  async function change(
    householdId: string,
    deviceId: string,
    request: CameraControlsRequest,
    pausedBy: string,
  ): Promise<CameraControls> {
    const current = await store.cameraControls.get(deviceId);
    const after = await store.cameraControls.update(deviceId, controlsChange(request, current, pausedBy, Date.now()));
    hub.publish(householdId, cameraControlsEvent(after));
    return after;
  }

  api.handle('GET /api/devices/me/controls', async ({ principal, reply }) => {
    const device = await findVisibleDevice(store, readerOf(principal), principal.deviceId);
    reply(200, await store.cameraControls.get(device.id));
  });

  api.handle('PUT /api/devices/me/controls', async ({ principal, body, reply }, req) => {
    const device = await findVisibleDevice(store, readerOf(principal), principal.deviceId);
    reply(200, await change(device.householdId, device.id, body, device.name));
    await deps.audit.record('camera-controls-changed', principal, seenFrom(req), { details: { change: body } });
  });

  api.handle('PUT /api/devices/me/report', async ({ principal, body, reply }) => {
    const report: CameraReport = { ...body, deviceId: principal.deviceId, reportedAtMs: Date.now() };
    reports.set(principal.deviceId, report);
    hub.publish(principal.householdId, { type: 'camera-report', ...report });
    reply(200, report);
  });

  api.handle('GET /api/devices/:id/controls', async ({ principal, params, reply }) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    reply(200, { controls: await store.cameraControls.get(device.id), report: reports.get(device.id) ?? null });
  });

  api.handle('PUT /api/devices/:id/controls', async ({ principal, params, body, reply }, req) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    const user = await store.users.findById(principal.userId);
    reply(200, await change(device.householdId, device.id, body, user?.email ?? 'A viewer'));
    await deps.audit.record('camera-controls-changed', principal, seenFrom(req), { deviceId: device.id, details: { change: body } });
  });
}
