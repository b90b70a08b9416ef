import type { Store } from '../store/store.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import type { EventHub } from '../events/event-hub.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { ContractRouter } from '../http/contract-router.js';
import { announceDeviceRemoved, type PeerCloser } from './device-removal.js';
import { toDevice } from './device-view.js';
import { findVisibleDevice, readerOf, visibleDeviceIds } from '../auth/camera-access.js';

/**
 * `/api/devices`: the household's cameras. Users list (a viewer only the
 * cameras they were given), rename and remove them; a camera reads its own
 * record at `/api/devices/me`. Another household's device id, or one a viewer
 * was not given, answers 404, exactly like an unknown one.
 */
export function deviceRoutes(
  api: ContractRouter,
  deps: { store: Store; hub: EventHub; presence: PresenceTracker; signaling: PeerCloser; audit: AuditLog },
): void {
  const { store, hub, presence, signaling, audit } = deps;

  api.handle('GET /api/devices', async ({ principal, reply }) => {
    const records = await store.devices.listByHousehold(principal.householdId);
    const only = visibleDeviceIds(readerOf(principal));
    reply(
      200,
      records.filter((r) => only?.includes(r.id) ?? true).map((r) => toDevice(r, presence)),
    );
  });

  api.handle('GET /api/devices/me', async ({ principal, reply }) => {
    reply(200, toDevice(await findVisibleDevice(store, readerOf(principal), principal.deviceId), presence));
  });

  api.handle('PATCH /api/devices/:id', async ({ principal, params, body: { name }, reply }, req) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    await store.devices.rename(device.id, name);
    await audit.record('camera-renamed', principal, seenFrom(req), { deviceId: device.id, details: { nameBefore: device.name } });
    const updated = toDevice({ ...device, name }, presence);
    hub.publish(device.householdId, { type: 'device-updated', device: updated });
    reply(200, updated);
  });

  api.handle('DELETE /api/devices/:id', async ({ principal, params, reply }, req) => {
    const device = await findVisibleDevice(store, readerOf(principal), params.id);
    await store.devices.delete(device.id);
    await audit.record('camera-removed', principal, seenFrom(req), { deviceId: device.id, details: { cameraName: device.name } });
    announceDeviceRemoved({ hub, presence, signaling }, device);
    reply(204);
  });
}
