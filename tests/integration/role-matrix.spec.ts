import { test, expect } from '@playwright/test';
import {
  roleMay,
  routes,
  scopesAllow,
  splitRouteKey,
  type ApiRoute,
  type AuthSession,
  type RouteSpec,
  type TokenScope,
} from '../../protocol/index.js';
import { joinHousehold } from '../support/household.js';
import { bearer, TestServer } from '../support/server.js';
import { footageFrame } from '../support/media.js';
import {
  newEventId,
  newRecordingId,
  pairCamera,
  randomChunks,
  uploadEventWithSnapshot,
  uploadRecording,
  type PairedCamera,
} from '../support/recording-client.js';

/**
 * The role matrix, generated from the route table: every route called by an
 * owner, a member, a viewer given one camera (A), a viewer of all, an owner of another
 * household, a camera (A's credential), the owner's API tokens of each scope
 * and no one, each with the route's
 * example body and with its parameters naming the *other* camera's (B's)
 * resources. What each caller must get follows from the route's `who` and
 * its permission (`protocol/roles.ts`) alone: 401 without a
 * credential, 403 for a caller kind or role the route does not admit, 404 for
 * B's resources to the viewer and to the outsider; never 401 or 403 to a
 * caller the table admits. Then the reads the viewer may make hold only A's data.
 */
let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start();
});
test.afterAll(async () => {
  await server?.stop();
});

const LEAVE: ApiRoute = 'POST /api/account/leave';

/** The codes of a caller refused for who they are (401 and 403 `forbidden`). */
const refusedCodes = ['unauthorized', 'forbidden'];

/** The error code each refusal comes with. */
const API_CODE: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

type TokenCaller = 'token-read' | 'token-control' | 'token-admin';
type Caller = 'owner' | 'member' | 'viewer' | 'viewer-all' | 'outsider' | 'camera' | 'nobody' | TokenCaller;
const TOKEN_SCOPE: Record<TokenCaller, TokenScope> = { 'token-read': 'read', 'token-control': 'control', 'token-admin': 'admin' };
const isToken = (caller: Caller): caller is TokenCaller => Object.hasOwn(TOKEN_SCOPE, caller);

/** The household under test: its people, cameras A and B (each with a recording and an event), and a spare camera C. */
interface Household {
  auth: Record<Exclude<Caller, 'nobody'>, string>;
  ids: { userOf: Record<'member' | 'viewer', string>; a: Resources; b: Resources; spareDevice: string; spareUser: string };
}

interface Resources {
  deviceId: string;
  recordingId: string;
  eventId: string;
}

const join = (owner: AuthSession, role: string, deviceIds?: string[]) => joinHousehold(server, owner, role, deviceIds);

/** A camera with a stored recording and an event with a snapshot. */
async function cameraWithData(owner: AuthSession, name: string): Promise<{ camera: PairedCamera; resources: Resources }> {
  const camera = await pairCamera(server, owner.accessToken, name);
  const recordingId = newRecordingId();
  await uploadRecording(server, camera, recordingId, randomChunks(2, 1_000, Date.now() - 60_000));
  const eventId = newEventId();
  await uploadEventWithSnapshot(server, camera, eventId, footageFrame(2, 'jpg'));
  return { camera, resources: { deviceId: camera.deviceId, recordingId, eventId } };
}

async function household(): Promise<Household> {
  const owner = await server.register();
  const a = await cameraWithData(owner, 'A');
  const b = await cameraWithData(owner, 'B');
  const spare = await pairCamera(server, owner.accessToken, 'C');
  const member = await join(owner, 'member');
  const viewer = await join(owner, 'viewer', [a.resources.deviceId]);
  const viewerOfAll = await join(owner, 'viewer');
  const spareUser = await join(owner, 'viewer');
  const outsider = await server.register();
  const token = async (scope: TokenScope) =>
    `Bearer ${(await server.request('POST', '/api/tokens', { auth: bearer(owner), body: { name: scope, scopes: [scope] } })).body.token}`;
  return {
    auth: {
      owner: bearer(owner),
      member: bearer(member),
      viewer: bearer(viewer),
      'viewer-all': bearer(viewerOfAll),
      outsider: bearer(outsider),
      camera: a.camera.auth,
      'token-read': await token('read'),
      'token-control': await token('control'),
      'token-admin': await token('admin'),
    },
    ids: {
      userOf: { member: member.user.id, viewer: viewer.user.id },
      a: a.resources,
      b: b.resources,
      spareDevice: spare.deviceId,
      spareUser: spareUser.user.id,
    },
  };
}

/** The path of a route with its parameters naming B's resources (the owner's destructive calls name spare ones). */
function pathOf(key: ApiRoute, caller: Caller, { ids }: Household): string {
  const { method, path } = splitRouteKey(key);
  // The owner's and the admin token's deletions name spare resources, so the calls after them still find B's.
  const destructive = method === 'DELETE' && (caller === 'owner' || caller === 'token-admin');
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    if (name === 'id' && path.startsWith('/api/devices/')) return destructive ? ids.spareDevice : ids.b.deviceId;
    if (name === 'id' && path.startsWith('/api/recordings/')) return ids.b.recordingId;
    if (name === 'eventId') return ids.b.eventId;
    if (name === 'userId') return destructive ? ids.spareUser : ids.userOf.member;
    if (name === 'recordingId') return newRecordingId();
    if (name === 'seq') return '1';
    if (name === 'asset') return 'docs.js';
    return 'R0cWmNvTq7d9W2yQ3fKa1g';
  });
}

/** True for routes whose path names one of B's resources, or a person of the household. */
const namesHouseholdResource = (path: string) => /^\/api\/(devices|recordings|events)\/:|^\/api\/members\/:/.test(path);
const namesCameraResource = (path: string) => /^\/api\/(devices|recordings|events)\/:/.test(path);

/**
 * What `caller` must get from route `key`: an exact status, "admitted" (any
 * status but 401 and 403), or "public" (no credential checked: any but 403;
 * a wrong password or refresh token is still 401).
 */
function expected(key: ApiRoute, caller: Caller): number | 'admitted' | 'public' {
  const spec: RouteSpec = routes[key];
  const { path } = splitRouteKey(key);
  if (spec.who === 'anyone') return 'public';
  if (caller === 'nobody') return 401;
  if (caller === 'camera') return spec.who.includes('device') ? 'admitted' : 403;
  if (!spec.who.includes('user')) return 403;
  if (isToken(caller)) {
    const allowed = scopesAllow([TOKEN_SCOPE[caller]], spec.permission);
    // Media routes check a token's scope themselves: without `read` the header is no credential there (401).
    if (!allowed) return spec.who.includes('playback') ? 401 : 403;
    return 'admitted';
  }
  const role = caller === 'outsider' ? 'owner' : caller === 'viewer-all' ? 'viewer' : caller;
  if (!roleMay(role, spec.permission)) return 403;
  if (caller === 'outsider' && namesHouseholdResource(path)) return 404;
  if (caller === 'viewer' && namesCameraResource(path)) return 404;
  return 'admitted';
}

async function call(key: ApiRoute, caller: Caller, home: Household): Promise<{ status: number; code?: string }> {
  const spec: RouteSpec = routes[key];
  const { method } = splitRouteKey(key);
  const headers: Record<string, string> = {};
  if (caller !== 'nobody') headers.authorization = home.auth[caller];
  let body: string | undefined;
  if (spec.body?.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(spec.examples?.request ?? {});
  }
  const controller = new AbortController();
  const res = await fetch(server.baseURL + pathOf(key, caller, home), { method, headers, body, signal: controller.signal });
  const json = res.headers.get('content-type')?.startsWith('application/json') && res.status >= 400;
  const code = json ? ((await res.json()) as { error: { code: string } }).error.code : undefined;
  // Streams stay open and media can be large: only the status matters here.
  controller.abort();
  return { status: res.status, code };
}

test('every route × owner, member, viewer of one camera, viewer of all, outsider, camera, API token per scope and no credential answers as the permission table says', async () => {
  const home = await household();
  const order: Caller[] = ['nobody', 'camera', 'outsider', 'viewer', 'viewer-all', 'member', 'token-read', 'token-control', 'token-admin', 'owner'];
  const seen: string[] = [];
  // Leaving the household changes what the caller's later calls may do: each caller leaves last.
  const keys = (Object.keys(routes) as ApiRoute[]).sort((a, b) => Number(a === LEAVE) - Number(b === LEAVE));
  for (const caller of order) {
    for (const key of keys) {
      const want = expected(key, caller);
      const { status, code } = await call(key, caller, home);
      seen.push(`${caller} ${key} ${status}`);
      // A wrong password confirming an account change is a 403 of its own (the example's password is never the caller's).
      if (want === 'admitted') expect(refusedCodes, `${caller} ${key}: ${status} ${code}`).not.toContain(code);
      else if (want === 'public') expect(status, `${caller} ${key}: ${code}`).not.toBe(403);
      else expect([status, code], `${caller} ${key}`).toEqual([want, API_CODE[want]]);
    }
  }
  expect(seen).toHaveLength(order.length * Object.keys(routes).length);
  // Pausing from the viewer is the owner's (and their control token's); a member's other controls go through.
  expect(seen).toEqual(expect.arrayContaining(['member PUT /api/devices/:id/pause 403', 'member PUT /api/devices/:id/controls 200']));
  // (The owner's own calls come after its admin token left the household, so they name no camera of theirs: 404.)
  expect(seen).toContain('token-control PUT /api/devices/:id/pause 200');
});

test('a viewer of one camera reads only that camera’s cameras, recordings, events and images', async () => {
  const home = await household();
  const { viewer, owner } = home.auth;
  const { a, b } = home.ids;
  const get = async (path: string, auth: string) => (await server.request('GET', path, { auth })).body;

  expect((await get('/api/devices', viewer)).map((d: { id: string }) => d.id)).toEqual([a.deviceId]);
  expect((await get('/api/devices', owner)).map((d: { id: string }) => d.id)).toHaveLength(3);
  expect((await get('/api/recordings', viewer)).map((r: { id: string }) => r.id)).toEqual([a.recordingId]);
  expect(await get(`/api/recordings?deviceId=${b.deviceId}`, viewer)).toEqual([]);
  expect((await get('/api/recordings', owner)).map((r: { id: string }) => r.id).sort()).toEqual([a.recordingId, b.recordingId].sort());
  const events = (await get('/api/events', viewer)).events as { id: string; snapshotUrl: string }[];
  expect(events.map((e) => e.id)).toEqual([a.eventId]);
  expect((await fetch(events[0]!.snapshotUrl)).status).toBe(200);
  expect((await server.request('GET', `/api/recordings/${a.recordingId}/playback`, { auth: viewer })).status).toBe(200);
  expect((await fetch(`${server.baseURL}/api/recordings/${a.recordingId}/init.mp4`, { headers: { authorization: viewer } })).status).toBe(200);
  expect((await fetch(`${server.baseURL}/api/events/${a.eventId}/snapshot`, { headers: { authorization: viewer } })).status).toBe(200);
  expect((await get(`/api/account`, viewer)).deviceIds).toEqual([a.deviceId]);

  // A playback link the viewer was given stops working once the owner takes the camera away.
  const playback = await server.request('GET', `/api/recordings/${a.recordingId}/playback`, { auth: viewer });
  expect((await fetch(playback.body.playlistUrl)).status).toBe(200);
  const narrowed = await server.request('PATCH', `/api/members/${home.ids.userOf.viewer}`, { auth: owner, body: { deviceIds: [] } });
  expect(narrowed.status).toBe(200);
  expect((await fetch(playback.body.playlistUrl)).status).toBe(404);
  expect(await get('/api/devices', viewer)).toEqual([]);
});
