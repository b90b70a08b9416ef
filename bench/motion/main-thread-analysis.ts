/**
 * Bench-only browser code, bundled by the motion section and added to the
 * camera page: runs the motion worker's own per-frame work (`FrameAnalysis`)
 * on the page's main thread for `seconds`, on a clone of the camera preview's
 * track, one frame every `SAMPLE_INTERVAL_MS`, and returns each frame's cost
 * in ms. Chromium refuses CPU throttling on worker targets ("only supported
 * for pages"), so this is how the bench sees the cost on a throttled CPU.
 */
import { FrameAnalysis } from '../../pwa/camera/motion/frame-analysis.js';
import { DEFAULT_MOTION_SETTINGS } from '../../pwa/camera/motion/motion-settings.js';
import { SAMPLE_INTERVAL_MS } from '../../pwa/camera/motion/worker-messages.js';

type TrackProcessor = new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> };

/** The camera preview's `<video>`, inside the app's shadow roots. */
function findPreview(root: Document | ShadowRoot): HTMLVideoElement | null {
  const video = root.querySelector<HTMLVideoElement>('video[aria-label="Camera preview"]');
  if (video) return video;
  for (const element of root.querySelectorAll('*')) {
    const found = element.shadowRoot && findPreview(element.shadowRoot);
    if (found) return found;
  }
  return null;
}

async function analyseOnMainThread(seconds: number): Promise<number[]> {
  const stream = findPreview(document)?.srcObject as MediaStream | undefined;
  const track = stream?.getVideoTracks()[0]?.clone();
  if (!track) throw new Error('no camera preview track');
  const Processor = (window as unknown as { MediaStreamTrackProcessor: TrackProcessor }).MediaStreamTrackProcessor;
  const reader = new Processor({ track }).readable.getReader();
  // The detector's cost alone: the person model runs in the worker only (its own figure).
  const analysis = new FrameAnalysis({ ...DEFAULT_MOTION_SETTINGS, personDetection: false }, () => {});
  const costsMs: number[] = [];
  const endMs = performance.now() + seconds * 1000;
  let lastMs = -Infinity;
  try {
    while (performance.now() < endMs) {
      const { value: frame, done } = await reader.read();
      if (done) break;
      const nowMs = performance.now();
      if (nowMs - lastMs >= SAMPLE_INTERVAL_MS) {
        lastMs = nowMs;
        await analysis.analyse({ image: frame, width: frame.displayWidth, height: frame.displayHeight }, performance.timeOrigin + nowMs);
        costsMs.push(performance.now() - nowMs);
      }
      frame.close();
    }
  } finally {
    await reader.cancel();
    track.stop();
  }
  return costsMs;
}

(window as unknown as { peerwatchAnalyseOnMainThread: typeof analyseOnMainThread }).peerwatchAnalyseOnMainThread =
  analyseOnMainThread;
