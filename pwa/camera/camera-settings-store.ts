import type { CameraSettings } from '../../protocol/index.js';
import { CAMERA_SETTINGS_KEY, openPeerwatchDb } from '../shared/db.js';

/** The settings this camera last followed (IndexedDB), or undefined before it ever got any. */
export async function loadCameraSettings(): Promise<CameraSettings | undefined> {
  const db = await openPeerwatchDb();
  return db.get('cameraSettings', CAMERA_SETTINGS_KEY);
}

/** Keeps the settings for the next start of the camera (a reload while offline follows them). */
export async function saveCameraSettings(settings: CameraSettings): Promise<void> {
  const db = await openPeerwatchDb();
  await db.put('cameraSettings', settings, CAMERA_SETTINGS_KEY);
}
