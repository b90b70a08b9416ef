import type { GrayFrame } from './gray-frame.js';

/**
 * At most this many pixels are read per box along each axis (4 per output
 * pixel): a 1280×720 frame costs no more to shrink than a 266×200 one. The
 * 4 samples halve sensor noise, and the detector's blur takes it further.
 */
const MAX_SAMPLES_PER_AXIS = 2;

/** Which input pixels each output pixel reads along one axis: `count[i]` positions from `positions[i * MAX_SAMPLES_PER_AXIS]`. */
interface Samples {
  positions: Uint32Array;
  count: Uint8Array;
}

/**
 * Shrinks a gray frame to `targetHeight` rows (width in proportion, at least
 * 1) by area averaging: each output pixel is the mean of the input pixels of
 * its box (up to `MAX_SAMPLES_PER_AXIS` evenly spread ones per axis in large
 * boxes). Averaging, unlike Frigate's nearest-neighbour resize, also averages
 * away sensor noise. A frame no taller than `targetHeight` is returned as it is.
 */
export function downscaleGray(frame: GrayFrame, targetHeight: number): GrayFrame {
  if (frame.height <= targetHeight) return frame;
  const height = targetHeight;
  const width = Math.max(1, Math.round((frame.width * height) / frame.height));
  const columns = samplesOf(frame.width, width);
  const rows = samplesOf(frame.height, height);
  const sums = new Uint32Array(width);
  const data = new Uint8Array(width * height);
  const src = frame.data;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    const rowCount = rows.count[y]!;
    for (let r = 0; r < rowCount; r++) {
      const row = rows.positions[y * MAX_SAMPLES_PER_AXIS + r]! * frame.width;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        const first = x * MAX_SAMPLES_PER_AXIS;
        for (let c = first, end = first + columns.count[x]!; c < end; c++) sum += src[row + columns.positions[c]!]!;
        sums[x]! += sum;
      }
    }
    for (let x = 0; x < width; x++) data[y * width + x] = Math.round(sums[x]! / (rowCount * columns.count[x]!));
  }
  return { width, height, data };
}

/** The sample positions of `outSize` boxes over `inSize` pixels: every pixel of a small box, evenly spread ones of a large box. */
function samplesOf(inSize: number, outSize: number): Samples {
  const positions = new Uint32Array(outSize * MAX_SAMPLES_PER_AXIS);
  const count = new Uint8Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const start = Math.floor((i * inSize) / outSize);
    const size = Math.max(1, Math.floor(((i + 1) * inSize) / outSize) - start);
    const n = Math.min(MAX_SAMPLES_PER_AXIS, size);
    count[i] = n;
    for (let j = 0; j < n; j++) positions[i * MAX_SAMPLES_PER_AXIS + j] = start + Math.floor(((j + 0.5) * size) / n);
  }
  return { positions, count };
}
