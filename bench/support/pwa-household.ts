import type { Browser, BrowserContext, Page } from '@playwright/test';
import { pairCameraPage } from '../../tests/support/camera-page.js';
import { TestServer } from '../../tests/support/server.js';
import { signInToViewer } from '../../tests/support/viewer-page.js';

const CAMERA_NAME = 'Bench camera';

/** A function run in a page before its own scripts (`addInitScript(script, arg)`). */
export interface InitScript {
  script: (arg: never) => void;
  arg?: unknown;
}

/** Settings of a PWA household for a benchmark. */
export interface PwaHouseholdOptions {
  /** Extra environment for the Peerwatch server (e.g. TURN_URLS, TURN_SECRET). */
  serverEnv?: Record<string, string>;
  /** Init scripts for both pages, e.g. a probe. */
  initScripts?: InitScript[];
  /** Init scripts for the camera page only, e.g. a benchmark camera source. */
  cameraInitScripts?: InitScript[];
  /** Camera pages to pair (default 1), named `Bench camera`, or `Bench camera 1` … `Bench camera <n>` when more. */
  cameras?: number;
  /** The browser for the viewer page (default: the cameras' browser), e.g. to measure the viewer's processes alone. */
  viewerBrowser?: Browser;
}

/**
 * One household in the real PWA: a real Peerwatch server process (built PWA
 * from ./dist), camera pages paired through their pairing links (`/pair?server=<id>#<token>`,
 * then `/camera` with the browser's fake device unless an init script
 * replaces getUserMedia) and a viewer page signed in through the sign-in
 * form, each in its own browser context of `browser`. Ready when the viewer
 * lists every camera online ("Watch <name>" enabled).
 */
export class PwaHousehold {
  /** Name the (first) camera is paired under. */
  readonly cameraName: string;
  /** The first camera's page. */
  readonly camera: Page;

  private constructor(
    private readonly server: TestServer,
    readonly viewer: Page,
    /** The camera pages, in the order of `cameraNames`. */
    readonly cameras: Page[],
    private readonly contexts: BrowserContext[],
    /** Names the cameras are paired under. */
    readonly cameraNames: string[],
  ) {
    this.cameraName = cameraNames[0]!;
    this.camera = cameras[0]!;
  }

  /** @throws Error when the server does not start, pairing fails or the camera is not online within 20 000 ms */
  static async start(browser: Browser, options: PwaHouseholdOptions = {}): Promise<PwaHousehold> {
    const server = await TestServer.start({ env: options.serverEnv });
    const contexts: BrowserContext[] = [];
    try {
      const newContext = async (scripts: InitScript[], on = browser) => {
        const context = await on.newContext();
        contexts.push(context);
        for (const { script, arg } of scripts) await context.addInitScript(script, arg as never);
        return context;
      };
      const session = await server.register();
      const count = options.cameras ?? 1;
      const names = count === 1 ? [CAMERA_NAME] : Array.from({ length: count }, (_, i) => `${CAMERA_NAME} ${i + 1}`);
      const cameras: Page[] = [];
      for (const name of names) {
        const cameraContext = await newContext([...(options.initScripts ?? []), ...(options.cameraInitScripts ?? [])]);
        const camera = await cameraContext.newPage();
        await pairCameraPage(server, session.accessToken, camera, name);
        cameras.push(camera);
      }

      const viewer = await (await newContext(options.initScripts ?? [], options.viewerBrowser)).newPage();
      await signInToViewer(viewer, server.baseURL, session.user.email);
      for (const name of names) {
        await viewer.getByRole('button', { name: `Watch ${name}`, exact: true, disabled: false }).waitFor({ timeout: 20_000 });
      }
      return new PwaHousehold(server, viewer, cameras, contexts, names);
    } catch (error) {
      for (const context of contexts) await context.close();
      await server.stop();
      throw error;
    }
  }

  /** Presses "Watch <name>" on the viewer page. */
  watch(): Promise<void> {
    return this.viewer.getByRole('button', { name: `Watch ${this.cameraName}`, exact: true }).click();
  }

  /** Presses "Hang up" on the live tile and waits until the camera can be watched again. */
  async hangUp(): Promise<void> {
    await this.viewer.getByRole('button', { name: 'Hang up' }).click();
    await this.viewer.getByRole('button', { name: `Watch ${this.cameraName}`, exact: true, disabled: false }).waitFor();
  }

  /** Closes both pages and stops the server. */
  async stop(): Promise<void> {
    for (const context of this.contexts) await context.close();
    await this.server.stop();
  }
}
