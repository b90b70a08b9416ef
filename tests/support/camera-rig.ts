import { test, type Browser } from '@playwright/test';
import { launchChromium } from './browser.js';
import { TestServer } from './server.js';

/** A test file's server and each test's camera browser (see `useCameraRig`). */
export interface CameraRig {
  /** The file's server (started before its first test). */
  readonly server: TestServer;
  /** Launches this test's camera browser, whose fake camera plays `fakeVideo` from its start; closed after the test. */
  launchCamera(fakeVideo: string): Promise<Browser>;
}

/**
 * Registers a test file's hooks for a real server shared by its tests and one
 * camera browser per test (a fake camera's footage is per browser process, so
 * each test's camera starts it anew): call at the top level of the file.
 */
export function useCameraRig(): CameraRig {
  let server: TestServer | undefined;
  let camera: Browser | undefined;
  test.beforeAll(async () => {
    server = await TestServer.start();
  });
  test.afterEach(async () => {
    await camera?.close();
    camera = undefined;
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the camera rig’s server is not started yet (use it inside a test)');
      return server;
    },
    async launchCamera(fakeVideo) {
      camera = await launchChromium({ fakeVideo });
      return camera;
    },
  };
}
