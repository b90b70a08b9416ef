import { test, expect } from '@playwright/test';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SessionEndings } from '../../signal-server/auth/session-endings.js';
import { LocalEventHub } from '../../signal-server/events/event-hub.js';
import { PresenceTracker } from '../../signal-server/presence/presence-tracker.js';
import { SignalingServer } from '../../signal-server/signaling/signaling-server.js';
import type { TicketGate } from '../../signal-server/signaling/ticket-gate.js';
import { tempStore } from '../unit/support.js';

/**
 * A bug while one upgrade is handled (here: the ticket check throws, as a
 * failing store would) is logged and answered 500; the server goes on
 * serving. A real HTTP server in this process (so the gate can fail on
 * purpose) and real sockets on loopback.
 */
test('a failure while handling an upgrade is answered 500 and logged; the server goes on', async () => {
  const { store } = tempStore();
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  const failingGate = {
    admit: async () => {
      throw new Error('the store went away');
    },
  } as unknown as TicketGate;
  const signaling = new SignalingServer({
    mountPath: '/peerjs',
    key: 'peerwatch',
    aliveTimeoutMs: 11_000,
    gate: failingGate,
    sessionEndings: new SessionEndings(),
    presence: new PresenceTracker(store, new LocalEventHub(), logger),
    logger,
  });
  const server = http.createServer((_req, res) => res.end('ok'));
  signaling.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = net.connect({ host: '127.0.0.1', port }, () =>
        socket.write(
          'GET /peerjs/peerjs?key=peerwatch&id=x&token=y HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n' +
            'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 500 /);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/signaling upgrade failed/);
    expect(logged[0]).toMatch(/the store went away/);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
  } finally {
    signaling.close();
    server.closeAllConnections();
    server.close();
    await store.close();
  }
});
