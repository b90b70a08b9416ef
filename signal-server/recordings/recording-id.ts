/**
 * A recording id as cameras make them: 16–64 characters of `[A-Za-z0-9_-]`
 * (e.g. 128 random bits in base64url). Safe as a file name and in a URL.
 */
const RECORDING_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** True when `id` is a well-formed recording id. */
export function isRecordingId(id: string): boolean {
  return RECORDING_ID_PATTERN.test(id);
}
