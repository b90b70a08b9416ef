import { notFound } from '../http/errors.js';
import type { CameraAccess, DeviceRecord, Store } from '../store/store.js';
import type { Principal } from './principal.js';

/** Who reads a household's camera data (live, recordings, events): their household and the cameras they may see. */
export interface CameraReader {
  householdId: string;
  cameras: CameraAccess;
  /** The person reading, when it is one (for the audit log): in which sign-in session, through which API token if any. */
  person?: ReadingPerson;
}

/** A person reading camera data: their id, their sign-in session (an API token's own, for a token) and the token, if any. */
export interface ReadingPerson {
  userId: string;
  sessionId: string;
  tokenId: string | null;
}

/** The reader a principal is: a user sees the cameras their role gives them, a camera only itself. */
export function readerOf(principal: Principal): CameraReader {
  return principal.kind === 'user'
    ? {
        householdId: principal.householdId,
        cameras: principal.cameras,
        person: {
          userId: principal.userId,
          sessionId: principal.sessionId,
          tokenId: principal.grant.kind === 'token' ? principal.grant.tokenId : null,
        },
      }
    : { householdId: principal.householdId, cameras: { kind: 'only', deviceIds: [principal.deviceId] } };
}

/** True when `reader` may see camera `deviceId` of household `householdId`. */
export function maySee(reader: CameraReader, householdId: string, deviceId: string): boolean {
  return reader.householdId === householdId && (reader.cameras.kind === 'all' || reader.cameras.deviceIds.includes(deviceId));
}

/** The device ids a reader is limited to, or undefined when they see all the household's cameras. */
export function visibleDeviceIds(reader: CameraReader): readonly string[] | undefined {
  return reader.cameras.kind === 'all' ? undefined : reader.cameras.deviceIds;
}

/**
 * The device `id` as `reader` may see it.
 * @throws ApiError 404 not_found ("Camera not found.") when there is no such
 *   device, it belongs to another household or the reader was not given it (all answer alike).
 */
export async function findVisibleDevice(store: Store, reader: CameraReader, id: string): Promise<DeviceRecord> {
  const device = await store.devices.findById(id);
  if (!device || !maySee(reader, device.householdId, device.id)) throw notFound('Camera');
  return device;
}
