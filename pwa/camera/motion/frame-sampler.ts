import { SAMPLE_INTERVAL_MS } from './worker-messages.js';
import { log } from '../../shared/logger.js';

/**
 * The way in for browsers without MediaStreamTrackProcessor: plays a video
 * track in a detached, muted `<video>` and, every `SAMPLE_INTERVAL_MS`, hands
 * `deliver` an ImageBitmap of the current picture (full size, for the
 * snapshot; transferable, so it reaches the worker without a copy) with the
 * time it was taken (ms since the epoch). One picture at a time: a slow
 * device skips samples instead of queueing them.
 */
export class FrameSampler {
  private readonly video = document.createElement('video');
  private timer: ReturnType<typeof setInterval> | undefined;
  private taking = false;

  constructor(
    track: MediaStreamTrack,
    private readonly deliver: (image: ImageBitmap, atMs: number) => void,
  ) {
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = new MediaStream([track]);
  }

  start(): void {
    this.video.play().catch((error: unknown) => log.warn('motion: the sampling video does not play', error));
    this.timer ??= setInterval(() => void this.take(), SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.video.srcObject = null;
  }

  private async take(): Promise<void> {
    if (this.taking || this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
    this.taking = true;
    const atMs = performance.timeOrigin + performance.now();
    try {
      const image = await createImageBitmap(this.video);
      if (this.timer === undefined) image.close();
      else this.deliver(image, atMs);
    } catch (error) {
      log.warn('motion: could not take a picture of the camera', error);
    } finally {
      this.taking = false;
    }
  }
}
