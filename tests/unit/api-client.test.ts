import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiErrorCode, RequestOf, ResponseOf } from '../../protocol/index.js';
import { routeUrl } from '../../pwa/api/api-client.js';

test('routeUrl fills path parameters URI-encoded and leaves unset query values out', () => {
  assert.equal(routeUrl('/api/devices/:id/recording', { params: { id: 'a/b c' } }), '/api/devices/a%2Fb%20c/recording');
  assert.equal(
    routeUrl('/api/recordings', { query: { deviceId: 'cam 1', from: undefined, to: '5' } }),
    '/api/recordings?deviceId=cam+1&to=5',
  );
  assert.equal(routeUrl('/api/devices', {}), '/api/devices');
  assert.throws(() => routeUrl('/api/recordings/:id/segments/:seq.m4s', { params: { id: 'x' } }), /no value for :seq/);
});

test('the route table types requests and responses; wrong codes, parts and fields do not compile', () => {
  // These lines are checked by `npm run typecheck`; at run time they only have to exist.
  const code: ApiErrorCode = 'hash_mismatch';
  // @ts-expect-error: not an error code the API answers
  const wrong: ApiErrorCode = 'hash_mismatched';
  const rename: RequestOf<'PATCH /api/devices/:id'> = { params: { id: 'x' }, body: { name: 'Door' } };
  // @ts-expect-error: renaming takes a body
  const noBody: RequestOf<'PATCH /api/devices/:id'> = { params: { id: 'x' } };
  // @ts-expect-error: the list takes no `camera` query
  const badQuery: RequestOf<'GET /api/recordings'> = { query: { camera: 'x' } };
  const devices: ResponseOf<'GET /api/devices'> = [];
  // @ts-expect-error: a device has no `passwordHash`
  const leak: ResponseOf<'GET /api/devices/me'>['passwordHash'] = undefined;
  assert.deepEqual([code, wrong, rename.body.name, noBody, badQuery, devices, leak], [
    'hash_mismatch',
    'hash_mismatched',
    'Door',
    { params: { id: 'x' } },
    { query: { camera: 'x' } },
    [],
    undefined,
  ]);
});
