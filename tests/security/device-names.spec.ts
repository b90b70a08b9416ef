import { test, expect } from '@playwright/test';
import { TestServer } from '../support/server.js';
import { pairCamera } from '../support/recording-client.js';

/** The server confirms only names it stores exactly, and counts their length in code points. */

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off' } });
});
test.afterAll(async () => server?.stop());

test('names that are not well-formed Unicode are refused; 60 emoji fit, 61 do not; what is confirmed is stored', async () => {
  const owner = await server.register();
  const auth = `Bearer ${owner.accessToken}`;
  const camera = await pairCamera(server, owner.accessToken, 'Porch');
  const rename = (name: string) => server.request('PATCH', `/api/devices/${camera.deviceId}`, { auth, body: { name } });
  const storedName = async () => (await server.request('GET', '/api/devices', { auth })).body[0].name as string;

  for (const name of ['\ud800', 'Garden \udfff', '\udc00\ud83d']) {
    const res = await rename(name);
    expect(res).toEqual({ status: 400, body: { error: { code: 'invalid_body', message: expect.stringMatching(/^name: /) } } });
    expect(await storedName()).toBe('Porch');
  }
  const pairing = await server.request('POST', '/api/pairings', { auth, body: { name: 'x\ud800' } });
  expect(pairing.status).toBe(400);

  const sixtyEmoji = '📷'.repeat(60);
  const ok = await rename(sixtyEmoji);
  expect(ok.status).toBe(200);
  expect(ok.body.name).toBe(sixtyEmoji);
  expect(await storedName()).toBe(sixtyEmoji);
  expect((await rename('📷'.repeat(61))).status).toBe(400);
  expect(await storedName()).toBe(sixtyEmoji);
});
