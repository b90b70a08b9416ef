import type { DeviceRecord, Store } from '../store/store.js';
import { notFound } from '../http/errors.js';

/**
 * The device `id` of household `householdId`.
 * @throws ApiError 404 not_found ("Camera not found.") when there is no such
 *   device or it belongs to another household (the two answer alike).
 */
export async function findOwnDevice(store: Store, householdId: string, id: string): Promise<DeviceRecord> {
  const device = await store.devices.findById(id);
  if (!device || device.householdId !== householdId) throw notFound('Camera');
  return device;
}
