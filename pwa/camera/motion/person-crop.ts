import type { NormalisedBox } from './gray-frame.js';

/** The person model's input: a square this many pixels on a side (MoveNet Lightning's 192). */
export const MODEL_INPUT_SIZE = 192;

/** The square around a moving blob is this many times the blob's longer side (a blob is often only the moving part of a person). */
const CROP_MARGIN = 2;
/** The square is at least this share of the picture's height (a walking person at a distance, as a camera sees one). */
const MIN_CROP_SHARE = 0.25;

/** A square of a picture, pixels from its top left corner. */
export interface CropSquare {
  x: number;
  y: number;
  side: number;
}

/**
 * The square of a `width × height` picture the person model looks at for
 * motion in `box`: centred on the box, `CROP_MARGIN` times its longer side
 * (at least `MIN_CROP_SHARE` of the height, at most the picture's shorter
 * side), moved inside the picture. Pure.
 * @throws RangeError when the picture size is not positive
 */
export function cropSquare(box: NormalisedBox, width: number, height: number): CropSquare {
  if (!(width > 0 && height > 0)) throw new RangeError(`picture size must be positive, got ${width}×${height}`);
  const longer = Math.max(box.width * width, box.height * height);
  const side = Math.round(Math.min(Math.min(width, height), Math.max(longer * CROP_MARGIN, MIN_CROP_SHARE * height)));
  const centreX = (box.x + box.width / 2) * width;
  const centreY = (box.y + box.height / 2) * height;
  const x = Math.round(Math.min(width - side, Math.max(0, centreX - side / 2)));
  const y = Math.round(Math.min(height - side, Math.max(0, centreY - side / 2)));
  return { x, y, side };
}

/**
 * Draws squares of camera pictures at the model's input size and reads their
 * pixels back (one reused OffscreenCanvas).
 */
export class PersonCrop {
  private context: OffscreenCanvasRenderingContext2D | null = null;

  /**
   * The RGBA pixels of `square` of `image`, scaled to `MODEL_INPUT_SIZE` square.
   * @throws Error when the browser gives no 2D context for an OffscreenCanvas
   */
  read(image: CanvasImageSource, square: CropSquare): ImageData {
    if (!this.context) {
      this.context = new OffscreenCanvas(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE).getContext('2d', { willReadFrequently: true });
      if (!this.context) throw new Error('no 2D context for an OffscreenCanvas');
    }
    this.context.drawImage(image, square.x, square.y, square.side, square.side, 0, 0, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
    return this.context.getImageData(0, 0, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
  }
}
