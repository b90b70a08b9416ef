import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { lanAddresses } from '../../signal-server/net/lan-addresses.js';

const lanIp = lanAddresses().ipv4[0];

test('a viewer on plain HTTP gets a pairing link a phone can open: the LAN HTTPS address', async () => {
  // Listening on every interface makes the server reachable from the LAN; the test only talks to loopback.
  const server = await TestServer.start({ env: { HOST: '0.0.0.0' } });
  try {
    const owner = await server.register();
    const viaHttp = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
    // With no LAN address there is nothing a phone could open instead, so the link keeps the viewer's origin.
    const origin = lanIp ? `https://${lanIp}:${server.httpsPort}` : server.baseURL;
    expect(viaHttp.body.url).toBe(`${origin}/pair#${viaHttp.body.token}`);
  } finally {
    await server.stop();
  }
});

test('a server bound to loopback keeps the viewer’s own origin in the pairing link', async () => {
  const server = await TestServer.start();
  try {
    const owner = await server.register();
    const res = await server.request('POST', '/api/pairings', { auth: `Bearer ${owner.accessToken}`, body: {} });
    expect(res.body.url).toBe(`${server.baseURL}/pair#${res.body.token}`);
  } finally {
    await server.stop();
  }
});
