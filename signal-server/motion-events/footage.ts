import type { MotionFootage } from '../../protocol/index.js';

/** What `footageOf` needs of an event. */
export interface FootageEvent {
  deviceId: string;
  startedAtMs: number;
  /** The recording the camera named, if any. */
  recordingId: string | null;
  /** The camera's offset into that recording, ms, if it gave one. */
  footageOffsetMs: number | null;
}

/** What `footageOf` needs of a recording (camera clock, ms since epoch). */
export interface FootageRecording {
  id: string;
  deviceId: string;
  startedAtMs: number;
  endedAtMs: number;
}

/**
 * The recording an event's footage is in, and the event's start in it (ms
 * from the recording's start): the recording of the event's camera that the
 * camera named, else the one whose span covers the event's start (the latest
 * to begin, if several do); null when there is none among `recordings`.
 * Retention removes an event with this recording.
 */
export function footageOf(event: FootageEvent, recordings: readonly FootageRecording[]): MotionFootage | null {
  const own = recordings.filter((recording) => recording.deviceId === event.deviceId);
  const named = own.find((recording) => recording.id === event.recordingId);
  if (named) {
    return {
      recordingId: named.id,
      offsetMs: event.footageOffsetMs ?? Math.max(0, event.startedAtMs - named.startedAtMs),
    };
  }
  const covering = own
    .filter((recording) => recording.startedAtMs <= event.startedAtMs && event.startedAtMs <= recording.endedAtMs)
    .sort((a, b) => b.startedAtMs - a.startedAtMs)[0];
  return covering ? { recordingId: covering.id, offsetMs: event.startedAtMs - covering.startedAtMs } : null;
}

/**
 * Sorts events by the recording their footage is in (`footageOf`): `byRecording`
 * maps a recording id to its events; `loose` holds those with no stored footage.
 */
export function eventsByFootage<E extends FootageEvent>(
  events: readonly E[],
  recordings: readonly FootageRecording[],
): { byRecording: Map<string, E[]>; loose: E[] } {
  const ofDevice = new Map<string, FootageRecording[]>();
  for (const recording of recordings) ofDevice.set(recording.deviceId, [...(ofDevice.get(recording.deviceId) ?? []), recording]);
  const byRecording = new Map<string, E[]>();
  const loose: E[] = [];
  for (const event of events) {
    const footage = footageOf(event, ofDevice.get(event.deviceId) ?? []);
    if (!footage) loose.push(event);
    else byRecording.set(footage.recordingId, [...(byRecording.get(footage.recordingId) ?? []), event]);
  }
  return { byRecording, loose };
}
