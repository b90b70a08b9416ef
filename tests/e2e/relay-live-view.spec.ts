import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { AuthSession, IceServersResponse } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { pairCameraPage } from '../support/camera-page.js';
import { Coturn } from '../support/coturn.js';
import { expectMovingPictures } from '../support/live-video.js';
import { footageY4m } from '../support/media.js';
import { TestServer } from '../support/server.js';
import { signInToViewer } from '../support/viewer-page.js';

/**
 * Live view through a TURN relay only: a real coturn (Debian's turnserver),
 * a real server process with `ICE_TRANSPORT_POLICY=relay` and no STUN, a
 * camera page whose fake camera plays real footage, and a viewer page, each
 * in headless Chromium. The TURN credentials live 10 s, so the camera must
 * have refreshed its ICE servers before the viewer calls. With a server that
 * signs credentials with a wrong secret, the viewer says the relay refused
 * the connection instead of waiting forever.
 */
test.describe.configure({ mode: 'serial' });

const SECRET = `relay-secret-${Date.now()}`;
const CAMERA_NAME = 'Porch';
/** TURN credential lifetime handed out by the servers here, s. */
const TURN_TTL_S = 10;

let coturn: Coturn;
let cameraBrowser: Browser;
let viewerBrowser: Browser;
const servers: TestServer[] = [];
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  [coturn, cameraBrowser, viewerBrowser] = await Promise.all([
    Coturn.start({ secret: SECRET }),
    launchChromium({ fakeVideo: footageY4m(30) }),
    launchChromium(),
  ]);
});

test.afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await cameraBrowser?.close();
  await viewerBrowser?.close();
  await Promise.all([...servers.map((server) => server.stop()), coturn?.stop()]);
});

/** A server whose clients may only use the relay, its TURN credentials signed with `secret`. */
async function relayOnlyServer(secret: string): Promise<TestServer> {
  const server = await TestServer.start({
    env: {
      TURN_URLS: coturn.urls.join(','),
      TURN_SECRET: secret,
      TURN_TTL_S: String(TURN_TTL_S),
      ICE_TRANSPORT_POLICY: 'relay',
      STUN_URLS: '',
    },
  });
  servers.push(server);
  return server;
}

/**
 * A page in a new context of `browser` whose RTCPeerConnections are kept in
 * `window.peerConnections` (test instrumentation by an init script; the app is
 * not changed), and the `GET /api/ice-servers` answers it receives.
 */
async function instrumentedPage(browser: Browser): Promise<{ page: Page; iceAnswers: IceServersResponse[] }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  contexts.push(context);
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const kept: RTCPeerConnection[] = [];
    (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = kept;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        kept.push(this);
      }
    };
  });
  const page = await context.newPage();
  const iceAnswers: IceServersResponse[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/ice-servers' && response.ok()) {
      // A body still unread when the page closes at the end of a test is no finding; any earlier one is checked below.
      response.json().then((body: IceServersResponse) => iceAnswers.push(body), () => {});
    }
  });
  return { page, iceAnswers };
}

/** Signs in on the viewer page with the account of `session`. */
async function signIn(viewer: Page, server: TestServer, session: AuthSession): Promise<void> {
  await signInToViewer(viewer, server.baseURL, session.user.email);
  await expect(viewer.getByRole('button', { name: `Watch ${CAMERA_NAME}` })).toBeVisible();
}

/** The ICE policy and the selected candidate pair's candidate types of the page's connected peer connection. */
function selectedPair(page: Page) {
  return page.evaluate(async () => {
    const all = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections;
    const pc = all.find((candidate) => candidate.connectionState === 'connected');
    if (!pc) return null;
    const byId = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((report: Record<string, unknown>) => byId.set(report.id as string, report));
    const transport = [...byId.values()].find((report) => report.type === 'transport');
    const pair = byId.get(transport?.selectedCandidatePairId as string);
    return {
      policy: pc.getConfiguration().iceTransportPolicy,
      local: byId.get(pair?.localCandidateId as string)?.candidateType,
      remote: byId.get(pair?.remoteCandidateId as string)?.candidateType,
    };
  });
}

test('relay only: live video flows through TURN and the tile says "Relayed"; the camera refreshed its credentials', async () => {
  const server = await relayOnlyServer(SECRET);
  const user = await server.register();
  const camera = await instrumentedPage(cameraBrowser);
  const { deviceId } = await pairCameraPage(server, user.accessToken, camera.page, CAMERA_NAME);

  // The camera answers calls with `peer.options.config`: its first credentials expire after 10 s,
  // so it must hold fresh ones (refetched at 80 % of their lifetime) when the viewer calls later.
  await expect.poll(() => camera.iceAnswers.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const firstExpiryMs = camera.iceAnswers[0]!.expiresAtMs!;
  expect(camera.iceAnswers.every((answer) => answer.iceTransportPolicy === 'relay')).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstExpiryMs + 1_000 - Date.now())));

  const viewer = await instrumentedPage(viewerBrowser);
  await signIn(viewer.page, server, user);
  const fetchedBeforeWatch = viewer.iceAnswers.length;
  await viewer.page.getByRole('button', { name: `Watch ${CAMERA_NAME}` }).click();

  const video = viewer.page.getByLabel(`Live: ${CAMERA_NAME}`);
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.videoWidth), { timeout: 20_000 }).toBe(640);
  await expectMovingPictures(video);
  expect(viewer.iceAnswers.length).toBeGreaterThan(fetchedBeforeWatch);

  await expect(viewer.page.getByRole('status').filter({ hasText: 'Connection: Relayed' })).toBeVisible();
  await expect(viewer.page.getByText('640×480', { exact: true })).toBeVisible();
  await expect(viewer.page.getByText(/^\d+ kbit\/s$/)).toBeVisible();
  await expect(viewer.page.getByText(/^\d+ ms round trip$/)).toBeVisible();

  expect(await selectedPair(viewer.page)).toEqual({ policy: 'relay', local: 'relay', remote: 'relay' });
  expect(await selectedPair(camera.page)).toEqual({ policy: 'relay', local: 'relay', remote: 'relay' });
  const cameraUsername = new RegExp(`user <(\\d+):camera-${deviceId}>: incoming packet ALLOCATE processed, success`);
  const allocatedWith = Number(cameraUsername.exec(coturn.log)?.[1]) * 1_000;
  expect(allocatedWith).toBeGreaterThan(firstExpiryMs);
});

test('a relay that refuses the credentials: the viewer says there is no network path', async () => {
  const server = await relayOnlyServer(`not-${SECRET}`);
  const user = await server.register();
  const camera = await instrumentedPage(cameraBrowser);
  await pairCameraPage(server, user.accessToken, camera.page, CAMERA_NAME);
  const viewer = await instrumentedPage(viewerBrowser);
  await signIn(viewer.page, server, user);
  await viewer.page.getByRole('button', { name: `Watch ${CAMERA_NAME}` }).click();

  await expect(viewer.page.getByRole('status').filter({ hasText: /^Could not connect/ })).toHaveText(
    `Could not connect to ${CAMERA_NAME}: no network path (the relay server refused the connection).`,
    { timeout: 25_000 },
  );
  await expect(viewer.page.getByText('LIVE', { exact: true })).toBeHidden();
  expect(coturn.log).toMatch(/incoming packet message processed, error 401/);
});
