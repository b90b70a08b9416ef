import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  PERMISSIONS,
  ROLES,
  roleMay,
  scopesAllow,
  routes,
  splitRouteKey,
  type ApiRoute,
  type Role,
  type RouteSpec,
} from '../../protocol/index.js';
import { ContractRouter, type RouteHandler } from '../../signal-server/http/contract-router.js';
import { errorHandler } from '../../signal-server/http/errors.js';
import { createLogger } from '../../signal-server/logger.js';

const table = Object.entries(routes) as [ApiRoute, RouteSpec][];

test('every route of the table names a permission of the permission table that fits its callers', () => {
  for (const [key, spec] of table) {
    assert.ok(Object.hasOwn(PERMISSIONS, spec.permission), `${key}: ${String(spec.permission)}`);
    assert.equal(spec.who === 'anyone', spec.permission === 'public', `${key}: public ⇔ who: anyone`);
    const cameraOnly = spec.who !== 'anyone' && !spec.who.includes('user');
    assert.equal(cameraOnly, spec.permission === 'camera', `${key}: camera ⇔ no user caller`);
  }
});

test('the roles nest: an owner may all a member may, a member all a viewer may', () => {
  for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
    if (roleMay('viewer', permission)) assert.ok(roleMay('member', permission), permission);
    if (roleMay('member', permission)) assert.ok(roleMay('owner', permission), permission);
  }
  assert.equal(roleMay('member', 'members'), false);
  assert.equal(roleMay('member', 'cameras'), false);
  assert.equal(roleMay('viewer', 'control'), false);
  assert.equal(roleMay('member', 'control'), true);
  assert.equal(roleMay('member', 'pause'), false);
  assert.equal(roleMay('owner', 'pause'), true);
  // The audit log is the owners' alone, and an API token needs the admin scope for it.
  assert.deepEqual(ROLES.filter((role) => roleMay(role, 'audit')), ['owner']);
  assert.equal(scopesAllow(['read', 'control'], 'audit'), false);
  assert.equal(scopesAllow(['admin'], 'audit'), true);
});

/** A router with every table route answering 299 from its handler, behind a resolver that makes every Bearer a user of `role`. */
async function serverFor(role: Role): Promise<{ url: string; close: () => Promise<void> }> {
  const contract = new ContractRouter(
    async (header) =>
      header === 'Bearer user'
        ? { kind: 'user', userId: 'ab', householdId: 'cd', sessionId: 'ef', role, cameras: { kind: 'all' }, grant: { kind: 'session' } }
        : undefined,
    1024,
    { limit: 1_000, windowMs: 60_000 },
  );
  const reached: RouteHandler<ApiRoute> = (_ctx, _req, res) => {
    res.status(299).end();
  };
  for (const [key] of table) contract.handle(key, reached as never);
  const app = express();
  app.use('/api', contract.router());
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A concrete path for a route's Express path (every parameter a plausible id). */
const concrete = (path: string): string => path.replace(/:(\w+)/g, 'R0cWmNvTq7d9W2yQ3fKa1g');

for (const role of ROLES) {
  test(`the contract router answers a ${role} 403 forbidden exactly on the routes whose permission ${role}s lack`, async () => {
    const server = await serverFor(role);
    try {
      for (const [key, spec] of table) {
        if (spec.who === 'anyone' || !spec.who.includes('user')) continue;
        const { method, path } = splitRouteKey(key);
        const response = await fetch(server.url + concrete(path), {
          method,
          headers: { authorization: 'Bearer user', 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        const body = response.status === 403 ? ((await response.json()) as { error: { code: string } }) : undefined;
        if (!response.bodyUsed) await response.body?.cancel();
        if (roleMay(role, spec.permission)) assert.notEqual(response.status, 403, `${key} as ${role}`);
        else assert.deepEqual([response.status, body?.error.code], [403, 'forbidden'], `${key} as ${role}`);
      }
    } finally {
      await server.close();
    }
  });
}

test('every permission a person can have names the API-token scope it needs, but their own sign-in; no token acts as a camera or without a credential', () => {
  for (const [name, { roles, scope }] of Object.entries(PERMISSIONS)) {
    assert.equal(scope === null, roles.length === 0 || name === 'public' || name === 'account', name);
  }
  // No token changes its owner's password, sees or ends their sessions, or deletes the account.
  assert.equal(scopesAllow(['read', 'control', 'admin'], 'account'), false);
  assert.equal(scopesAllow(['read'], 'watch'), true);
  assert.equal(scopesAllow(['read'], 'control'), false);
  assert.equal(scopesAllow(['control'], 'pause'), true);
  assert.equal(scopesAllow(['control', 'admin'], 'watch'), false);
  assert.equal(scopesAllow(['admin'], 'members'), true);
  assert.equal(scopesAllow(['read', 'control', 'admin'], 'camera'), false);
});
