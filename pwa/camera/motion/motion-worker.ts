/**
 * The motion worker (a dedicated worker, so detection never blocks the camera
 * page): takes camera pictures either from a transferred
 * `ReadableStream<VideoFrame>` (MediaStreamTrackProcessor, W3C
 * mediacapture-transform §3) or as `sample` messages, analyses one about
 * every `SAMPLE_INTERVAL_MS` (`FrameAnalysis`) and closes every frame it
 * gets. Protocol: `ToMotionWorker` in, `FromMotionWorker` out.
 */
import { FrameAnalysis } from './frame-analysis.js';
import type { Picture } from './frame-gray.js';
import type { MotionSettings } from './motion-settings.js';
import { SAMPLE_INTERVAL_MS, type FrameSource, type FromMotionWorker, type ToMotionWorker } from './worker-messages.js';
import { log } from '../../shared/logger.js';

/** The parts of `DedicatedWorkerGlobalScope` used here (the project's TypeScript lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((message: MessageEvent<ToMotionWorker>) => void) | null;
  postMessage(message: FromMotionWorker): void;
  close(): void;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromMotionWorker) => scope.postMessage(message);

let analysis: FrameAnalysis | null = null;
let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
/** A frame this much before its turn still counts as due (half a frame at 30 fps), ms. */
const EARLY_TOLERANCE_MS = 17;
/** Time of the last analysed picture, ms since the epoch. */
let lastAnalysedAtMs = -Infinity;

/** Whether a picture is being analysed (a sample that comes meanwhile is dropped). */
let busy = false;

/** Analyses `picture` if it is due and nothing else is; reports a failure and stops on an error. Close the picture once this resolves. */
async function offer(picture: Picture, atMs: number): Promise<void> {
  if (!analysis || busy || atMs - lastAnalysedAtMs < SAMPLE_INTERVAL_MS - EARLY_TOLERANCE_MS) return;
  lastAnalysedAtMs = Math.max(atMs, lastAnalysedAtMs);
  busy = true;
  try {
    await analysis.analyse(picture, lastAnalysedAtMs);
  } catch (error) {
    post({ type: 'failed', message: `motion analysis failed: ${String(error)}` });
    void stop();
  } finally {
    busy = false;
  }
}

/**
 * Reads VideoFrames until the stream ends or `stop`; frame times come from
 * `VideoFrame.timestamp` (µs), anchored to the clock at the first frame, and
 * again should the timestamps ever go back (a restarted source).
 */
async function readStream(frames: ReadableStream<VideoFrame>): Promise<void> {
  reader = frames.getReader();
  let anchor: { timestampUs: number; atMs: number } | null = null;
  let lastTimestampUs = -Infinity;
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done) return;
    try {
      if (!anchor || frame.timestamp < lastTimestampUs) {
        anchor = { timestampUs: frame.timestamp, atMs: Math.max(performance.timeOrigin + performance.now(), lastAnalysedAtMs) };
      }
      lastTimestampUs = frame.timestamp;
      const atMs = anchor.atMs + (frame.timestamp - anchor.timestampUs) / 1000;
      await offer({ image: frame, width: frame.displayWidth, height: frame.displayHeight }, atMs);
    } finally {
      frame.close();
    }
  }
}

function start(source: FrameSource, settings: MotionSettings): void {
  analysis = new FrameAnalysis(settings, post);
  if (source.kind === 'stream') {
    readStream(source.frames).catch((error: unknown) => {
      if (analysis) post({ type: 'failed', message: `reading camera frames failed: ${String(error)}` });
    });
  }
}

/** Cancels the stream (closing queued frames), lets pending event messages go, closes the kept peak frame, says `stopped` and closes the worker. */
async function stop(): Promise<void> {
  const pending = analysis?.close();
  analysis = null;
  await reader?.cancel().catch((error: unknown) => log.warn('motion: cancelling the frame stream failed', error));
  reader = null;
  await pending;
  post({ type: 'stopped' });
  scope.close();
}

scope.onmessage = ({ data: message }) => {
  switch (message.type) {
    case 'start':
      try {
        start(message.source, message.settings);
      } catch (error) {
        post({ type: 'failed', message: `motion detection could not start: ${String(error)}` });
      }
      return;
    case 'sample': {
      const { image, atMs } = message;
      void offer({ image, width: image.width, height: image.height }, atMs).finally(() => image.close());
      return;
    }
    case 'settings':
      try {
        analysis?.configure(message.settings);
      } catch (error) {
        post({ type: 'failed', message: `the motion settings could not be followed: ${String(error)}` });
      }
      return;
    case 'stop':
      void stop();
      return;
  }
};
