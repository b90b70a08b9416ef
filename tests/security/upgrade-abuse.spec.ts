import { randomBytes } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';
import type { SignalingTicket } from '../../protocol/index.js';
import {
  connectRaw,
  connectTcp,
  expectHealthy,
  healthStatus,
  signalingPath,
  sleep,
  upgradeRequest,
  wrap,
  type RawConnection,
  type Scheme,
} from './raw-connection.js';

/**
 * Raw-socket abuse of the HTTP and HTTPS listeners, the way an attacker on
 * the network would try it, without credentials or with a valid ticket:
 * resets during and after WebSocket upgrades, slow and oversize headers,
 * garbage. After each, both listeners still answer /healthz and the server
 * logged no error (no uncaught exception, no 500). Each attack runs once per
 * reset delay; before the fix one attempt was enough to stop the process.
 */

/**
 * How long after its last write an attack resets the connection, ms, one per
 * round: at once, and a little later, so that the reset meets the server in
 * different states (request not yet read, answer being written, written).
 */
const RESET_DELAYS_MS = [0, 1, 3, 10, 30];

/** Resets the TCP connection `delayMs` after now. */
async function resetAfter(raw: RawConnection, delayMs: number): Promise<void> {
  if (delayMs > 0) await sleep(delayMs);
  raw.tcp.resetAndDestroy();
}

let server: TestServer;
let viewerAuth: string;
test.beforeAll(async () => {
  server = await TestServer.start();
  viewerAuth = `Bearer ${(await server.register()).accessToken}`;
});
test.afterAll(async () => server?.stop());

async function viewerTicket(): Promise<SignalingTicket> {
  const res = await server.request('POST', '/api/signaling/tickets', { auth: viewerAuth, body: {} });
  expect(res.status).toBe(201);
  return res.body as SignalingTicket;
}

const badTicketUpgrade = () => upgradeRequest(signalingPath('x', 'bad'));

/** Each attack gets a fresh connection to the listener under test. */
const attacks: Record<string, (scheme: Scheme, resetDelayMs: number) => Promise<void>> = {
  'an upgrade with a bad ticket, reset at once': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(badTicketUpgrade());
    await resetAfter(raw, resetDelayMs);
  },
  'an upgrade on another path, reset at once': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(upgradeRequest('/not-signaling'));
    await resetAfter(raw, resetDelayMs);
  },
  'an upgrade with a bad ticket, reset once refused': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(badTicketUpgrade());
    expect(await raw.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 401 /);
    await resetAfter(raw, resetDelayMs);
  },
  'half an upgrade request, then a reset': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(badTicketUpgrade().slice(0, 60));
    await resetAfter(raw, resetDelayMs);
  },
  'a valid upgrade, reset during it': async (scheme, resetDelayMs) => {
    const { peerId, ticket } = await viewerTicket();
    const raw = await connectRaw(server, scheme);
    raw.stream.write(upgradeRequest(signalingPath(peerId, ticket)));
    await resetAfter(raw, resetDelayMs);
  },
  'a valid upgrade, reset after it': async (scheme, resetDelayMs) => {
    const { peerId, ticket } = await viewerTicket();
    const raw = await connectRaw(server, scheme);
    raw.stream.write(upgradeRequest(signalingPath(peerId, ticket)));
    expect(await raw.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 101 /);
    await raw.waitFor(/OPEN/);
    await resetAfter(raw, resetDelayMs);
  },
  'a valid upgrade, then garbage instead of WebSocket frames': async (scheme, resetDelayMs) => {
    const { peerId, ticket } = await viewerTicket();
    const raw = await connectRaw(server, scheme);
    raw.stream.write(upgradeRequest(signalingPath(peerId, ticket)));
    await raw.waitFor(/OPEN/);
    // An unmasked frame with reserved bits and opcode set: a protocol error (RFC 6455 §5.2).
    raw.stream.write(Buffer.from([0xff, 0x7f, ...randomBytes(64)]));
    await raw.closed;
  },
  'headers sent one byte at a time, then a reset': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    const request = badTicketUpgrade();
    for (let i = 0; i < 40; i++) {
      raw.stream.write(request[i]!);
      await sleep(25);
    }
    // Meanwhile everyone else is served.
    expect(await healthStatus(server, scheme)).toBe(200);
    await resetAfter(raw, resetDelayMs);
  },
  'garbage instead of a request': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(Buffer.concat([randomBytes(512), Buffer.from('\r\n\r\n')]));
    expect(await raw.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 400 /);
    await raw.closed;
  },
  'oversize upgrade headers': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(upgradeRequest('/peerjs/peerjs?key=peerwatch', [`X-Padding: ${'a'.repeat(64 * 1024)}`]));
    expect(await raw.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 431 /);
    await raw.closed;
  },
  'oversize upgrade headers, reset while sending': async (scheme, resetDelayMs) => {
    const raw = await connectRaw(server, scheme);
    raw.stream.write(upgradeRequest('/peerjs/peerjs', [`X-Padding: ${'a'.repeat(20 * 1024)}`]).slice(0, 12 * 1024));
    await resetAfter(raw, resetDelayMs);
  },
};

for (const scheme of ['http', 'https'] as const) {
  test.describe(`${scheme} listener`, () => {
    for (const [name, attack] of Object.entries(attacks)) {
      test(name, async () => {
        for (const resetDelayMs of RESET_DELAYS_MS) {
          await attack(scheme, resetDelayMs);
          await sleep(50);
          await expectHealthy(server);
        }
      });
    }
  });
}

test.describe('TLS handshake abuse', () => {
  test('plain HTTP to the HTTPS port', async () => {
    for (const _ of RESET_DELAYS_MS) {
      const raw: RawConnection = wrap(await connectTcp(server.httpsPort!));
      raw.stream.write(badTicketUpgrade());
      await raw.closed;
      await expectHealthy(server);
    }
  });

  test('a reset in the middle of the TLS handshake', async () => {
    for (const resetDelayMs of RESET_DELAYS_MS) {
      const raw = wrap(await connectTcp(server.httpsPort!));
      // The first bytes of a TLS 1.2 ClientHello record (RFC 8446 §5.1), then nothing more.
      raw.tcp.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
      await resetAfter(raw, resetDelayMs);
      await sleep(50);
      await expectHealthy(server);
    }
  });
});
