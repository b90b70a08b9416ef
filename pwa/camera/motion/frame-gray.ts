import { CanvasGray } from './canvas-gray.js';
import type { GrayFrame } from './gray-frame.js';

/** A camera picture: a VideoFrame or an ImageBitmap, with its display size in pixels. */
export interface Picture {
  image: VideoFrame | ImageBitmap;
  width: number;
  height: number;
}

/** VideoFrame formats whose first plane is 8-bit luma (W3C WebCodecs §9.8, VideoPixelFormat). */
const LUMA_FIRST: ReadonlySet<string> = new Set(['I420', 'I420A', 'I422', 'I422A', 'I444', 'I444A', 'NV12']);

/**
 * Gray frames of camera pictures. A VideoFrame in a YUV format gives its
 * luma plane straight (`VideoFrame.copyTo`, WebCodecs §9.4: no colour
 * conversion, no canvas); other pictures are drawn shrunk on a canvas
 * (`CanvasGray`). The luma plane is the frame's visible size and is shrunk
 * by the detector. A frame `read` returns may share memory with the next:
 * use it before reading another.
 */
export class FrameGray {
  private readonly canvas = new CanvasGray();
  private buffer = new Uint8Array(0);

  /** @throws Error when the frame cannot be copied or the canvas cannot be used */
  async read(picture: Picture): Promise<GrayFrame> {
    const { image } = picture;
    if (!(typeof VideoFrame !== 'undefined' && image instanceof VideoFrame) || !image.format || !LUMA_FIRST.has(image.format)) {
      return this.canvas.read(image, picture.width, picture.height);
    }
    const size = image.allocationSize();
    if (this.buffer.length < size) this.buffer = new Uint8Array(size);
    const [luma] = await image.copyTo(this.buffer);
    const { width, height } = image.visibleRect!;
    // Tightly packed (the default layout, WebCodecs §9.4.6): the plane as it is, valid until the next read.
    if (luma!.offset === 0 && luma!.stride === width) return { width, height, data: this.buffer.subarray(0, width * height) };
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const from = luma!.offset + y * luma!.stride;
      data.set(this.buffer.subarray(from, from + width), y * width);
    }
    return { width, height, data };
  }
}
