import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { AUTH_RATE_LIMIT: '3' } });
});
test.afterAll(async () => server.stop());

test('login guessing is rate-limited per address and email (429 with a JSON error)', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await server.request('POST', '/api/auth/login', { body: { email: 'victim@example.com', password: `guess ${i}` } });
    statuses.push(res.status);
    if (res.status === 429) expect(res.body.error.code).toBe('rate_limited');
  }
  expect(statuses).toEqual([401, 401, 401, 429, 429]);
});

test('pairing-code guessing is rate-limited', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    statuses.push((await server.request('POST', '/api/pairings/claim', { body: { token: `guess-${i}` } })).status);
  }
  expect(statuses).toEqual([404, 404, 404, 429, 429]);
});
