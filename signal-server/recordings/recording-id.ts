import { recordingIdSchema } from '../../protocol/index.js';

/** True when `id` is a well-formed recording id (`recordingIdSchema`: 16–64 characters of `[A-Za-z0-9_-]`, safe as a file name and in a URL). */
export function isRecordingId(id: string): boolean {
  return recordingIdSchema.safeParse(id).success;
}
