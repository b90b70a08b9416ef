import type { NormalisedBox } from './gray-frame.js';

/** What an event is about: motion now; a person once person detection runs. */
export type EventKind = 'motion' | 'person';

/** The strongest moment of an event so far. */
export interface EventPeak {
  /** Share of the analysed area in motion, 0..1. */
  score: number;
  /** Frame time of the peak, ms since the epoch. */
  atMs: number;
  /** Bounding box of the motion at the peak, normalised. */
  box: NormalisedBox;
}

/** An event that is still going on. */
export interface OpenEvent {
  kind: EventKind;
  /** Frame time of the first motion frame, ms since the epoch. */
  startedAtMs: number;
  /** Frame time of the latest motion frame, ms since the epoch. */
  lastMotionAtMs: number;
  peak: EventPeak;
}

/** An event that is over: it ended with its last motion frame (`endedAtMs`, ms since the epoch). */
export interface EndedEvent extends OpenEvent {
  endedAtMs: number;
}
