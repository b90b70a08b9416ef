/**
 * A grayscale picture: one luma byte (0–255) per pixel, rows top to bottom,
 * `width * height` bytes with no row padding.
 */
export interface GrayFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A rectangle in normalised picture coordinates (0..1, origin top left). */
export interface NormalisedBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Checks that `frame` is a well-formed gray frame.
 * @throws RangeError when its size is not a positive integer or its data is not `width * height` bytes
 */
export function assertGrayFrame(frame: GrayFrame): void {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`gray frame size must be positive integers, got ${width}×${height}`);
  }
  if (data.length !== width * height) {
    throw new RangeError(`gray frame of ${width}×${height} needs ${width * height} bytes, got ${data.length}`);
  }
}

/**
 * Converts RGBA pixels (as `ImageData.data` holds them, 4 bytes a pixel) to
 * luma with the ITU-R BT.601 weights (0.299 R + 0.587 G + 0.114 B), in
 * integer arithmetic.
 * @throws RangeError when `rgba` is not `width * height * 4` bytes
 */
export function grayFromRgba(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): GrayFrame {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`RGBA of ${width}×${height} needs ${width * height * 4} bytes, got ${rgba.length}`);
  }
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    data[i] = (77 * rgba[j]! + 150 * rgba[j + 1]! + 29 * rgba[j + 2]!) >> 8;
  }
  return { width, height, data };
}
