import path from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { launchChromium } from '../support/browser.js';
import type { SignalingTicket } from '../../protocol/index.js';

/**
 * The signaling server is attacked with the real PeerJS client, in Chromium,
 * using the camera's real peer id: only its own household gets through.
 */
const PEERJS = path.resolve(import.meta.dirname, '../../node_modules/peerjs/dist/peerjs.min.js');

let server: TestServer;
let browser: Browser;
test.beforeAll(async () => {
  server = await TestServer.start();
  browser = await launchChromium();
});
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function peerPage(): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.baseURL}/healthz`);
  await page.addScriptTag({ path: PEERJS });
  return page;
}

async function ticket(auth: string, body: object = {}): Promise<SignalingTicket> {
  const res = await server.request('POST', '/api/signaling/tickets', { auth, body });
  expect(res.status).toBe(201);
  return res.body as SignalingTicket;
}

/** Opens a PeerJS peer in the page; resolves 'open' or the PeerJS error type. */
function openPeer(page: Page, peerId: string, token: string): Promise<string> {
  return page.evaluate(
    ({ peerId, token, port }) =>
      new Promise<string>((resolve) => {
        const w = window as any;
        const peer = new w.Peer(peerId, { host: 'localhost', port, path: '/peerjs', key: 'peerwatch', token, config: { iceServers: [] } });
        w.peer = peer;
        w.callsReceived = 0;
        w.disconnectedAt = 0;
        peer.on('open', () => resolve('open'));
        peer.on('error', (e: { type: string }) => resolve(e.type));
        peer.on('disconnected', () => (w.disconnectedAt = Date.now()));
        peer.on('connection', () => w.callsReceived++);
        peer.on('call', async (call: any) => {
          w.callsReceived++;
          call.answer(await navigator.mediaDevices.getUserMedia({ video: true }));
        });
      }),
    { peerId, token, port: server.port },
  );
}

/** Calls a peer id; resolves the remote video's width once it plays, or 0 after `waitMs`. */
function callAndWatch(page: Page, dst: string, waitMs: number): Promise<number> {
  return page.evaluate(
    ({ dst, waitMs }) =>
      new Promise<number>((resolve) => {
        const peer = (window as any).peer;
        const call = peer.call(dst, new MediaStream(), { constraints: { offerToReceiveVideo: true } });
        peer.connect(dst);
        const timer = setTimeout(() => resolve(0), waitMs);
        call.on('stream', (stream: MediaStream) => {
          const video = document.createElement('video');
          video.muted = true;
          video.srcObject = stream;
          document.body.append(video);
          void video.play();
          video.requestVideoFrameCallback(() => {
            clearTimeout(timer);
            resolve(video.videoWidth);
          });
        });
      }),
    { dst, waitMs },
  );
}

test('only the camera household can call it; impersonation and foreign sockets are refused', async () => {
  const owner = await server.register();
  const intruder = await server.register();
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
  const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
  const deviceAuth = `Device ${claim.body.deviceToken}`;
  const cameraPeerId: string = claim.body.device.peerId;

  const camera = await peerPage();
  const cameraTicket = await ticket(deviceAuth);
  expect(cameraTicket.peerId).toBe(cameraPeerId);
  expect(await openPeer(camera, cameraPeerId, cameraTicket.ticket)).toBe('open');
  await expect
    .poll(async () => (await server.request('GET', '/api/devices', { auth: `Bearer ${owner.accessToken}` })).body[0].online)
    .toBe(true);

  // Impersonation: the intruder's valid ticket does not open a socket under the camera's id,
  // and neither does a made-up token; the live camera is not displaced.
  const intruderTicket = await ticket(`Bearer ${intruder.accessToken}`);
  const impostor = await peerPage();
  expect(await openPeer(impostor, cameraPeerId, intruderTicket.ticket)).not.toBe('open');
  const guesser = await peerPage();
  expect(await openPeer(guesser, cameraPeerId, 'made-up-token')).not.toBe('open');
  // Asking for a ticket under someone else's viewer id yields a fresh id of one's own.
  const ownerViewerTicket = await ticket(`Bearer ${owner.accessToken}`);
  expect((await ticket(`Bearer ${intruder.accessToken}`, { peerId: ownerViewerTicket.peerId })).peerId).not.toBe(
    ownerViewerTicket.peerId,
  );

  // The intruder, with a legitimate socket of its own, calls the camera's real peer id: nothing gets through.
  const intruderPage = await peerPage();
  expect(await openPeer(intruderPage, intruderTicket.peerId, intruderTicket.ticket)).toBe('open');
  expect(await callAndWatch(intruderPage, cameraPeerId, 5_000)).toBe(0);
  expect(await camera.evaluate(() => (window as any).callsReceived)).toBe(0);

  // The owner's viewer gets video from the same camera, so the check above could have failed.
  const ownerPage = await peerPage();
  expect(await openPeer(ownerPage, ownerViewerTicket.peerId, ownerViewerTicket.ticket)).toBe('open');
  expect(await callAndWatch(ownerPage, cameraPeerId, 15_000)).toBeGreaterThan(0);
  expect(await camera.evaluate(() => (window as any).callsReceived)).toBeGreaterThan(0);

  // Removing the camera closes its signaling socket at once.
  const removedAt = Date.now();
  const removed = await server.request('DELETE', `/api/devices/${claim.body.device.id}`, { auth: `Bearer ${owner.accessToken}` });
  expect(removed.status).toBe(204);
  await expect.poll(() => camera.evaluate(() => (window as any).disconnectedAt), { timeout: 2_000 }).toBeGreaterThan(0);
  expect((await camera.evaluate(() => (window as any).disconnectedAt)) - removedAt).toBeLessThan(2_000);
});

test('a camera that closes its page is offline within 2 s', async () => {
  const owner = await server.register();
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
  const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
  const camera = await peerPage();
  const t = await ticket(`Device ${claim.body.deviceToken}`);
  expect(await openPeer(camera, t.peerId, t.ticket)).toBe('open');
  const online = async () =>
    (await server.request('GET', '/api/devices', { auth: `Bearer ${owner.accessToken}` })).body[0].online as boolean;
  await expect.poll(online).toBe(true);
  await camera.context().close();
  await expect.poll(online, { timeout: 2_000, intervals: [100] }).toBe(false);
});
