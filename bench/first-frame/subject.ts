import type { Browser } from '@playwright/test';

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
  /** One call: ms from its start to the first decoded frame; the call is ended after. */
  measureCall(): Promise<number>;
  /** Closes pages and stops servers. */
  tearDown(): Promise<void>;
}
