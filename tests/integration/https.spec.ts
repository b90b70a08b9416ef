import { test, expect, type Browser } from '@playwright/test';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';
import type { SignalingTicket } from '../../protocol/index.js';
import { lanAddresses } from '../../signal-server/net/lan-addresses.js';
import { launchChromium } from '../support/browser.js';
import { TEST_PASSWORD, TestServer } from '../support/server.js';

/**
 * HTTPS beside HTTP: the same app and signaling on the HTTPS port, with the
 * self-signed certificate kept in DATA_DIR/tls, so that a phone on the LAN
 * (not a secure context over plain http) can use its camera.
 */

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start();
});
test.afterAll(async () => server?.stop());

function certificatePem(): string {
  return readFileSync(path.join(server.dataDir, 'tls', 'cert.pem'), 'utf8');
}

interface TlsResponse {
  status: number;
  body: string;
  fingerprint256: string;
}

/** An HTTPS request that trusts only `ca` and checks the host name against the certificate. */
function httpsRequest(url: string, ca: string | undefined, init: { method?: string; body?: unknown } = {}) {
  return new Promise<TlsResponse>((resolve, reject) => {
    const request = https.request(
      url,
      { method: init.method ?? 'GET', ca, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        const fingerprint256 = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body, fingerprint256 }));
      },
    );
    request.on('error', reject);
    request.end(init.body === undefined ? undefined : JSON.stringify(init.body));
  });
}

test('the server answers on HTTPS with its self-signed certificate, which covers localhost, loopback and the LAN', async () => {
  const pem = certificatePem();
  const x509 = new X509Certificate(pem);

  const byName = await httpsRequest(`${server.httpsBaseURL}/healthz`, pem);
  expect(byName.status).toBe(200);
  expect(JSON.parse(byName.body)).toEqual({ ok: true });
  expect(byName.fingerprint256).toBe(x509.fingerprint256);
  const byAddress = await httpsRequest(`https://127.0.0.1:${server.httpsPort}/healthz`, pem);
  expect(byAddress.status).toBe(200);

  await expect(httpsRequest(`https://localhost:${server.httpsPort}/healthz`, undefined)).rejects.toThrow(
    /self[- ]signed/i,
  );

  expect(x509.checkHost('localhost')).toBe('localhost');
  for (const ip of ['127.0.0.1', '::1']) expect(x509.checkIP(ip), ip).toBeTruthy();
  const lan = lanAddresses();
  test.info().annotations.push({ type: 'LAN addresses', description: [...lan.ipv4, ...lan.ipv6].join(', ') || 'none' });
  for (const ip of [...lan.ipv4, ...lan.ipv6]) expect(x509.checkIP(ip), `covers ${ip}`).toBeTruthy();
});

test('HTTPS serves the same app as HTTP: an account made over HTTPS signs in over HTTP', async () => {
  const email = `https-${Date.now()}@example.com`;
  const made = await httpsRequest(`${server.httpsBaseURL}/api/auth/register`, certificatePem(), {
    method: 'POST',
    body: { email, password: TEST_PASSWORD },
  });
  expect(made.status).toBe(201);
  const login = await server.request('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } });
  expect(login.status).toBe(200);
});

test('PeerJS signaling runs over wss on the HTTPS port, with the same ticket check', async () => {
  const session = await server.register();
  const res = await server.request('POST', '/api/signaling/tickets', { auth: `Bearer ${session.accessToken}`, body: {} });
  expect(res.status).toBe(201);
  const ticket = res.body as SignalingTicket;
  const socketUrl = (token: string) =>
    `wss://localhost:${server.httpsPort}${ticket.path}/peerjs?key=${ticket.key}&id=${ticket.peerId}&token=${token}`;

  const ws = new WebSocket(socketUrl(ticket.ticket), { ca: certificatePem() });
  const first = await new Promise<{ type: string }>((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as { type: string }));
    ws.once('error', reject);
  });
  expect(first.type).toBe('OPEN');
  ws.close();

  const refused = new WebSocket(socketUrl('not-a-ticket'), { ca: certificatePem() });
  const status = await new Promise<number>((resolve) => {
    refused.once('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
    refused.once('open', () => resolve(101));
  });
  expect(status).toBe(401);
});

test('the certificate is kept across restarts (same fingerprint, no new browser warning)', async () => {
  const before = new X509Certificate(certificatePem()).fingerprint256;
  await server.restart();
  const after = await httpsRequest(`${server.httpsBaseURL}/healthz`, certificatePem());
  expect(after.status).toBe(200);
  expect(after.fingerprint256).toBe(before);
  expect(new X509Certificate(certificatePem()).fingerprint256).toBe(before);
});

test.describe('a page opened by a LAN name', () => {
  let browser: Browser;
  test.beforeAll(async () => {
    // peerwatch.test stands for the server's LAN address: a name that, unlike
    // localhost, is a secure context only over HTTPS. It resolves to loopback.
    browser = await launchChromium({
      args: ['--ignore-certificate-errors', '--host-resolver-rules=MAP peerwatch.test 127.0.0.1'],
    });
  });
  test.afterAll(async () => browser?.close());

  test('over HTTP has no camera; over HTTPS it gets the camera with getUserMedia', async () => {
    const page = await browser.newPage();
    await page.goto(`http://peerwatch.test:${server.port}/healthz`);
    expect(await page.evaluate(() => [window.isSecureContext, typeof navigator.mediaDevices])).toEqual([
      false,
      'undefined',
    ]);

    await page.goto(`https://peerwatch.test:${server.httpsPort}/`);
    const camera = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      const [track] = stream.getVideoTracks();
      const result = {
        secure: window.isSecureContext,
        origin: location.origin,
        kind: track?.kind,
        state: track?.readyState,
        width: track?.getSettings().width ?? 0,
      };
      stream.getTracks().forEach((t) => t.stop());
      return result;
    });
    expect(camera).toMatchObject({
      secure: true,
      origin: `https://peerwatch.test:${server.httpsPort}`,
      kind: 'video',
      state: 'live',
    });
    expect(camera.width).toBeGreaterThan(0);
  });
});
