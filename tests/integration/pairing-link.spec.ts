import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { lanAddresses } from '../../signal-server/net/lan-addresses.js';

const lanIp = lanAddresses().ipv4[0];

test('a viewer on plain HTTP gets a pairing link a phone can open: the LAN HTTPS address', async () => {
  // Listening on every interface makes the server reachable from the LAN; the test only talks to loopback.
  const server = await TestServer.start({ env: { HOST: '0.0.0.0' } });
  try {
    const owner = await server.register();
    const { instanceId } = (await server.request('GET', '/api/server')).body;
    const viaHttp = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
    // With no LAN address there is nothing a phone could open instead, so the link keeps the viewer's origin.
    const origin = lanIp ? `https://${lanIp}:${server.httpsPort}` : server.baseURL;
    expect(viaHttp.body.url).toBe(`${origin}/pair?server=${instanceId}#${viaHttp.body.token}`);
  } finally {
    await server.stop();
  }
});

test('a server bound to loopback keeps the viewer’s own origin in the pairing link', async () => {
  const server = await TestServer.start();
  try {
    const owner = await server.register();
    const { instanceId } = (await server.request('GET', '/api/server')).body;
    const res = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
    expect(res.body.url).toBe(`${server.baseURL}/pair?server=${instanceId}#${res.body.token}`);
  } finally {
    await server.stop();
  }
});

test('GET /api/server names the server by an instance id kept in DATA_DIR across restarts, at every address', async () => {
  const server = await TestServer.start();
  const other = await TestServer.start();
  try {
    const first = await server.request('GET', '/api/server');
    expect(first.status).toBe(200);
    const version = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    }).version;
    expect(first.body).toEqual({ name: 'Peerwatch', version, instanceId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    const { instanceId } = first.body;
    expect(readFileSync(path.join(server.dataDir, 'instance-id'), 'utf8')).toBe(instanceId);

    // The same server by another address (HTTPS, 127.0.0.1) and after a restart: the same id.
    const ca = readFileSync(path.join(server.dataDir, 'tls', 'cert.pem'), 'utf8');
    const viaHttps = JSON.parse(await httpsGet(`https://127.0.0.1:${server.httpsPort}/api/server`, ca));
    expect(viaHttps.instanceId).toBe(instanceId);
    await server.restart();
    expect((await server.request('GET', '/api/server')).body.instanceId).toBe(instanceId);

    // Another data folder is another server.
    expect((await other.request('GET', '/api/server')).body.instanceId).not.toBe(instanceId);
  } finally {
    await server.stop();
    await other.stop();
  }
});

/** The body of an HTTPS GET that trusts only `ca` (the server's self-signed certificate, PEM). */
function httpsGet(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
