import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RecordingSummary } from '../../protocol/index.js';
import { PostgresServer } from '../support/postgres-server.js';
import { newRecordingId, pairCamera, randomChunks, uploadChunk } from '../support/recording-client.js';
import { bearer, TestServer, TEST_PASSWORD } from '../support/server.js';
import { freeTcpPort } from '../support/tcp.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Real Peerwatch servers (`signal-server/main.ts`) with DATABASE_URL set, over
 * a throwaway PostgreSQL server: two servers share one database (and the
 * JWT secret, as servers behind one load balancer do), each with a data
 * folder of its own.
 */
test.describe('servers over PostgreSQL (DATABASE_URL)', () => {
  let postgres: PostgresServer;
  let databaseUrl: string;
  let first: TestServer;
  let second: TestServer;

  test.beforeAll(async () => {
    postgres = await PostgresServer.start();
    databaseUrl = await postgres.newDatabase();
    const env = { DATABASE_URL: databaseUrl, JWT_SECRET: 'shared by both servers', HTTPS: 'off' };
    // Started at once: both migrate the new database (one of them waits for the other).
    [first, second] = await Promise.all([TestServer.start({ env }), TestServer.start({ env })]);
  });
  test.afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await postgres?.stop();
  });

  test('an account, a paired camera and its recording live in PostgreSQL, seen by both servers', async () => {
    const user = await first.register();
    const camera = await pairCamera(second, user.accessToken, 'Porch');
    const recordingId = newRecordingId();
    const [init, media, last] = randomChunks(3, 4096, Date.now() - 10_000);

    expect((await uploadChunk(first, camera, recordingId, init!)).status).toBe(201);
    // The same chunk reaching both servers at once: one row, both succeed.
    const both = await Promise.all([uploadChunk(first, camera, recordingId, media!), uploadChunk(second, camera, recordingId, media!)]);
    const statuses = both.map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 201), statuses.join()).toBe(true);
    expect(statuses).toContain(201);
    expect((await uploadChunk(second, camera, recordingId, last!, { final: true })).status).toBe(201);

    for (const server of [first, second]) {
      const listed = await server.request('GET', '/api/recordings', { auth: bearer(user) });
      expect(listed.status).toBe(200);
      const [summary] = listed.body as RecordingSummary[];
      expect(summary).toMatchObject({ id: recordingId, deviceId: camera.deviceId, chunkCount: 3, sizeBytes: 3 * 4096, complete: true });
      const devices = await server.request('GET', '/api/devices', { auth: bearer(user) });
      expect((devices.body as { name: string }[]).map((d) => d.name)).toEqual(['Porch']);
    }

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const chunks = await client.query('SELECT seq FROM recording_chunks WHERE recording_id = $1 ORDER BY seq', [recordingId]);
      expect(chunks.rows.map((row) => row.seq)).toEqual([0, 1, 2]);
      const users = await client.query('SELECT id FROM users WHERE id = $1', [user.user.id]);
      expect(users.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    expect(existsSync(path.join(first.dataDir, 'peerwatch.sqlite'))).toBe(false);
  });

  test('a server restarted over the database keeps every account', async () => {
    const email = `kept-${Date.now()}@example.com`;
    await second.register(email);
    await second.restart();
    const login = await second.request('POST', '/api/auth/login', { body: { email, password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
  });
});

test('a server whose DATABASE_URL cannot be reached exits with a clear message, not a stack trace', async () => {
  const port = await freeTcpPort();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'signal-server/main.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      HTTPS: 'off',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'peerwatch-test-')),
      DATABASE_URL: `postgres://peerwatch:secret@127.0.0.1:${port}/peerwatch`,
    },
  });
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toMatch(
    new RegExp(`^peerwatch: cannot open the PostgreSQL database postgres://peerwatch:\\*\\*\\*@127\\.0\\.0\\.1:${port}/peerwatch \\(DATABASE_URL\\): .*ECONNREFUSED`),
  );
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toContain('secret');
});
