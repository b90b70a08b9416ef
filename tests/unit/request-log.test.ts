import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { requestLog } from '../../signal-server/http/request-log.js';
import { eventually } from './cluster-support.js';

/** A real express app with `requestLog` on a loopback port, logging at `level` into `lines`. */
async function serve(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(requestLog(pino({ level }, sink)));
  app.get('/ok', (_req, res) => void res.json({ ok: true }));
  app.get('/broken', (_req, res) => void res.status(500).json({ error: { code: 'internal', message: 'x' } }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Waits until `count` lines are logged (a response's `close` may come after its body), then a moment for any more. */
  const settled = async (count: number) => {
    await eventually(`${count} log lines`, () => lines.length >= count);
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  return { lines, base, settled, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('a 5xx answer is logged at error with method, path without query, status and time', async (t) => {
  const { lines, base, settled, close } = await serve('info');
  t.after(close);
  await fetch(`${base}/ok?token=secret`);
  await fetch(`${base}/broken?token=secret`);
  await settled(1);
  assert.equal(lines.length, 1);
  const [line] = lines;
  assert.equal(line!.level, 50);
  assert.equal(line!.msg, 'request errored');
  assert.deepEqual(line!.req, { method: 'GET', path: '/broken' });
  assert.deepEqual(line!.res, { status: 500 });
  assert.equal(typeof line!.responseTimeMs, 'number');
  assert.doesNotMatch(JSON.stringify(lines), /secret/);
});

test('at debug every request is logged, successes as request completed', async (t) => {
  const { lines, base, settled, close } = await serve('debug');
  t.after(close);
  await fetch(`${base}/ok`);
  await settled(1);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg, (l.res as { status: number }).status]),
    [[20, 'request completed', 200]],
  );
});
