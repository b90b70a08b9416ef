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
}

/**
 * One household in the real PWA: a real Peerwatch server process (built PWA
 * from ./dist), a camera page paired through its pairing link (`/pair?server=<id>#<token>`,
 * then `/camera` with the browser's fake device unless an init script
 * replaces getUserMedia) and a viewer page signed in through the sign-in
 * form, each in its own browser context of `browser`. Ready when the viewer
 * lists the camera online ("Watch <name>" enabled).
 */
export class PwaHousehold {
  /** Name the camera is paired under. */
  readonly cameraName = CAMERA_NAME;

  private constructor(
    private readonly server: TestServer,
    readonly viewer: Page,
    readonly camera: Page,
    private readonly contexts: BrowserContext[],
  ) {}

  /** @throws Error when the server does not start, pairing fails or the camera is not online within 20 000 ms */
  static async start(browser: Browser, options: PwaHouseholdOptions = {}): Promise<PwaHousehold> {
    const server = await TestServer.start({ env: options.serverEnv });
    const contexts: BrowserContext[] = [];
    try {
      const newContext = async (scripts: InitScript[]) => {
        const context = await browser.newContext();
        contexts.push(context);
        for (const { script, arg } of scripts) await context.addInitScript(script, arg as never);
        return context;
      };
      const session = await server.register();
      const cameraContext = await newContext([...(options.initScripts ?? []), ...(options.cameraInitScripts ?? [])]);
      const camera = await cameraContext.newPage();
      await pairCameraPage(server, session.accessToken, camera, CAMERA_NAME);

      const viewer = await (await newContext(options.initScripts ?? [])).newPage();
      await signInToViewer(viewer, server.baseURL, session.user.email);
      await viewer.getByRole('button', { name: `Watch ${CAMERA_NAME}`, disabled: false }).waitFor({ timeout: 20_000 });
      return new PwaHousehold(server, viewer, camera, contexts);
    } catch (error) {
      for (const context of contexts) await context.close();
      await server.stop();
      throw error;
    }
  }

  /** Presses "Watch <name>" on the viewer page. */
  watch(): Promise<void> {
    return this.viewer.getByRole('button', { name: `Watch ${this.cameraName}` }).click();
  }

  /** Presses "Hang up" on the live tile and waits until the camera can be watched again. */
  async hangUp(): Promise<void> {
    await this.viewer.getByRole('button', { name: 'Hang up' }).click();
    await this.viewer.getByRole('button', { name: `Watch ${this.cameraName}`, disabled: false }).waitFor();
  }

  /** Closes both pages and stops the server. */
  async stop(): Promise<void> {
    for (const context of this.contexts) await context.close();
    await this.server.stop();
  }
}
