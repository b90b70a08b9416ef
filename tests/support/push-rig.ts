import { test, expect } from '@playwright/test';
import type { AuthSession, PushPayload } from '../../protocol/index.js';
import { PushServiceStandIn } from './push-service.js';
import { bearer, TestServer } from './server.js';

/** A test server and the push service stand-in it pushes to. */
export interface PushRig {
  server: TestServer;
  push: PushServiceStandIn;
}

/**
 * A test server (plain HTTP, `env` added to its settings) that pushes to a
 * fresh push service stand-in, which knows the server's VAPID key.
 */
export async function startPushRig(env: Record<string, string> = {}): Promise<PushRig> {
  const push = await PushServiceStandIn.start();
  const server = await TestServer.start({ env: { HTTPS: 'off', ...push.serverEnv, ...env } });
  const { accessToken } = await server.register();
  push.serverPublicKey = (await server.request('GET', '/api/push/key', { auth: `Bearer ${accessToken}` })).body.publicKey;
  return { server, push };
}

/**
 * For a spec file: before all its tests, `startPushRig(env)`; after each test, checks the stand-in refused
 * nothing and the server logged no error; after all, stops both.
 * @returns the rig, filled in once `beforeAll` has run
 */
export function usePushRig(env: Record<string, string> = {}): PushRig {
  const rig = {} as PushRig;
  test.beforeAll(async () => {
    Object.assign(rig, await startPushRig(env));
  });
  test.afterEach(() => {
    expect(rig.push.rejected).toEqual([]);
    expect(rig.server.loggedErrors()).toEqual([]);
  });
  test.afterAll(async () => {
    await rig.server?.stop();
    await rig.push?.close();
  });
  return rig;
}

/**
 * Subscribes a browser of `user` at the rig's stand-in (`POST /api/push/subscriptions`, 201).
 * @returns the stand-in's id of the subscription (for `pushesFor`)
 */
export async function subscribeBrowser(rig: PushRig, user: AuthSession, name = 'Test phone · Chromium'): Promise<string> {
  const { id, ...subscription } = rig.push.subscribe();
  const res = await rig.server.request('POST', '/api/push/subscriptions', { auth: bearer(user), body: { subscription, name } });
  expect(res.status).toBe(201);
  return id;
}

/** Waits (up to 10 s) until the subscription received at least `count` pushes; returns the payloads of all it received. */
export async function pushesOf(rig: PushRig, subscriptionId: string, count: number): Promise<PushPayload[]> {
  await expect.poll(() => rig.push.pushesFor(subscriptionId).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  return rig.push.pushesFor(subscriptionId).map((received) => received.payload as PushPayload);
}
