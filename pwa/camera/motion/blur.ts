/** Gaussian kernel with σ = 1 cut at radius 1 (what Frigate uses: `gaussian_filter(sigma=1, radius=1)`), in 1/256ths. */
const SIDE = 70;
const CENTRE = 256 - 2 * SIDE;

/**
 * Blurs a `width × height` gray picture with a separable 3×3 Gaussian
 * (σ = 1, radius 1; edges repeat their border pixel) into `out`, using
 * `scratch` (same size) for the horizontal pass. Takes the edge off pixel
 * noise before frames are compared.
 */
export function blur3(src: Uint8Array, width: number, height: number, scratch: Uint8Array, out: Uint8Array): void {
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const left = src[row + (x > 0 ? x - 1 : x)]!;
      const right = src[row + (x < width - 1 ? x + 1 : x)]!;
      scratch[row + x] = (SIDE * (left + right) + CENTRE * src[row + x]! + 128) >> 8;
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      out[row + x] = (SIDE * (scratch[up + x]! + scratch[down + x]!) + CENTRE * scratch[row + x]! + 128) >> 8;
    }
  }
}
