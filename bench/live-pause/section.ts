import type { Browser } from '@playwright/test';
import { launchChromium } from '../../tests/support/browser.js';
import { footageY4m } from '../../tests/support/media.js';
import { setPageVisibility } from '../../tests/support/page-visibility.js';
import { figureMaker, type SectionResult } from '../report.js';
import type { Section } from '../section.js';
import { cpuShare } from '../support/browser-cpu.js';
import { defineNameHelper } from '../support/browser-functions.js';
import { PwaHousehold } from '../support/pwa-household.js';

/** Cameras on the wall. */
const CAMERAS = 4;
/** Each CPU window, ms. */
const WINDOW_MS = 10_000;
/** Settling time before the visible window (calls up, bitrate ramped), ms. */
const SETTLE_MS = 3_000;
/** Goal: the hidden wall's renderer CPU as a share of the visible wall's, %. */
const TARGET_HIDDEN_SHARE = 10;
const figure = figureMaker('live-pause', (name) => `${name}, ${CAMERAS} cameras in "Watch all"`);

/** Waits until the viewer shows every camera live (a decoded frame in each tile). */
async function waitForLiveWall(household: PwaHousehold): Promise<void> {
  for (const name of household.cameraNames) {
    await household.viewer
      .getByLabel(`Live: ${name}`, { exact: true })
      .evaluate(
        (video: HTMLVideoElement) =>
          new Promise<void>((resolve) => {
            if (video.videoWidth > 0) resolve();
            else video.addEventListener('resize', () => resolve(), { once: true });
          }),
      );
  }
}

/**
 * Viewer CPU with a wall of live tiles, tab visible vs hidden: 4 camera
 * pages (real PWA, fake camera playing real footage) and a viewer page in
 * its own browser, "Watch all". CPU time of the viewer browser's renderer
 * processes (CDP `SystemInfo.getProcessInfo`, `cpuTime`) over 10 000 ms
 * with the tab visible, then over 10 000 ms after every tile paused once
 * the tab was hidden.
 */
export const livePauseSection: Section = {
  name: 'live-pause',
  description: `viewer renderer CPU with ${CAMERAS} cameras in "Watch all", tab visible vs hidden`,
  async run(): Promise<SectionResult> {
    let cameraBrowser: Browser | undefined;
    let viewerBrowser: Browser | undefined;
    let household: PwaHousehold | undefined;
    try {
      [cameraBrowser, viewerBrowser] = await Promise.all([
        launchChromium({ fakeVideo: footageY4m(30) }),
        launchChromium(),
      ]);
      household = await PwaHousehold.start(cameraBrowser, {
        cameras: CAMERAS,
        viewerBrowser,
        initScripts: [{ script: defineNameHelper }],
      });
      const cdp = await viewerBrowser.newBrowserCDPSession();
      const { viewer } = household;
      await viewer.getByRole('button', { name: 'Watch all' }).click();
      await waitForLiveWall(household);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const visible = await cpuShare(cdp, WINDOW_MS);

      await setPageVisibility(viewer, 'hidden');
      await viewer
        .getByRole('status')
        .filter({ hasText: 'Paused' })
        .nth(CAMERAS - 1)
        .waitFor({ timeout: 20_000 });
      const hidden = await cpuShare(cdp, WINDOW_MS);
      return {
        figures: [
          figure('viewer renderer CPU, tab visible', visible.renderer, '% of a core'),
          figure('viewer renderer CPU, tab hidden', hidden.renderer, '% of a core'),
          figure('viewer renderer CPU hidden / visible', (hidden.renderer / visible.renderer) * 100, '%', TARGET_HIDDEN_SHARE),
          figure('viewer browser CPU (all processes), tab visible', visible.total, '% of a core'),
          figure('viewer browser CPU (all processes), tab hidden', hidden.total, '% of a core'),
        ],
        notes: [
          `CPU over ${WINDOW_MS / 1000} s windows; "hidden" starts once every tile had paused (5 s grace).`,
          'Headless Chromium reports every tab visible, so the page is told it is hidden (visibilityState + visibilitychange); the browser keeps rendering it as a visible tab, so the hidden figure counts what the tiles save, not the browser\'s own throttling of background tabs.',
        ],
      };
    } finally {
      await household?.stop();
      await viewerBrowser?.close();
      await cameraBrowser?.close();
    }
  },
};
