/** What the viewer read back from the frames of a live video. */
export interface TimeCodeReading {
  /** Arrival time − painted time of each frame whose time code checked out, ms. */
  latenciesMs: number[];
  /** Frames whose time code did not check out (compression damage, a frame between two paints). */
  unreadable: number;
  /** Size of the decoded frames, pixels, e.g. `640x480`. */
  decodedSize: string;
}

/**
 * Runs in the viewer page on the live `<video>` (`locator.evaluate(readTimeCodes, frames)`):
 * for each decoded frame (`requestVideoFrameCallback`), takes the arrival
 * time (`performance.timeOrigin + performance.now()`, ms, the same clock as
 * the camera page's on one machine), draws the frame to a canvas and reads
 * the time code grid (see `installTimeCodeSource`) back: each cell's mean luma over
 * its middle, dark = 1. Resolves once `frames` frames were read.
 */
export function readTimeCodes(video: HTMLVideoElement, frames: number): Promise<TimeCodeReading> {
  const columns = 16;
  const rows = 4;
  const width = 320;
  const cell = width / columns;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = cell * rows;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const latenciesMs: number[] = [];
  let unreadable = 0;
  const bitAt = (pixels: Uint8ClampedArray, index: number): number => {
    const x0 = (index % columns) * cell + cell / 4;
    const y0 = Math.floor(index / columns) * cell + cell / 4;
    let sum = 0;
    let count = 0;
    for (let y = y0; y < y0 + cell / 2; y++) {
      for (let x = x0; x < x0 + cell / 2; x++) {
        const p = (y * width + x) * 4;
        sum += 0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!;
        count++;
      }
    }
    return sum / count < 128 ? 1 : 0;
  };
  const word = (pixels: Uint8ClampedArray, from: number, bits: number): number => {
    let value = 0;
    for (let i = from; i < from + bits; i++) value = value * 2 + bitAt(pixels, i);
    return value;
  };
  return new Promise((resolve) => {
    const onFrame = () => {
      const arrivalMs = performance.timeOrigin + performance.now();
      // The grid spans the frame's full width and 4 cells (4/16 of the width) of its height.
      const bandHeight = (video.videoWidth * rows) / columns;
      context.drawImage(video, 0, 0, video.videoWidth, bandHeight, 0, 0, width, cell * rows);
      const pixels = context.getImageData(0, 0, width, cell * rows).data;
      const high = word(pixels, 0, 16);
      const low = word(pixels, 16, 32);
      const check = word(pixels, 48, 16);
      if (((high ^ (low >>> 16) ^ (low & 0xffff) ^ 0x5a5a) & 0xffff) === check) {
        latenciesMs.push(arrivalMs - (high * 2 ** 32 + low));
      } else unreadable++;
      if (latenciesMs.length >= frames) {
        resolve({ latenciesMs, unreadable, decodedSize: `${video.videoWidth}x${video.videoHeight}` });
      } else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
}
