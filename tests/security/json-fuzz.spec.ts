import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { TestServer } from '../support/server.js';
import { newEventId, pairCamera } from '../support/recording-client.js';
import { expectHealthy } from './raw-connection.js';

/**
 * Bounded, seeded fuzzing (fast-check) of every route that reads a JSON
 * body, with malformed, oversized, deeply nested and wrongly typed bodies:
 * never a 5xx, every error is `{error: {code, message}}` and nothing else,
 * and the server is alive and logged no error afterwards. A failure prints
 * the seed and the shrunk body that caused it.
 */

/** Fixed, so a failure can be replayed. */
const SEED = 20_261_201;
/** Bodies per route and kind of body. */
const RUNS = 25;
/** Upper bound of one property's run, ms (fast-check `interruptAfterTimeLimit`). */
const TIME_LIMIT_MS = 15_000;
/** The server's JSON body limit (`jsonBodyLimitBytes`), bytes. */
const JSON_LIMIT_BYTES = 16 * 1024;

interface JsonRoute {
  method: string;
  path: string;
  /** Who calls it: no one signed in, a user or a camera. */
  as: 'nobody' | 'user' | 'camera';
  /** The body fields the route reads. */
  fields: string[];
}

let server: TestServer;
let routes: JsonRoute[];
let credentials: Record<JsonRoute['as'], string | undefined>;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { HTTPS: 'off', AUTH_RATE_LIMIT: '100000' } });
  const owner = await server.register();
  const camera = await pairCamera(server, owner.accessToken);
  credentials = { nobody: undefined, user: `Bearer ${owner.accessToken}`, camera: camera.auth };
  routes = [
    { method: 'POST', path: '/api/auth/register', as: 'nobody', fields: ['email', 'password'] },
    { method: 'POST', path: '/api/auth/login', as: 'nobody', fields: ['email', 'password'] },
    { method: 'POST', path: '/api/auth/refresh', as: 'nobody', fields: ['refreshToken'] },
    { method: 'POST', path: '/api/auth/logout', as: 'nobody', fields: ['refreshToken'] },
    { method: 'POST', path: '/api/pairings', as: 'user', fields: ['name'] },
    { method: 'POST', path: '/api/pairings/claim', as: 'nobody', fields: ['token', 'name'] },
    { method: 'PATCH', path: `/api/devices/${camera.deviceId}`, as: 'user', fields: ['name'] },
    { method: 'PUT', path: `/api/devices/${camera.deviceId}/recording`, as: 'user', fields: ['enabled'] },
    { method: 'PUT', path: `/api/devices/${camera.deviceId}/pause`, as: 'user', fields: ['paused'] },
    { method: 'PUT', path: '/api/devices/me/recording', as: 'camera', fields: ['enabled'] },
    { method: 'PUT', path: '/api/devices/me/recording-status', as: 'camera', fields: ['recording', 'problem'] },
    { method: 'PUT', path: '/api/account/password', as: 'user', fields: ['currentPassword', 'newPassword'] },
    { method: 'DELETE', path: '/api/account', as: 'user', fields: ['password'] },
    { method: 'POST', path: '/api/signaling/tickets', as: 'user', fields: ['peerId'] },
    { method: 'POST', path: '/api/signaling/tickets', as: 'camera', fields: ['peerId'] },
    {
      method: 'PUT',
      path: `/api/events/${newEventId()}`,
      as: 'camera',
      fields: ['kind', 'startedAtMs', 'endedAtMs', 'score', 'box', 'recordingId', 'footageOffsetMs', 'cameraClockMs'],
    },
  ];
});
test.afterAll(async () => server?.stop());

/** Strings that tend to break things: lone and reversed surrogates, NUL, very long, many emoji. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('\ud800', 'a\udfff', '\udc00\ud800', '\u0000', 'x'.repeat(5_000), '😀'.repeat(61), '__proto__'),
);
/** Any JSON value, strings included nasty ones. */
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nastyString);

/** A request body's text, shown shortened when fast-check reports it. */
class Body {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    const shown = JSON.stringify(this.text.slice(0, 160));
    return this.text.length > 160 ? `${shown}… (${this.text.length} characters)` : shown;
  }
}

/** The kinds of hostile bodies, as raw request text. */
function rawBodies(fields: string[]): Record<string, fc.Arbitrary<string>> {
  const wronglyTyped = fc.record(Object.fromEntries(fields.map((field) => [field, anyValue])), { requiredKeys: [] });
  return {
    'wrongly typed': fc.tuple(wronglyTyped, fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 }))
      .map(([known, extra]) => JSON.stringify({ ...extra, ...known })),
    'any JSON value': fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    malformed: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      wronglyTyped.chain((value) => {
        const text = JSON.stringify(value);
        return fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut));
      }),
    ),
    'deeply nested': fc
      .tuple(fc.constantFrom(...fields), fc.integer({ min: 50, max: 12_000 }), fc.constantFrom('[', '{"a":'))
      .map(([field, depth, open]) => {
        const close = open === '[' ? ']' : '}';
        return `{"${field}":${open.repeat(depth)}1${close.repeat(depth)}}`;
      }),
    oversized: fc
      .tuple(fc.constantFrom(...fields), fc.integer({ min: JSON_LIMIT_BYTES, max: 8 * JSON_LIMIT_BYTES }))
      .map(([field, sizeBytes]) => JSON.stringify({ [field]: 'x'.repeat(sizeBytes) })),
  };
}

/** `rawBodies` as `Body` values. */
function bodies(fields: string[]): Record<string, fc.Arbitrary<Body>> {
  return Object.fromEntries(
    Object.entries(rawBodies(fields)).map(([kind, arbitrary]) => [kind, arbitrary.map((text) => new Body(text))]),
  );
}

async function send(route: JsonRoute, body: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = credentials[route.as];
  if (auth) headers.authorization = auth;
  const res = await fetch(server.baseURL + route.path, { method: route.method, headers, body });
  return { status: res.status, text: await res.text() };
}

/** No 5xx; an error answer is exactly `{error: {code, message}}` with two non-empty strings. */
function expectWellFormedAnswer(route: JsonRoute, body: string, answer: { status: number; text: string }): void {
  const where = `${route.method} ${route.path} as ${route.as} with ${JSON.stringify(body.slice(0, 120))}`;
  expect(answer.status, where).toBeLessThan(500);
  if (answer.status < 400) return;
  const parsed = JSON.parse(answer.text) as { error?: Record<string, unknown> };
  expect(Object.keys(parsed), where).toEqual(['error']);
  expect(Object.keys(parsed.error ?? {}).sort(), where).toEqual(['code', 'message']);
  expect(parsed.error?.code, where).toMatch(/^[a-z_]+$/);
  expect(typeof parsed.error?.message === 'string' && parsed.error.message.length > 0, where).toBe(true);
}

for (const kind of ['wrongly typed', 'any JSON value', 'malformed', 'deeply nested', 'oversized']) {
  test(`every JSON route, ${kind} bodies: no 5xx, the error shape, a live server`, async () => {
    for (const route of routes) {
      const arbitrary = bodies(route.fields)[kind]!;
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ text }) => expectWellFormedAnswer(route, text, await send(route, text))),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true },
      );
    }
    await expectHealthy(server);
  });
}
