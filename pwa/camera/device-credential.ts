import { CAMERA_CREDENTIAL_KEY, openPeerwatchDb, type DeviceCredential } from '../shared/db.js';

/** The camera credential this browser holds, or undefined if it is not paired. */
export async function loadDeviceCredential(): Promise<DeviceCredential | undefined> {
  const db = await openPeerwatchDb();
  return db.get('credentials', CAMERA_CREDENTIAL_KEY);
}

/** Keeps the credential of a camera that was just paired (replacing any older one). */
export async function saveDeviceCredential(credential: DeviceCredential): Promise<void> {
  const db = await openPeerwatchDb();
  await db.put('credentials', credential, CAMERA_CREDENTIAL_KEY);
}

/** Forgets the camera credential (the camera was removed from its household). */
export async function clearDeviceCredential(): Promise<void> {
  const db = await openPeerwatchDb();
  await db.delete('credentials', CAMERA_CREDENTIAL_KEY);
}
