import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Store, DeviceRecord } from '../store/store.js';
import type { EventHub } from '../events/event-hub.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { SignalingServer } from '../signaling/signaling-server.js';
import { deviceOf, principalOf, userOf } from '../auth/principal.js';
import { parseBody } from '../http/validate.js';
import { cameraPeerId } from '../signaling/peer-ids.js';
import { deviceNameProblem } from './device-name.js';
import { toDevice } from './device-view.js';
import { findOwnDevice } from './own-device.js';

/** A camera's display name: trimmed, then `deviceNameProblem`'s rule (1–60 code points, well-formed Unicode). */
export const deviceNameSchema = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = deviceNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const renameSchema = z.object({ name: deviceNameSchema });

/**
 * `/api/devices`: the household's cameras. Users list, rename and remove
 * them; a camera reads its own record at `/api/devices/me`. Another
 * household's device id answers 404, exactly like an unknown one.
 */
export function deviceRoutes(deps: {
  store: Store;
  hub: EventHub;
  presence: PresenceTracker;
  signaling: SignalingServer;
}): Router {
  const { store, hub, presence, signaling } = deps;
  const router = Router();

  const ownDevice = (res: Response, id: string): Promise<DeviceRecord> =>
    findOwnDevice(store, principalOf(res).householdId, id);

  router.get('/', async (_req, res) => {
    const { householdId } = userOf(res);
    const records = await store.devices.listByHousehold(householdId);
    res.json(records.map((r) => toDevice(r, presence)));
  });

  router.get('/me', async (_req, res) => {
    const { deviceId } = deviceOf(res);
    res.json(toDevice(await ownDevice(res, deviceId), presence));
  });

  router.patch('/:id', async (req, res) => {
    userOf(res);
    const device = await ownDevice(res, req.params.id);
    const { name } = parseBody(renameSchema, req.body);
    await store.devices.rename(device.id, name);
    const updated = toDevice({ ...device, name }, presence);
    hub.publish(device.householdId, { type: 'device-updated', device: updated });
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    userOf(res);
    const device = await ownDevice(res, req.params.id);
    await store.devices.delete(device.id);
    signaling.closePeer(cameraPeerId(device.householdId, device.id));
    presence.disconnected(device.householdId, device.id);
    hub.publish(device.householdId, { type: 'device-removed', deviceId: device.id });
    res.status(204).end();
  });

  return router;
}
