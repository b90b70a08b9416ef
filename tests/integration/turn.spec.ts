import { test, expect, type Browser, type Page } from '@playwright/test';
import type { IceServersResponse } from '../../protocol/index.js';
import { launchChromium } from '../support/browser.js';
import { Coturn, COTURN_CONFIG } from '../support/coturn.js';
import { TestServer } from '../support/server.js';

/**
 * TURN fallback end to end: Peerwatch hands out TURN REST API credentials,
 * Debian's coturn (started from the repository's deploy/coturn/turnserver.conf)
 * accepts them, and headless Chromium gathers relay candidates and connects
 * two peers through the relay only.
 */

const SECRET = `turn-secret-${Date.now()}`;
let coturn: Coturn;
let server: TestServer;
let wrongSecretServer: TestServer;
let browser: Browser;
let page: Page;

test.beforeAll(async () => {
  coturn = await Coturn.start({ secret: SECRET, configFile: COTURN_CONFIG });
  const turnEnv = { TURN_URLS: coturn.urls.join(','), TURN_TTL_S: '600' };
  [server, wrongSecretServer, browser] = await Promise.all([
    TestServer.start({ env: { ...turnEnv, TURN_SECRET: SECRET } }),
    TestServer.start({ env: { ...turnEnv, TURN_SECRET: `not-${SECRET}` } }),
    launchChromium(),
  ]);
  page = await browser.newPage();
  await page.goto(`${server.baseURL}/healthz`);
});

test.afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), wrongSecretServer?.stop(), coturn?.stop()]);
});

async function iceServersOf(target: TestServer, auth: string): Promise<IceServersResponse> {
  const res = await target.request('GET', '/api/ice-servers', { auth });
  expect(res.status).toBe(200);
  return res.body as IceServersResponse;
}

interface Gathered {
  candidates: string[];
  errors: { url: string; errorCode: number; errorText: string }[];
}

/** Gathers ICE candidates in the page with relay-only policy. */
function gatherRelay(iceServers: IceServersResponse['iceServers']): Promise<Gathered> {
  return page.evaluate(async (servers) => {
    const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
    const candidates: string[] = [];
    const errors: Gathered['errors'] = [];
    pc.onicecandidate = (event) => {
      if (event.candidate?.candidate) candidates.push(event.candidate.candidate);
    };
    pc.onicecandidateerror = (event) => {
      const error = event as RTCPeerConnectionIceErrorEvent;
      errors.push({ url: error.url, errorCode: error.errorCode, errorText: error.errorText });
    };
    const complete = new Promise<void>((resolve) => {
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState === 'complete') resolve();
      };
    });
    pc.createDataChannel('probe');
    await pc.setLocalDescription(await pc.createOffer());
    await complete;
    pc.close();
    return { candidates, errors };
  }, iceServers);
}

test('a signed-in user gets TURN credentials that coturn accepts: relay candidates are gathered', async () => {
  const session = await server.register();
  const before = Date.now();
  const ice = await iceServersOf(server, `Bearer ${session.accessToken}`);
  const turnEntry = ice.iceServers.find((entry) => entry.username !== undefined);
  expect(turnEntry?.urls).toEqual(coturn.urls);
  expect(turnEntry?.username).toBe(`${ice.expiresAtMs! / 1_000}:user-${session.user.id}`);
  expect(ice.expiresAtMs).toBeGreaterThan(before + 590_000);
  expect(ice.expiresAtMs).toBeLessThanOrEqual(Date.now() + 600_000);

  const { candidates } = await gatherRelay(ice.iceServers);
  const relay = candidates.filter((candidate) => / typ relay /.test(candidate));
  expect(relay.length).toBeGreaterThan(0);
  expect(candidates.every((candidate) => / typ relay /.test(candidate))).toBe(true);
  await expect
    .poll(() => coturn.log)
    .toContain(`user <${turnEntry!.username}>: incoming packet ALLOCATE processed, success`);
});

test('credentials signed with another secret are refused: no relay candidate, a 401 error', async () => {
  const session = await wrongSecretServer.register();
  const ice = await iceServersOf(wrongSecretServer, `Bearer ${session.accessToken}`);
  const { candidates, errors } = await gatherRelay(ice.iceServers);
  expect(candidates.filter((candidate) => / typ relay /.test(candidate))).toEqual([]);
  expect(errors.map((error) => error.errorCode)).toContain(401);
  const username = ice.iceServers.find((entry) => entry.username !== undefined)!.username!;
  await expect.poll(() => coturn.log).toContain(`user <${username}>: incoming packet message processed, error 401`);
});

test('a paired camera gets a credential of its own; without sign-in there is none', async () => {
  const session = await server.register();
  const pairing = await server.request('POST', '/api/pairings', { auth: `Bearer ${session.accessToken}`, body: {} });
  expect(pairing.status).toBe(201);
  const claim = await server.request('POST', '/api/pairings/claim', { body: { token: pairing.body.token } });
  expect(claim.status).toBe(201);
  const ice = await iceServersOf(server, `Device ${claim.body.deviceToken}`);
  const turnEntry = ice.iceServers.find((entry) => entry.username !== undefined);
  expect(turnEntry?.username).toMatch(new RegExp(`^\\d+:camera-${claim.body.device.id}$`));

  const anonymous = await server.request('GET', '/api/ice-servers');
  expect(anonymous.status).toBe(401);
  expect(anonymous.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
});

test('two peers connect through the relay only and exchange data; the selected pair is relay to relay', async () => {
  const session = await server.register();
  const { iceServers } = await iceServersOf(server, `Bearer ${session.accessToken}`);
  const result = await page.evaluate(async (servers) => {
    const config: RTCConfiguration = { iceServers: servers, iceTransportPolicy: 'relay' };
    const caller = new RTCPeerConnection(config);
    const callee = new RTCPeerConnection(config);
    caller.onicecandidate = (event) => event.candidate && void callee.addIceCandidate(event.candidate);
    callee.onicecandidate = (event) => event.candidate && void caller.addIceCandidate(event.candidate);
    const received = new Promise<string>((resolve) => {
      callee.ondatachannel = (event) => {
        event.channel.onmessage = (message) => resolve(String(message.data));
      };
    });
    const channel = caller.createDataChannel('relay-check');
    const opened = new Promise((resolve) => (channel.onopen = resolve));
    await caller.setLocalDescription(await caller.createOffer());
    await callee.setRemoteDescription(caller.localDescription!);
    await callee.setLocalDescription(await callee.createAnswer());
    await caller.setRemoteDescription(callee.localDescription!);
    await opened;
    channel.send('hello through TURN');
    const message = await received;

    const stats = await caller.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((report: Record<string, unknown>) => byId.set(report.id as string, report));
    const transport = [...byId.values()].find((report) => report.type === 'transport');
    const pair = byId.get(transport?.selectedCandidatePairId as string);
    const local = byId.get(pair?.localCandidateId as string);
    const remote = byId.get(pair?.remoteCandidateId as string);
    caller.close();
    callee.close();
    return {
      message,
      state: pair?.state,
      localType: local?.candidateType,
      remoteType: remote?.candidateType,
      bytesSent: pair?.bytesSent,
    };
  }, iceServers);
  expect(result.message).toBe('hello through TURN');
  expect(result.state).toBe('succeeded');
  expect(result.localType).toBe('relay');
  expect(result.remoteType).toBe('relay');
  expect(result.bytesSent).toBeGreaterThan(0);
});
