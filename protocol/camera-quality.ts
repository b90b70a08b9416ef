/**
 * The camera control values the PWA needs at run time, with no dependency (so
 * the app's first download does not carry zod): the quality presets and the
 * battery warning limits. Their schemas are in `camera-controls.ts`.
 */

/** The quality presets a camera captures and sends at. */
export const QUALITY_PRESET_NAMES = ['data-saver', 'standard', 'high'] as const;
export type QualityPreset = (typeof QUALITY_PRESET_NAMES)[number];

/** What a quality preset asks of the camera: capture size (px), frame rate (frames/s) and the encoder's ceiling (bits/s). */
export interface QualitySpec {
  width: number;
  height: number;
  frameRate: number;
  /** `RTCRtpEncodingParameters.maxBitrate` of each viewer's video (W3C webrtc §5.2), bits per second. */
  maxBitrate: number;
}

/** The capture and encoder settings of each preset (16:9; the camera gets the nearest it can). */
export const QUALITY_PRESETS: Record<QualityPreset, QualitySpec> = {
  'data-saver': { width: 854, height: 480, frameRate: 15, maxBitrate: 400_000 },
  standard: { width: 1280, height: 720, frameRate: 30, maxBitrate: 1_500_000 },
  high: { width: 1920, height: 1080, frameRate: 30, maxBitrate: 3_000_000 },
};

/** The preset a camera never set up uses. */
export const DEFAULT_QUALITY: QualityPreset = 'standard';

/** Below this battery level (0–1), a camera not charging is shown with a warning. */
export const LOW_BATTERY_LEVEL = 0.2;

/** A camera not charging for longer than this is shown with a warning (its charger may have come off), ms. */
export const NOT_CHARGING_WARNING_MS = 10 * 60_000;
