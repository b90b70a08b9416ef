import type { Page } from '@playwright/test';

/**
 * Makes a page report itself hidden or visible, as switching tabs would (W3C
 * Page Visibility: `document.visibilityState`, `document.hidden`, then a
 * `visibilitychange` event). Headless Chromium reports every page visible
 * whatever happens to it — checked on Chromium 156: another page of the same
 * window brought to front (`page.bringToFront()`), the window minimized (CDP
 * `Browser.setWindowBounds`), even with Playwright's anti-backgrounding flags
 * removed — so the page is told here. Only the page's own scripts see it; the
 * browser goes on rendering as for a visible tab.
 */
export async function setPageVisibility(page: Page, state: 'visible' | 'hidden'): Promise<void> {
  await page.evaluate((visibility) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}
