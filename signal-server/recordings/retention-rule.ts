/** What the retention rule needs of a recording. */
export interface RetainedRecording {
  id: string;
  deviceId: string;
  /** Camera clock, ms since epoch. */
  startedAtMs: number;
  /** End of the latest stored chunk, camera clock, ms since epoch. */
  endedAtMs: number;
  sizeBytes: number;
  /** Never removed for size (e.g. a camera's newest recording among newer camera events); the age limit still applies. */
  pinned?: boolean;
}

/** Retention limits, applied per camera. */
export interface RetentionLimits {
  /** Footage that ended longer ago than this goes, ms. */
  maxAgeMs: number;
  /** A camera's recordings may use at most this many bytes. */
  maxBytesPerCamera: number;
}

/** A recording to remove, and which limit it is past. */
export interface Removal<R extends RetainedRecording> {
  recording: R;
  reason: 'age' | 'size';
}

/**
 * Which recordings retention removes, oldest first (the order to delete in, so
 * an interrupted sweep has removed the oldest ones).
 *
 * - Age: a recording whose footage ended before `nowMs - maxAgeMs` goes.
 * - Size, per camera, over what is left after the age rule: walking from the
 *   newest recording to the oldest and adding up bytes, the first recording
 *   that takes the sum over `maxBytesPerCamera` goes, with every older one —
 *   which is deleting oldest first until the camera fits. The camera's newest
 *   recording is never removed for size: it may still be being written, and it
 *   is the latest footage; if it alone is over the cap, every older one goes
 *   and it stays. Nor is a `pinned` one (its bytes still count).
 */
export function recordingsToRemove<R extends RetainedRecording>(
  recordings: readonly R[],
  limits: RetentionLimits,
  nowMs: number,
): Removal<R>[] {
  const removals: Removal<R>[] = [];
  const kept = new Map<string, R[]>();
  for (const recording of recordings) {
    if (recording.endedAtMs < nowMs - limits.maxAgeMs) {
      removals.push({ recording, reason: 'age' });
    } else {
      const own = kept.get(recording.deviceId);
      if (own) own.push(recording);
      else kept.set(recording.deviceId, [recording]);
    }
  }
  for (const own of kept.values()) {
    const newestFirst = own.sort((a, b) => b.startedAtMs - a.startedAtMs || a.id.localeCompare(b.id));
    let totalBytes = 0;
    newestFirst.forEach((recording, index) => {
      totalBytes += recording.sizeBytes;
      if (index > 0 && !recording.pinned && totalBytes > limits.maxBytesPerCamera) {
        removals.push({ recording, reason: 'size' });
      }
    });
  }
  return removals.sort((a, b) => a.recording.startedAtMs - b.recording.startedAtMs);
}
