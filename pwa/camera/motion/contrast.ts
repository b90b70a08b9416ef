/** Frigate's contrast stretch maps the 4th…96th percentile of a frame onto 0…255. */
const LOW_PERCENTILE = 0.04;
const HIGH_PERCENTILE = 0.96;
/**
 * Largest gain the stretch may apply. Frigate's stretch has no limit, so a
 * dark, flat night picture gets its sensor noise multiplied many times over
 * and shows as motion; capped, noise stays under the pixel threshold.
 */
const MAX_GAIN = 3;

/** The 4th and 96th percentiles of a frame before its stretch, gray levels. */
export interface ContrastRange {
  low: number;
  high: number;
}

/**
 * Stretches contrast in place: the 4th and 96th percentiles of the pixels
 * where `mask` is 1 (all pixels without a mask) become 0 and 255, values
 * outside are clipped. Done per frame, so a global brightness change (lights,
 * clouds, auto exposure) is largely undone before the background comparison.
 * The gain is at most `MAX_GAIN`; a frame with no spread is left as it is.
 * Returns the percentiles it found (0 and 255 when nothing is analysed).
 */
export function stretchContrast(data: Uint8Array, mask?: Uint8Array): ContrastRange {
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (mask && mask[i] === 0) continue;
    histogram[data[i]!]!++;
    count++;
  }
  if (count === 0) return { low: 0, high: 255 };
  const low = percentile(histogram, count * LOW_PERCENTILE);
  const high = percentile(histogram, count * HIGH_PERCENTILE);
  if (high <= low) return { low, high };
  const span = Math.max(high - low, 255 / MAX_GAIN);
  const lookup = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lookup[v] = Math.max(0, Math.min(255, Math.round(((v - low) * 255) / span)));
  for (let i = 0; i < data.length; i++) data[i] = lookup[data[i]!]!;
  return { low, high };
}

/** The smallest value with at least `rank` values at or below it. */
function percentile(histogram: Uint32Array, rank: number): number {
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= rank) return v;
  }
  return 255;
}
