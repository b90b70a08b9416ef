import net from 'node:net';
import tls from 'node:tls';
import https from 'node:https';
import { expect } from '@playwright/test';
import type { TestServer } from '../support/server.js';

/** Which listener of a TestServer an attack goes to. */
export type Scheme = 'http' | 'https';

/**
 * A raw client connection to a TestServer on loopback: the TCP socket (to
 * reset it: `resetAndDestroy` sends an RST) and, for HTTPS, the TLS socket
 * over it (what is written and read).
 */
export interface RawConnection {
  tcp: net.Socket;
  stream: net.Socket;
  /** Everything received so far, as latin1 text. */
  received(): string;
  /** Resolves once `pattern` is in what was received, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once the connection has closed (by the server: end, close or reset; or by us). */
  closed: Promise<void>;
  /** True once `closed` has resolved. */
  isClosed(): boolean;
}

/** Opens a raw connection (for HTTPS: TCP, then a TLS handshake that trusts any certificate). */
export async function connectRaw(server: TestServer, scheme: Scheme): Promise<RawConnection> {
  const port = scheme === 'http' ? server.port : server.httpsPort!;
  const tcp = await connectTcp(port);
  const stream =
    scheme === 'http'
      ? tcp
      : await new Promise<tls.TLSSocket>((resolve, reject) => {
          const secure = tls.connect({ socket: tcp, rejectUnauthorized: false, servername: 'localhost' }, () =>
            resolve(secure),
          );
          secure.once('error', reject);
        });
  return wrap(tcp, stream);
}

/** Opens a TCP connection only (for HTTPS: no TLS handshake yet). */
export function connectTcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A RawConnection over `tcp` (the socket read and written is `stream`, `tcp` itself for plain HTTP). */
export function wrap(tcp: net.Socket, stream: net.Socket = tcp): RawConnection {
  let text = '';
  const waiters = new Set<() => void>();
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const wake of waiters) wake();
  });
  // The server may reset or close at any time: that is what is tested, not a failure here.
  stream.on('error', () => stream.destroy());
  if (stream !== tcp) tcp.on('error', () => tcp.destroy());
  let isClosed = false;
  const closed = new Promise<void>((resolve) =>
    stream.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  return {
    tcp,
    stream,
    received: () => text,
    closed,
    isClosed: () => isClosed,
    waitFor(pattern, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          cleanup();
          resolve(text);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; got ${JSON.stringify(text.slice(0, 200))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** An HTTP/1.1 WebSocket upgrade request (RFC 6455 §4.1) for `path`, with optional extra header lines. */
export function upgradeRequest(path: string, extraHeaders: string[] = []): string {
  return [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...extraHeaders,
    '',
    '',
  ].join('\r\n');
}

/** A masked WebSocket text frame, as a client must send it (RFC 6455 §5.2, §5.3); `text` up to 65 535 bytes. */
export function clientTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const length =
    payload.length < 126
      ? Buffer.from([0x80 | payload.length])
      : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = payload.map((byte, i) => byte ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

/** The signaling socket's path for peer `id` with PeerJS token `token`. */
export function signalingPath(id: string, token: string): string {
  return `/peerjs/peerjs?${new URLSearchParams({ key: 'peerwatch', id, token })}`;
}

/** `GET /healthz` on one listener; resolves the status. */
export function healthStatus(server: TestServer, scheme: Scheme): Promise<number> {
  if (scheme === 'http') return fetch(`${server.baseURL}/healthz`).then((res) => res.status);
  return new Promise((resolve, reject) => {
    https
      .get(`${server.httpsBaseURL}/healthz`, { rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/** Asserts that both listeners answer /healthz and nothing was logged at error level (no uncaught error, no 500). */
export async function expectHealthy(server: TestServer): Promise<void> {
  expect(await healthStatus(server, 'http')).toBe(200);
  if (server.httpsPort !== null) expect(await healthStatus(server, 'https')).toBe(200);
  expect(server.loggedErrors()).toEqual([]);
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
