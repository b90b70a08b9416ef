import type { EventImages } from './worker-messages.js';

/** Thumbnail height, pixels (Frigate's: 180 px high, WebP quality 60). */
const THUMBNAIL_HEIGHT = 180;
const THUMBNAIL_QUALITY = 0.6;
const SNAPSHOT_QUALITY = 0.85;

/**
 * Keeps a full-size copy of the frame where an event peaked (`keep`, at each
 * new peak; the camera's frame itself can be closed at once) and encodes it
 * (`encode`): a JPEG snapshot at the picture's size and a thumbnail
 * `THUMBNAIL_HEIGHT` high, WebP where the browser encodes it, else JPEG.
 * `encode` copies the picture when called, so a later `keep` does not change
 * images being encoded.
 */
export class PeakSnapshot {
  private canvas: OffscreenCanvas | null = null;

  /**
   * Copies `image` (`width × height`, its display size in pixels) as the peak.
   * @throws Error when the browser gives no 2D context for an OffscreenCanvas
   */
  keep(image: CanvasImageSource, width: number, height: number): void {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
    }
    contextOf(this.canvas).drawImage(image, 0, 0, width, height);
  }

  /**
   * Encodes the kept peak.
   * @throws Error when no peak was kept, or when encoding fails
   */
  encode(): Promise<EventImages> {
    const canvas = this.canvas;
    if (!canvas) throw new Error('no peak frame kept to encode');
    const height = Math.min(THUMBNAIL_HEIGHT, canvas.height);
    const width = Math.max(1, Math.round((canvas.width * height) / canvas.height));
    // A canvas of its own per event: the JPEG fallback below is encoded after the next `keep` may have run.
    const small = new OffscreenCanvas(width, height);
    const smallContext = contextOf(small);
    smallContext.imageSmoothingQuality = 'high';
    smallContext.drawImage(canvas, 0, 0, width, height);
    const snapshot = canvas.convertToBlob({ type: 'image/jpeg', quality: SNAPSHOT_QUALITY });
    const thumbnail = encodeThumbnail(small);
    return Promise.all([snapshot, thumbnail]).then(([snapshot, thumbnail]) => ({ snapshot, thumbnail }));
  }
}

/** WebP where the browser encodes it (it gives PNG for a type it does not know), else JPEG. */
async function encodeThumbnail(canvas: OffscreenCanvas): Promise<Blob> {
  const webp = await canvas.convertToBlob({ type: 'image/webp', quality: THUMBNAIL_QUALITY });
  if (webp.type === 'image/webp') return webp;
  return canvas.convertToBlob({ type: 'image/jpeg', quality: THUMBNAIL_QUALITY });
}

function contextOf(canvas: OffscreenCanvas): OffscreenCanvasRenderingContext2D {
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context for an OffscreenCanvas');
  return context;
}
