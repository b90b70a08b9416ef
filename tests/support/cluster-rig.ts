import { expect, test, type Browser, type Page } from '@playwright/test';
import { launchChromium, recordAppLog } from './browser.js';
import { logChunkWrites, type ChunkLog } from './camera-page.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import { footageY4m } from './media.js';
import { signInToViewer } from './viewer-page.js';

/** A test file's cluster, its viewers' browser and each test's camera browser (see `useClusterRig`). */
export interface ClusterRig {
  /** The file's cluster (started before its first test). */
  readonly cluster: Cluster;
  /** Launches this test's camera browser (its fake camera plays 30 s of real footage) and opens a page whose chunk writes are logged; closed after the test. */
  launchCamera(): Promise<{ page: Page; log: ChunkLog }>;
  /** A new viewer page signed in as `email` on `server` (an instance reached directly, or haproxy); resolves once it shows "Add camera". */
  openViewer(server: { readonly baseURL: string }, email: string): Promise<Page>;
}

/**
 * Registers a test file's hooks for one cluster (tests/support/cluster.ts)
 * and one viewer browser shared by its tests, and one camera browser per test
 * (a fake camera's footage is per browser process): call at the top level of the file.
 */
export function useClusterRig(options: ClusterOptions = {}): ClusterRig {
  let cluster: Cluster | undefined;
  let viewerBrowser: Browser | undefined;
  let cameraBrowser: Browser | undefined;
  test.beforeAll(async () => {
    cluster = await Cluster.start(options);
    viewerBrowser = await launchChromium();
  });
  test.afterEach(async () => {
    await cameraBrowser?.close();
    cameraBrowser = undefined;
  });
  test.afterAll(async () => {
    await viewerBrowser?.close();
    await cluster?.stop();
  });
  return {
    get cluster() {
      if (!cluster) throw new Error('the cluster is not started yet (use it inside a test)');
      return cluster;
    },
    async launchCamera() {
      cameraBrowser = await launchChromium({ fakeVideo: footageY4m(30) });
      const context = await cameraBrowser.newContext({ viewport: { width: 900, height: 1000 } });
      await recordAppLog(context, 'camera');
      const log = await logChunkWrites(context);
      return { page: await context.newPage(), log };
    },
    async openViewer(server, email) {
      const context = await viewerBrowser!.newContext({ viewport: { width: 1280, height: 1000 } });
      await recordAppLog(context, 'viewer');
      const viewer = await context.newPage();
      await signInToViewer(viewer, server.baseURL, email);
      await expect(viewer.getByRole('button', { name: 'Add camera' })).toBeVisible();
      return viewer;
    },
  };
}
