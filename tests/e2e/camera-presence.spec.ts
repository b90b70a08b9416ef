import { test, expect } from '@playwright/test';
import type { Device } from '../../protocol/index.js';
import { startRecordingRig, stopRecordingRig, type RecordingRig } from '../support/recording-rig.js';

/**
 * Presence of a camera whose page is busy: an old phone encoding video may
 * not run its timers for a while, so its PeerJS heartbeats stop; the server's
 * WebSocket pings, answered by the browser's network stack, keep it online.
 */
let rig: RecordingRig;

test.beforeAll(async () => {
  rig = await startRecordingRig('Kitchen');
});

test.afterAll(() => stopRecordingRig(rig));

test('a camera page whose main thread is blocked for 15 s stays online; closed, it goes offline', async () => {
  const { server, user, camera, deviceId } = rig;
  const online = async () => {
    const res = await server.request('GET', '/api/devices', { auth: `Bearer ${user.accessToken}` });
    return (res.body as Device[]).find((d) => d.id === deviceId)?.online;
  };
  await expect.poll(online).toBe(true);

  // 15 s without a timer on the page: longer than the 11 s after which silent sockets are dropped.
  const blocked = camera.evaluate(() => {
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      /* busy */
    }
  });
  const seen: boolean[] = [];
  for (let i = 0; i < 16; i++) {
    seen.push((await online()) === true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await blocked;
  expect(seen.every(Boolean), `online each second: ${seen.join(' ')}`).toBe(true);

  await camera.close();
  await expect.poll(online, { timeout: 5_000 }).toBe(false);
});
