import type { CameraSettings } from '../../../protocol/index.js';
import { DEFAULT_LIFECYCLE } from './event-lifecycle.js';
import type { Sensitivity } from './sensitivity.js';
import type { Zone } from './zones.js';

/** How a camera watches for motion. */
export interface MotionSettings {
  enabled: boolean;
  sensitivity: Sensitivity;
  zones: Zone[];
  /** Whether the person model looks at motion, so that events with a person in them say `person`. */
  personDetection: boolean;
  /** An event ends after this long without motion, ms. */
  quietMs: number;
  /** Longest event; longer motion is cut into several, ms. */
  maxLengthMs: number;
}

/** What a newly paired camera does with no setup: detect at Medium over the whole picture, look for people, 10 s quiet, 5 min longest event. */
export const DEFAULT_MOTION_SETTINGS: Readonly<MotionSettings> = {
  enabled: true,
  sensitivity: 'medium',
  zones: [],
  personDetection: true,
  quietMs: DEFAULT_LIFECYCLE.quietMs,
  maxLengthMs: DEFAULT_LIFECYCLE.maxLengthMs,
};

/** The motion settings of the camera's settings from the server (the longest event stays the default). */
export function motionSettingsOf({ motion }: Pick<CameraSettings, 'motion'>): MotionSettings {
  return {
    enabled: motion.enabled,
    sensitivity: motion.sensitivity,
    zones: motion.zones,
    personDetection: motion.personDetection,
    quietMs: motion.quietPeriodMs,
    maxLengthMs: DEFAULT_MOTION_SETTINGS.maxLengthMs,
  };
}
