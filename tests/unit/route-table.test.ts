import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { routes, errorCodesOf, API_ERRORS, type ApiRoute, type RouteSpec } from '../../protocol/index.js';
import { ContractRouter } from '../../signal-server/http/contract-router.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The routes the composed app mounts (`tests/support/mounted-routes.ts`, in a process of its own). */
function mountedRoutes(): string[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'tests/support/mounted-routes.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as string[];
}

test('the server mounts exactly the routes of the table under /api, and nothing else there', async () => {
  const api = mountedRoutes().filter((route) => / \/api(\/|$)/.test(route));
  assert.deepEqual([...api].sort(), Object.keys(routes).sort());
  assert.equal(new Set(api).size, api.length, 'a route is mounted twice');
});

test('the table mounts /me routes before the /:id routes that would swallow them', () => {
  const keys = Object.keys(routes);
  assert.ok(keys.indexOf('PUT /api/devices/me/recording') < keys.indexOf('PUT /api/devices/:id/recording'));
});

test('a ContractRouter refuses to build while a table route has no handler, and a route implemented twice', () => {
  const contract = new ContractRouter(async () => undefined, 1024, { limit: 1_000, windowMs: 60_000 });
  contract.handle('GET /api/devices', ({ reply }) => reply(200, []));
  assert.throws(() => contract.handle('GET /api/devices', ({ reply }) => reply(200, [])), /implemented twice/);
  assert.throws(() => contract.router(), /without a handler: POST \/api\/auth\/register, /);
});

test('every table route names its parameters in its path, and its examples fit its schemas', () => {
  for (const [key, spec] of Object.entries(routes) as [ApiRoute, RouteSpec][]) {
    const inPath = [...key.matchAll(/:(\w+)/g)].map((match) => match[1]).sort();
    assert.deepEqual(Object.keys(spec.params?.shape ?? {}).sort(), inPath, key);
    for (const code of errorCodesOf(spec)) assert.ok(API_ERRORS[code], `${key}: ${code}`);
    const { request, response } = spec.examples ?? {};
    if (request !== undefined) {
      assert.equal(spec.body?.kind, 'json', `${key} has a request example but no JSON body`);
      if (spec.body?.kind === 'json') spec.body.schema.parse(request);
    }
    if (response !== undefined) {
      const success = Object.values(spec.responses).find((body) => body.kind === 'json' || body.kind === 'event-stream');
      assert.ok(success && 'schema' in success, `${key} has a response example but no JSON response`);
      success.schema.parse(response);
    }
  }
});
