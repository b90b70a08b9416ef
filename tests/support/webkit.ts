import { spawn, type ChildProcess } from 'node:child_process';
import { Builder, type WebDriver } from 'selenium-webdriver';
import { stopChild } from './listening-process.js';
import { freeTcpPort } from './tcp.js';

/** Debian's WebKitGTK MiniBrowser (package `webkit2gtk-driver`); override with `WEBKIT_MINIBROWSER_PATH`. */
const MINIBROWSER = process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** A WebKitGTK browser under WebDriver: the driver (`selenium-webdriver`) and what runs it. */
export interface WebKitBrowser {
  driver: WebDriver;
  /** Ends the WebDriver session and stops WebKitWebDriver and its X server. */
  close(): Promise<void>;
}

/**
 * Starts Debian's WebKitGTK (the engine of Safari) for one test: an X server
 * of its own (`Xvfb -displayfd`, MiniBrowser has no headless mode), then
 * `WebKitWebDriver` on a free loopback port, then one WebDriver session
 * (W3C WebDriver; WebKitWebDriver serves one session per process) of
 * MiniBrowser in automation mode with mock capture devices. Debian's build
 * has no WebRTC (`RTCPeerConnection` is undefined).
 * @throws Error when Xvfb or WebKitWebDriver cannot start (`apt-get install -y webkit2gtk-driver xvfb`)
 */
export async function launchWebKit(): Promise<WebKitBrowser> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.once('error', reject);
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    xvfb.stdio[3]!.on('data', (data: Buffer) => {
      text += data.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
  });
  const port = await freeTcpPort();
  // WebKit's processes write GStreamer, ALSA and GLib warnings to stderr: shown only with TEST_BROWSER_LOG set.
  const webDriver = spawn('WebKitWebDriver', [`--port=${port}`], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'ignore', process.env.TEST_BROWSER_LOG ? 'inherit' : 'ignore'],
  });
  const stopAll = async () => {
    await stopChild(webDriver, 'SIGTERM');
    await stopChild(xvfb, 'SIGTERM');
  };
  try {
    await waitForDriver(port, webDriver);
    const driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: MINIBROWSER,
          args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'],
        },
      })
      .build();
    await driver.manage().window().setRect({ width: 1280, height: 900 });
    return {
      driver,
      close: async () => {
        await driver.quit();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Resolves once WebKitWebDriver answers `GET /status` (W3C WebDriver §8.3) ready. @throws Error when it exits or takes 10 000 ms */
async function waitForDriver(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      const { value } = (await res.json()) as { value: { ready: boolean } };
      if (value.ready) return;
    } catch (error) {
      // fetch's TypeError: not listening yet, asked again below; anything else is a real failure.
      if (!(error instanceof TypeError)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('WebKitWebDriver did not answer within 10 000 ms');
}
