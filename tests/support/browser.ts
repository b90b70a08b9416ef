import { chromium, type Browser, type BrowserContext } from '@playwright/test';

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
