import type { GrayFrame } from './gray-frame.js';

/**
 * Shrinks a gray frame to `targetHeight` rows (width in proportion, at least
 * 1) by area averaging: each output pixel is the mean of the input pixels
 * whose centres fall in its box. Averaging (unlike Frigate's nearest-neighbour
 * resize) also averages away sensor noise. A frame that is already no taller
 * than `targetHeight` is returned as it is.
 */
export function downscaleGray(frame: GrayFrame, targetHeight: number): GrayFrame {
  if (frame.height <= targetHeight) return frame;
  const height = targetHeight;
  const width = Math.max(1, Math.round((frame.width * height) / frame.height));
  const xStarts = boxStarts(frame.width, width);
  const yStarts = boxStarts(frame.height, height);
  const rowSums = new Uint32Array(width);
  const data = new Uint8Array(width * height);
  const src = frame.data;
  for (let y = 0; y < height; y++) {
    rowSums.fill(0);
    const y0 = yStarts[y]!;
    const y1 = yStarts[y + 1]!;
    for (let sy = y0; sy < y1; sy++) {
      const row = sy * frame.width;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let sx = xStarts[x]!, end = xStarts[x + 1]!; sx < end; sx++) sum += src[row + sx]!;
        rowSums[x]! += sum;
      }
    }
    const rows = y1 - y0;
    for (let x = 0; x < width; x++) {
      const count = rows * (xStarts[x + 1]! - xStarts[x]!);
      data[y * width + x] = Math.round(rowSums[x]! / count);
    }
  }
  return { width, height, data };
}

/** Where each of `outSize` boxes starts in `inSize` pixels (plus the end), every box at least one pixel. */
function boxStarts(inSize: number, outSize: number): Uint32Array {
  const starts = new Uint32Array(outSize + 1);
  for (let i = 0; i <= outSize; i++) starts[i] = Math.floor((i * inSize) / outSize);
  return starts;
}
