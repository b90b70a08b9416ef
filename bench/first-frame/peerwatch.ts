import type { Browser } from '@playwright/test';
import { PwaHousehold } from '../support/pwa-household.js';
import { defineNameHelper } from '../support/browser-functions.js';
import { installFirstFrameProbe } from './probe.js';
import { callSteps, type CallSample, type FirstFrameSubject } from './subject.js';

/** Goal for the median time to first frame on loopback, ms. */
const TARGET_P50_MS = 300;

/**
 * The real PWA: a viewer page presses "Watch <camera>" (clicked by
 * Playwright) and waits for the first frame of `<video aria-label="Live: <camera>">`
 * from a paired PWA camera page; then presses "Hang up". The start is taken
 * in the viewer page by a capture-phase click listener the bench adds (the
 * app has no hook for it), so it includes everything the app does on the
 * click: the tile, the call, ICE and the first decoded frame.
 */
export class PeerwatchSubject implements FirstFrameSubject {
  readonly name = 'Peerwatch PWA';
  readonly targetP50Ms = TARGET_P50_MS;
  private household?: PwaHousehold;

  async setUp(browser: Browser): Promise<void> {
    this.household = await PwaHousehold.start(browser, { initScripts: [{ script: defineNameHelper }, { script: installFirstFrameProbe }] });
    await this.household.viewer.evaluate((label) => {
      const w = window as unknown as { benchFirstFrame?: Promise<number> };
      window.addEventListener(
        'click',
        (event) => {
          const pressed = event.composedPath().some((t) => t instanceof HTMLElement && t.getAttribute('aria-label') === label);
          if (pressed) w.benchFirstFrame = window.firstFrameProbe.start();
        },
        { capture: true },
      );
    }, `Watch ${this.household.cameraName}`);
  }

  async measureCall(): Promise<CallSample> {
    const household = this.household!;
    await household.watch();
    const firstFrameMs = await household.viewer.evaluate(
      () => (window as unknown as { benchFirstFrame: Promise<number> }).benchFirstFrame,
    );
    const steps = await callSteps(household.viewer, household.camera);
    await household.hangUp();
    return { firstFrameMs, steps };
  }

  async tearDown(): Promise<void> {
    await this.household?.stop();
  }
}
