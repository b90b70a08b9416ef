import { seenFrom, type AuditLog, type SeenFrom } from '../audit/audit-log.js';
import type { CameraControls, CameraControlsEvent, CameraReport, OwnCameraControlsRequest } from '../../protocol/index.js';
import type { CameraControlRecord, Store } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { ContractRouter } from '../http/contract-router.js';
import { findVisibleDevice, readerOf } from '../auth/camera-access.js';
import type { Principal } from '../auth/principal.js';
import { controlsChange } from './controls-change.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Called with each health report a camera of `householdId` sent (`PUT /api/devices/me/report`), after it was kept and published. */
export type CameraReportListener = (householdId: string, report: CameraReport) => void;

/** The `camera-controls` event of a camera's controls. */
export function cameraControlsEvent(record: CameraControlRecord): CameraControlsEvent {
  return { type: 'camera-controls', ...record };
}

/**
 * Camera controls and health, under `/api/devices`:
 *
 * - `GET /:id/controls` (user) → `{controls, report}`.
 * - `PUT /:id/controls` (user) → `CameraControls`: changes the controls named (not pause).
 * - `PUT /:id/pause` (user, permission `pause`: owners) → `CameraControls`: pauses in the user's email, or resumes.
 * - `GET /me/controls` (camera) → `CameraControls`: its own, read before it opens its camera.
 * - `PUT /me/controls` (camera) → `CameraControls`: the same from the camera itself; a pause is in its name.
 * - `PUT /me/report` (camera) → `CameraReport`: its health, kept in memory (`reports`), published and given to `onReport`.
 *
 * Controls are kept in the store and published as `camera-controls` (the
 * household's viewers and the camera's own stream get it); reports as
 * `camera-report` (viewers only). Every route goes through the server's
 * credential check, and a user reaches only the cameras of their household
 * (another household's answers 404 like an unknown one).
 */
export function cameraControlRoutes(
  api: ContractRouter,
  deps: { store: Store; hub: EventHub; reports: Map<string, CameraReport>; onReport: CameraReportListener; audit: AuditLog },
): void {
  const { store, hub, reports, onReport } = deps;

  async function change(
    householdId: string,
    deviceId: string,
    request: OwnCameraControlsRequest,
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
    onReport(principal.householdId, report);
    reply(200, report);
  });

  api.handle('GET /api/devices/:id/controls', async ({ principal, params, reply }) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    reply(200, { controls: await store.cameraControls.get(device.id), report: reports.get(device.id) ?? null });
  });

  /** A user's change to a camera of their household, a pause in their email; written to the audit log. */
  async function userChange(
    principal: UserPrincipal,
    deviceId: string,
    request: OwnCameraControlsRequest,
    seen: SeenFrom,
  ): Promise<CameraControls> {
    const device = await findVisibleDevice(store, readerOf(principal), deviceId);
    const user = await store.users.findById(principal.userId);
    const after = await change(device.householdId, device.id, request, user?.email ?? 'A viewer');
    await deps.audit.record('camera-controls-changed', principal, seen, { deviceId: device.id, details: { change: request } });
    return after;
  }

  api.handle('PUT /api/devices/:id/controls', async ({ principal, params, body, reply }, req) => {
    reply(200, await userChange(principal, params.id, body, seenFrom(req)));
  });

  api.handle('PUT /api/devices/:id/pause', async ({ principal, params, body, reply }, req) => {
    reply(200, await userChange(principal, params.id, body, seenFrom(req)));
  });
}
