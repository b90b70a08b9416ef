import { BrowserQRCodeReader, type IScannerControls } from '@zxing/browser';
import { ChecksumException, FormatException, NotFoundException, type Result } from '@zxing/library';
import { log } from '../shared/logger.js';

/**
 * ZXing's QR code reader, looking at each camera frame in the next of four
 * orientations (0°, 90°, 180°, 270°) in turn. ZXing-js misses a share of
 * clear codes in one orientation that it reads in another (zxing-js/library
 * #653), and a steady camera shows the same picture frame after frame, so
 * varying the orientation is what lets such a code be read at all. (The
 * library's own `rotateCounterClockwise` keeps the old width and height, so
 * frames are turned here on a canvas.)
 */
class TurningQrCodeReader extends BrowserQRCodeReader {
  private attempt = 0;
  private readonly turned = document.createElement('canvas');

  override decodeFromCanvas(canvas: HTMLCanvasElement): Result {
    const quarterTurns = this.attempt++ % 4;
    return super.decodeFromCanvas(quarterTurns === 0 ? canvas : this.turn(canvas, quarterTurns));
  }

  /** `canvas` turned clockwise by `quarterTurns` × 90°, drawn on a reused canvas. */
  private turn(canvas: HTMLCanvasElement, quarterTurns: number): HTMLCanvasElement {
    const sideways = quarterTurns % 2 === 1;
    this.turned.width = sideways ? canvas.height : canvas.width;
    this.turned.height = sideways ? canvas.width : canvas.height;
    const context = this.turned.getContext('2d', { willReadFrequently: true });
    if (!context) return canvas;
    context.translate(this.turned.width / 2, this.turned.height / 2);
    context.rotate((quarterTurns * Math.PI) / 2);
    context.drawImage(canvas, -canvas.width / 2, -canvas.height / 2);
    return this.turned;
  }
}

/** Pause before scanning again after the scan loop stopped on an unexpected error, ms. */
const RESTART_DELAY_MS = 1_000;

/**
 * Scans QR codes from the camera (`BrowserQRCodeReader.decodeFromConstraints`,
 * the rear camera preferred) into `preview`, calling `onText` with each
 * decoded text, until the returned controls are stopped. ZXing ends its scan
 * loop on any error other than "no code / unreadable code" (e.g. a frame of
 * a size it did not expect); the scan is then started again.
 * @throws DOMException from getUserMedia when the camera cannot be used
 */
export async function scanQrCodes(preview: HTMLVideoElement, onText: (text: string) => void): Promise<IScannerControls> {
  let stopped = false;
  let current: IScannerControls | null = null;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  const start = async (): Promise<void> => {
    const controls = await new TurningQrCodeReader().decodeFromConstraints(
      { video: { facingMode: { ideal: 'environment' } }, audio: false },
      preview,
      (result, error, loop) => {
        if (result) onText(result.getText());
        const retried = error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException;
        if (!error || retried || stopped) return;
        loop.stop();
        restartTimer = setTimeout(
          () => void start().catch((error: unknown) => log.warn('qr scanner: restarting the camera failed', error)),
          RESTART_DELAY_MS,
        );
      },
    );
    if (stopped) controls.stop();
    else current = controls;
  };
  await start();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(restartTimer);
      current?.stop();
    },
  };
}
