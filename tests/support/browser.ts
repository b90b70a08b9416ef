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


/** How many of the app's latest console lines `recentAppLog` keeps, across all recorded contexts. */
const APP_LOG_LINES = 60;
const appLog: string[] = [];

/**
 * Records the app's own console lines (`[peerwatch] …`, see
 * pwa/shared/logger.ts) of every page in `context`, marked with `label`,
 * with its debug output turned on (`peerwatch.debug`): warnings and errors
 * are echoed to the test's output at once (e.g. why a live call dropped), and
 * the latest lines of every level are kept for a failure message
 * (`recentAppLog`).
 */
export async function recordAppLog(context: BrowserContext, label: string): Promise<void> {
  context.on('console', (message) => {
    const text = message.text();
    if (!text.startsWith('[peerwatch]')) return;
    const type = message.type();
    const line = `${new Date().toISOString().slice(11, 23)} [${label}] ${type} ${text}`;
    appLog.push(line);
    if (appLog.length > APP_LOG_LINES) appLog.shift();
    if (type === 'warning' || type === 'error') console.warn(line);
  });
  await context.addInitScript(() => {
    // about:blank has no storage of its own; the app's pages (http, https) do.
    if (location.protocol.startsWith('http')) localStorage.setItem('peerwatch.debug', '1');
  });
}

/** The latest app console lines of the contexts given to `recordAppLog`, oldest first, one a line. */
export function recentAppLog(): string {
  return appLog.join('\n');
}
