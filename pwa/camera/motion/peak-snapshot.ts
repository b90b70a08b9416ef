import type { Picture } from './frame-gray.js';
import type { EventImages } from './worker-messages.js';

/** Thumbnail height, pixels (Frigate's: 180 px high, WebP quality 60). */
const THUMBNAIL_HEIGHT = 180;
const THUMBNAIL_QUALITY = 0.6;
const SNAPSHOT_QUALITY = 0.85;

/**
 * Keeps the picture where an event peaked (`keep`, at each new peak) and
 * encodes it (`encode`): a JPEG snapshot at the picture's size and a
 * thumbnail `THUMBNAIL_HEIGHT` high, WebP where the browser encodes it, else
 * JPEG. A VideoFrame in a known pixel format is kept as a copy of its planes
 * in a VideoFrame of its own (a memory copy, no colour conversion; never a
 * clone, which would hold one of the camera's few capture buffers and can
 * stall its frames) and drawn only when encoded; other pictures are drawn at
 * once. `encode` copies the picture when called, so a
 * later `keep` does not change images being encoded. `close` lets go of the
 * kept frame.
 */
export class PeakSnapshot {
  private canvas: OffscreenCanvas | null = null;
  /** The peak, when it is a VideoFrame not drawn yet. */
  private frame: VideoFrame | null = null;

  /**
   * Keeps `picture` as the peak; the caller may close it once this resolves.
   * @throws Error when the frame cannot be copied or the browser gives no 2D context for an OffscreenCanvas
   */
  async keep(picture: Picture): Promise<void> {
    this.close();
    const { image } = picture;
    if (typeof VideoFrame !== 'undefined' && image instanceof VideoFrame && image.format) {
      const buffer = new Uint8Array(image.allocationSize());
      const layout = await image.copyTo(buffer);
      const { width, height } = image.visibleRect!;
      this.frame = new VideoFrame(buffer, {
        format: image.format,
        codedWidth: width,
        codedHeight: height,
        displayWidth: image.displayWidth,
        displayHeight: image.displayHeight,
        timestamp: image.timestamp,
        layout,
        colorSpace: image.colorSpace.toJSON(),
      });
    } else {
      this.draw(image, picture.width, picture.height);
    }
  }

  close(): void {
    this.frame?.close();
    this.frame = null;
  }

  /**
   * Encodes the kept peak.
   * @throws Error when no peak was kept, or when encoding fails
   */
  encode(): Promise<EventImages> {
    if (this.frame) {
      this.draw(this.frame, this.frame.displayWidth, this.frame.displayHeight);
      this.close();
    }
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

  private draw(image: CanvasImageSource, width: number, height: number): void {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
    }
    contextOf(this.canvas).drawImage(image, 0, 0, width, height);
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
