import { RECORDING_WISH_KEY, openPeerwatchDb } from '../../shared/db.js';
import type { RecordingWish } from '../../shared/recording-records.js';

/** The recording wish this camera last knew (IndexedDB), so a reload while offline records on; off if never set. */
export async function loadRecordingWish(): Promise<RecordingWish> {
  const db = await openPeerwatchDb();
  return (await db.get('settings', RECORDING_WISH_KEY)) ?? { enabled: false, unsynced: false, changedAtMs: 0 };
}

/** Keeps the recording wish for the next start of the camera. */
export async function saveRecordingWish(wish: RecordingWish): Promise<void> {
  const db = await openPeerwatchDb();
  await db.put('settings', wish, RECORDING_WISH_KEY);
}
