import { chromium, firefox, type Browser, type BrowserContext } from '@playwright/test';

/** Chromium flags that work headless as root on Debian (see shared notes). */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

export interface LaunchOptions {
  /** Absolute path of a .y4m/.mjpeg file the fake camera plays (fixed for the browser's life). */
  fakeVideo?: string;
  args?: string[];
}

function chromiumOptions(options: LaunchOptions) {
  const args = [...BASE_ARGS, ...(options.args ?? [])];
  if (options.fakeVideo) args.push(`--use-file-for-fake-video-capture=${options.fakeVideo}`);
  return { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args };
}

/** Launches Debian's Chromium (/usr/bin/chromium) headless with a fake camera. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch(chromiumOptions(options));
}

/**
 * Launches Chromium on a profile folder that outlives the browser (IndexedDB,
 * localStorage, …), e.g. to relaunch a paired camera with another fake video
 * file and the same stored credential. Close the context to end the browser.
 */
export function launchPersistentChromium(userDataDir: string, options: LaunchOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, chromiumOptions(options));
}

/** The browser engines the tests drive: Debian's Chromium and Debian's Firefox ESR. */
export type Engine = 'chromium' | 'firefox';

/**
 * Firefox preferences for headless tests: a fake camera and microphone
 * (Firefox's synthetic test pattern and tone; it cannot play a file) without a
 * permission prompt, and media allowed to autoplay (as Chromium's
 * `--autoplay-policy=no-user-gesture-required`).
 */
const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
};

/**
 * Launches Debian's Firefox ESR (/usr/lib/firefox-esr/firefox-esr, override
 * with `FIREFOX_PATH`) headless with fake media, driven by Playwright over
 * WebDriver BiDi (`channel: 'moz-firefox'`, no patched Firefox build and no
 * geckodriver needed). Playwright is pinned at 1.64.1 for this: 1.65 sends
 * `emulation.setMediaFeaturesOverride` (prefers-color-scheme) for every new
 * browser context, which Firefox ESR 153 answers with "unknown command".
 */
export function launchFirefox(): Promise<Browser> {
  return firefox.launch({
    channel: 'moz-firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr',
    headless: true,
    firefoxUserPrefs: FIREFOX_PREFS,
  });
}


/**
 * Echoes the app's own console warnings and errors (`[peerwatch] …`, see
 * pwa/shared/logger.ts) of every page in `context` to the test's output,
 * marked with `label`: e.g. why a live call dropped, next to a failure.
 */
export function echoAppWarnings(context: BrowserContext, label: string): void {
  context.on('console', (message) => {
    const type = message.type();
    if ((type === 'warning' || type === 'error') && message.text().startsWith('[peerwatch]')) {
      console.warn(`[${label}] ${message.text()}`);
    }
  });
}
