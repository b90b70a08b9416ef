// The bounds of camera settings, without zod, so the browser app's forms can
// use them without loading the schemas (see camera-settings.ts).

/** Most zones a camera keeps, and most corners of one zone. */
export const MAX_ZONES = 16;
export const MAX_ZONE_POINTS = 32;

/** Bounds of the settable times, ms: the quiet period that ends an event, and the pre- and post-roll. */
export const QUIET_PERIOD_RANGE_MS = { min: 1_000, max: 600_000 } as const;
export const ROLL_RANGE_MS = { min: 0, max: 60_000 } as const;
