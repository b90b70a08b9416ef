import type { MotionReading } from './motion-detector.js';
import type { EndedEvent, EventPeak, OpenEvent } from './motion-event.js';

/** When events start and end. */
export interface LifecycleSettings {
  /** Motion must be seen in this many analysed frames in a row before an event starts. */
  startFrames: number;
  /** An event ends after this long without motion, ms. */
  quietMs: number;
  /** An event is cut at this length (a new one starts if motion goes on), ms. */
  maxLengthMs: number;
}

/** 3 frames in a row (0.6 s at 5 fps), 10 s quiet, 5 min at most. */
export const DEFAULT_LIFECYCLE: Readonly<LifecycleSettings> = { startFrames: 3, quietMs: 10_000, maxLengthMs: 300_000 };

/**
 * Where the lifecycle is: nothing going on; motion seen in `frames` frames in
 * a row but not yet long enough for an event; or an event open.
 * `lastFrameAtMs` is the time of the latest frame stepped (null before the first).
 */
export type LifecycleState =
  | { phase: 'idle'; lastFrameAtMs: number | null }
  | { phase: 'pending'; lastFrameAtMs: number; firstMotionAtMs: number; frames: number; peak: EventPeak }
  | { phase: 'active'; lastFrameAtMs: number; event: OpenEvent };

/**
 * What a step changed: `peak` when this frame became the strongest of the
 * event that is open or forming (the moment to keep a snapshot of), `started`
 * and `ended` as events open and close.
 */
export type LifecycleChange =
  | { type: 'peak'; peak: EventPeak }
  | { type: 'started'; event: OpenEvent }
  | { type: 'ended'; event: EndedEvent };

export const INITIAL_LIFECYCLE: LifecycleState = { phase: 'idle', lastFrameAtMs: null };

/**
 * Advances the event lifecycle by one analysed frame: pure, so the same
 * readings and timestamps always give the same events. An event starts when
 * motion was seen in `startFrames` frames in a row (its start is the first of
 * them); it ends once `quietMs` passed without motion (its end is the last
 * motion frame); one that reaches `maxLengthMs` ends there and, if motion goes
 * on, a new one starts with that frame. Calibrating frames count as no motion.
 * @param atMs the frame's time, ms since the epoch (from the frame, never the clock)
 * @throws RangeError when `atMs` is not finite or earlier than the previous frame's
 */
export function stepLifecycle(
  state: LifecycleState,
  reading: MotionReading,
  atMs: number,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE,
): { state: LifecycleState; changes: LifecycleChange[] } {
  if (!Number.isFinite(atMs)) throw new RangeError(`frame time must be a finite number of ms, got ${atMs}`);
  if (state.lastFrameAtMs !== null && atMs < state.lastFrameAtMs) {
    throw new RangeError(`frame time ${atMs} ms is earlier than the previous frame's ${state.lastFrameAtMs} ms`);
  }
  const peak = reading.kind === 'motion' ? { score: reading.score, atMs, box: reading.box } : null;
  switch (state.phase) {
    case 'idle':
      return peak ? pendingOrStarted(atMs, atMs, 1, peak, [{ type: 'peak', peak }], settings) : idle(atMs);
    case 'pending': {
      if (!peak) return idle(atMs);
      const stronger = peak.score > state.peak.score;
      const changes: LifecycleChange[] = stronger ? [{ type: 'peak', peak }] : [];
      return pendingOrStarted(atMs, state.firstMotionAtMs, state.frames + 1, stronger ? peak : state.peak, changes, settings);
    }
    case 'active': {
      const { event } = state;
      if (atMs - event.startedAtMs >= settings.maxLengthMs) {
        const ended: LifecycleChange = { type: 'ended', event: { ...event, endedAtMs: event.lastMotionAtMs } };
        if (!peak) return { ...idle(atMs), changes: [ended] };
        return pendingOrStarted(atMs, atMs, settings.startFrames, peak, [ended, { type: 'peak', peak }], settings);
      }
      if (!peak) {
        if (atMs - event.lastMotionAtMs < settings.quietMs) return { state: { ...state, lastFrameAtMs: atMs }, changes: [] };
        return { ...idle(atMs), changes: [{ type: 'ended', event: { ...event, endedAtMs: event.lastMotionAtMs } }] };
      }
      const stronger = peak.score > event.peak.score;
      const next: OpenEvent = { ...event, lastMotionAtMs: atMs, peak: stronger ? peak : event.peak };
      return { state: { phase: 'active', lastFrameAtMs: atMs, event: next }, changes: stronger ? [{ type: 'peak', peak }] : [] };
    }
  }
}

function idle(atMs: number): { state: LifecycleState; changes: LifecycleChange[] } {
  return { state: { phase: 'idle', lastFrameAtMs: atMs }, changes: [] };
}

/** Motion in `frames` frames in a row since `firstMotionAtMs`: an event once there are `startFrames`. */
function pendingOrStarted(
  atMs: number,
  firstMotionAtMs: number,
  frames: number,
  peak: EventPeak,
  changes: LifecycleChange[],
  settings: LifecycleSettings,
): { state: LifecycleState; changes: LifecycleChange[] } {
  if (frames < settings.startFrames) {
    return { state: { phase: 'pending', lastFrameAtMs: atMs, firstMotionAtMs, frames, peak }, changes };
  }
  const event: OpenEvent = { kind: 'motion', startedAtMs: firstMotionAtMs, lastMotionAtMs: atMs, peak };
  return { state: { phase: 'active', lastFrameAtMs: atMs, event }, changes: [...changes, { type: 'started', event }] };
}
