import { expect, test } from '@playwright/test';
import type { AuthSession } from '../../protocol/index.js';
import { Cluster } from '../support/cluster.js';
import { bearer, TEST_PASSWORD } from '../support/server.js';

/**
 * haproxy with the deployment's configuration (deploy/haproxy/haproxy.cfg)
 * in front of two real instances: requests spread over both, an instance
 * killed with SIGKILL costs no request (a refused connection is dispatched
 * again to the other, and the health checks take it out of rotation), and a
 * restarted instance comes back into rotation by itself.
 */

let cluster: Cluster;

test.beforeAll(async () => {
  // Each instance with an instance id of its own (INSTANCE_ID empty: the one in its DATA_DIR), so an answer tells which one gave it.
  cluster = await Cluster.start({ instances: 2, env: { INSTANCE_ID: '' } });
});

test.afterAll(async () => {
  await cluster?.stop();
});

/** The instance ids that answer `count` requests of `GET /api/server` through haproxy (each must be 200). */
async function answeringInstances(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${cluster.haproxy.baseURL}/api/server`);
    expect(res.status).toBe(200);
    ids.push(((await res.json()) as { instanceId: string }).instanceId);
  }
  return ids;
}

async function instanceIdOf(n: number): Promise<string> {
  const res = await cluster.instance(n).request('GET', '/api/server');
  return (res.body as { instanceId: string }).instanceId;
}

test('haproxy spreads requests over the instances, survives a killed one and takes it back after its restart', async () => {
  const [first, second] = [await instanceIdOf(1), await instanceIdOf(2)];
  expect(first).not.toBe(second);
  expect(new Set(await answeringInstances(10))).toEqual(new Set([first, second]));

  await cluster.kill(1);
  // Before the health checks notice, a refused connection is retried on instance 2 (option redispatch).
  expect(new Set(await answeringInstances(10))).toEqual(new Set([second]));
  // Two failed checks 2 s apart (fall 2) take it out of rotation.
  await expect.poll(() => cluster.haproxy.log, { timeout: 10_000 }).toContain('Server peerwatch/peerwatch1 is DOWN');
  expect(new Set(await answeringInstances(4))).toEqual(new Set([second]));

  await cluster.restart(1);
  // Two good checks (rise 2) bring it back.
  await expect.poll(() => cluster.haproxy.log, { timeout: 10_000 }).toContain('Server peerwatch/peerwatch1 is UP');
  expect(new Set(await answeringInstances(10))).toEqual(new Set([first, second]));
});

test('through haproxy an instance sees the client’s own address, whatever X-Forwarded-For the client sends', async () => {
  const register = (baseURL: string) =>
    fetch(`${baseURL}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify({ email: `xff-${Math.random().toString(16).slice(2)}@example.com`, password: TEST_PASSWORD }),
    });
  const sessionAddress = async (res: Response) => {
    expect(res.status).toBe(201);
    const sessions = await cluster.instance(2).request('GET', '/api/account/sessions', { auth: bearer((await res.json()) as AuthSession) });
    return (sessions.body as { address: string | null }[])[0]!.address;
  };
  expect(await sessionAddress(await register(cluster.haproxy.baseURL))).toBe('127.0.0.1');
  // Straight to an instance (TRUST_PROXY=1) the header is believed: why only haproxy may reach the instances.
  expect(await sessionAddress(await register(cluster.instance(1).baseURL))).toBe('203.0.113.7');
});
