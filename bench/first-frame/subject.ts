import type { Browser, Page } from '@playwright/test';

/**
 * One measured call: ms from its start to the first decoded frame, and to each step
 * (`FirstFrameProbe.steps`) in the viewer page and, prefixed `camera: `, in the camera page.
 */
export interface CallSample {
  firstFrameMs: number;
  steps: Record<string, number>;
}

/** The steps of the last call measured in `viewer` (and answered in `camera`), as ms from its start. */
export async function callSteps(viewer: Page, camera: Page): Promise<Record<string, number>> {
  const read = () => ({ startedAtMs: window.firstFrameProbe.startedAtMs(), steps: window.firstFrameProbe.steps() });
  const [calling, answering] = await Promise.all([viewer.evaluate(read), camera.evaluate(read)]);
  const since = (atMs: number) => atMs - calling.startedAtMs;
  return Object.fromEntries([
    ...Object.entries(calling.steps).map(([step, atMs]) => [step, since(atMs)]),
    ...Object.entries(answering.steps).map(([step, atMs]) => [`camera: ${step}`, since(atMs)]),
  ]);
}


/**
 * A camera and a viewer whose time to first frame is measured, one call at a
 * time. Each subject's pages install the same probe (probe.ts), so the
 * figures compare like with like.
 *
 * The bare PeerJS subject is the baseline. A Peerwatch subject (the viewer
 * presses "Watch" in the real PWA against a paired PWA camera, the start
 * marked by a capture-phase click listener calling `firstFrameProbe.start()`)
 * is added to the section's subject list as a sibling; the section then
 * prints its figures and its ratio to the baseline.
 */
export interface FirstFrameSubject {
  /** Label in the report, e.g. `bare PeerJS`. */
  name: string;
  /** Goal for the median, ms, where there is one. */
  targetP50Ms?: number;
  /** Starts servers and opens the camera and viewer pages in `browser`. */
  setUp(browser: Browser): Promise<void>;
  /** One call: ms from its start to the first decoded frame, and to each step on the way; the call is ended after. */
  measureCall(): Promise<CallSample>;
  /** Closes pages and stops servers. */
  tearDown(): Promise<void>;
}
