import type { Sensitivity } from '../../../protocol/index.js';

/** How readily the camera reports motion (the settings' `motion.sensitivity`). */
export type { Sensitivity };

/**
 * The smallest blob of changed pixels that counts as motion, in pixels of the
 * 100-pixel-high analysis frame. Frigate's contour areas are 50 / 30 / 10 for
 * low / medium / high (over its dilated mask); these count the changed pixels
 * themselves, so single noisy pixels joined by the dilation never add up.
 */
export const MIN_BLOB_PIXELS: Readonly<Record<Sensitivity, number>> = { low: 40, medium: 20, high: 8 };
