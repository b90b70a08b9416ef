import { ANALYSIS_HEIGHT } from './motion-detector.js';
import { grayFromRgba, type GrayFrame } from './gray-frame.js';

/** Pictures are drawn at twice the analysis height; the detector's area averaging does the rest. */
const DRAW_HEIGHT = ANALYSIS_HEIGHT * 2;

/**
 * Turns camera pictures (VideoFrame, ImageBitmap) into small gray frames:
 * draws them shrunk to `DRAW_HEIGHT` rows on an OffscreenCanvas, reads the
 * pixels back and converts them to luma. One canvas, reused while the
 * picture size stays the same.
 */
export class CanvasGray {
  private canvas: OffscreenCanvas | null = null;
  private context: OffscreenCanvasRenderingContext2D | null = null;

  /**
   * @param width, height the picture's display size, pixels
   * @throws Error when the browser gives no 2D context for an OffscreenCanvas
   */
  read(image: CanvasImageSource, width: number, height: number): GrayFrame {
    const drawHeight = Math.min(height, DRAW_HEIGHT);
    const drawWidth = Math.max(1, Math.round((width * drawHeight) / height));
    if (!this.canvas || this.canvas.width !== drawWidth || this.canvas.height !== drawHeight) {
      this.canvas = new OffscreenCanvas(drawWidth, drawHeight);
      this.context = this.canvas.getContext('2d', { willReadFrequently: true });
      if (!this.context) throw new Error('no 2D context for an OffscreenCanvas');
      this.context.imageSmoothingQuality = 'medium';
    }
    const context = this.context!;
    context.drawImage(image, 0, 0, drawWidth, drawHeight);
    return grayFromRgba(context.getImageData(0, 0, drawWidth, drawHeight).data, drawWidth, drawHeight);
  }
}
