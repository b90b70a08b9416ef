import { test, expect } from '@playwright/test';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { AUDIT_CSV_COLUMNS, routes, type AuditEvent, type AuditPage, type AuthSession, type Invite } from '../../protocol/index.js';
import { footageFrame } from '../support/media.js';
import { bearer, TEST_PASSWORD, TestServer } from '../support/server.js';
import { newEventId, newRecordingId, pairCamera, randomChunks, uploadRecording } from '../support/recording-client.js';
import { offerTo, openSignalingSocket } from '../support/signaling-client.js';

/**
 * The audit log over the real API of a real server: the rows the server
 * writes from what it sees (sign-ins with address and user agent, changes,
 * live views from signaling), read back by the owner a page at a time with
 * filters, refused to everyone else, exported as CSV with the same rows, and
 * deleted past AUDIT_RETENTION_DAYS.
 */
let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ env: { AUDIT_RETENTION_DAYS: '1' } });
});
test.afterAll(async () => {
  await server?.stop();
});

const AGENT = 'AuditTest/1.0 (real fetch)';

async function login(email: string, password: string): Promise<number> {
  const res = await fetch(`${server.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': AGENT },
    body: JSON.stringify({ email, password }),
  });
  return res.status;
}

async function auditPage(auth: string, query = ''): Promise<AuditPage> {
  const res = await server.request('GET', `/api/audit${query}`, { auth });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AuditPage;
}

/** Every row of a filter, following the cursors a page of `limit` at a time. */
async function allPages(auth: string, filter: string, limit: number): Promise<AuditEvent[]> {
  const rows: AuditEvent[] = [];
  let cursor: string | null = null;
  do {
    const page: AuditPage = await auditPage(auth, `?limit=${limit}${filter}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.events.length).toBeLessThanOrEqual(limit);
    rows.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

async function join(owner: AuthSession, role: string): Promise<AuthSession> {
  const person = await server.register();
  const invite = (await server.request('POST', '/api/invites', { auth: bearer(owner), body: { role } })).body as Invite;
  expect((await server.request('POST', '/api/invites/accept', { auth: bearer(person), body: { token: invite.token } })).status).toBe(200);
  return person;
}

test('sign-ins, failed sign-ins, changes and live views are logged; owners page and filter them, others are refused; the CSV holds the same rows', async () => {
  const owner = await server.register();
  const email = owner.user.email;
  const auth = bearer(owner);

  // Sign-in failure and success, with the client's address and browser.
  expect(await login(email, 'wrong password')).toBe(401);
  expect(await login(email, TEST_PASSWORD)).toBe(200);
  const signIns = (await auditPage(auth)).events;
  expect(signIns.map((e) => e.kind)).toEqual(['sign-in', 'sign-in-failed']);
  expect(signIns[0]).toMatchObject({ actor: { kind: 'user', userId: owner.user.id, email }, address: '127.0.0.1', userAgent: AGENT });
  expect(signIns[1]).toMatchObject({ actor: { kind: 'nobody', userId: null, email }, address: '127.0.0.1', userAgent: AGENT });

  // Changes: a camera paired and renamed, its Record switch, a member, an API token.
  const camera = await pairCamera(server, owner.accessToken, 'Porch');
  expect((await server.request('PATCH', `/api/devices/${camera.deviceId}`, { auth, body: { name: 'Front porch' } })).status).toBe(200);
  expect((await server.request('PUT', `/api/devices/${camera.deviceId}/recording`, { auth, body: { enabled: true } })).status).toBe(200);
  const member = await join(owner, 'member');
  const viewer = await join(owner, 'viewer');
  expect((await server.request('PATCH', `/api/members/${viewer.user.id}`, { auth, body: { role: 'member' } })).status).toBe(200);
  const token = await server.request('POST', '/api/tokens', { auth, body: { name: 'Script', scopes: ['admin'] } });
  expect(token.status).toBe(201);

  // A live view: the member's page offers to the camera, then hangs up; a hang-up for a page of someone else changes nothing.
  const cameraSocket = await openSignalingSocket(server, camera.auth);
  const page = await openSignalingSocket(server, bearer(member));
  page.ws.send(offerTo(cameraSocket.peerId));
  await expect.poll(() => cameraSocket.received.some((m) => m.type === 'OFFER')).toBe(true);
  const hangUp = (who: AuthSession) =>
    server.request('POST', '/api/live-views/hang-up', { auth: bearer(who), body: { peerId: page.peerId, deviceId: camera.deviceId } });
  expect((await hangUp(owner)).status).toBe(204);
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  expect((await hangUp(member)).status).toBe(204);

  const rows = (await auditPage(auth, '?limit=200')).events;
  const kinds = rows.map((e) => e.kind);
  for (const kind of ['camera-paired', 'camera-renamed', 'recording-mode-changed', 'invite-created', 'invite-accepted', 'member-changed', 'token-created', 'live-view-started', 'live-view-ended'] as const) {
    expect(kinds, kind).toContain(kind);
  }
  expect(rows.find((e) => e.kind === 'camera-renamed')).toMatchObject({
    deviceId: camera.deviceId,
    actor: { kind: 'user', userId: owner.user.id },
    details: { cameraName: 'Front porch', nameBefore: 'Porch' },
  });
  const ended = rows.filter((e) => e.kind === 'live-view-ended');
  expect(ended).toHaveLength(1);
  expect(ended[0]).toMatchObject({ actor: { userId: member.user.id, email: member.user.email }, deviceId: camera.deviceId, details: { endedBy: 'hang-up' } });
  expect(ended[0]!.details.durationMs as number).toBeGreaterThanOrEqual(1_200);
  expect(ended[0]!.details.durationMs as number).toBeLessThan(10_000);
  // Newest first, each row once.
  expect(rows.map((e) => e.atMs)).toEqual([...rows.map((e) => e.atMs)].sort((a, b) => b - a));
  expect(new Set(rows.map((e) => e.id)).size).toBe(rows.length);

  // Paging: pages of 3 hold the same rows in the same order.
  expect((await allPages(auth, '', 3)).map((e) => e.id)).toEqual(rows.map((e) => e.id));
  // Filters: person, camera, kind, time.
  const members = await allPages(auth, `&personId=${member.user.id}`, 2);
  expect(members.length).toBeGreaterThan(0);
  expect(members.every((e) => e.actor.userId === member.user.id)).toBe(true);
  expect(members.map((e) => e.kind)).toEqual(expect.arrayContaining(['invite-accepted', 'live-view-started', 'live-view-ended']));
  const ofCamera = await allPages(auth, `&deviceId=${camera.deviceId}`, 2);
  expect(ofCamera.map((e) => e.id)).toEqual(rows.filter((e) => e.deviceId === camera.deviceId).map((e) => e.id));
  expect((await auditPage(auth, '?kind=sign-in-failed')).events.map((e) => e.id)).toEqual([signIns[1]!.id]);
  const middle = rows[Math.floor(rows.length / 2)]!;
  const window = await allPages(auth, `&fromMs=${middle.atMs}&toMs=${middle.atMs}`, 50);
  expect(window.map((e) => e.id)).toEqual(rows.filter((e) => e.atMs === middle.atMs).map((e) => e.id));

  // Bad queries are refused with the contract's code.
  for (const query of ['?limit=0', '?limit=201', '?kind=coffee', '?fromMs=yesterday', '?cursor=bm90IG91cnM']) {
    const res = await server.request('GET', `/api/audit${query}`, { auth });
    expect([res.status, res.body.error.code], query).toEqual([400, 'invalid_query']);
  }

  // Owners only: a member and a viewer are refused; an API token needs the admin scope.
  for (const who of [member, viewer]) {
    for (const route of ['/api/audit', '/api/audit.csv']) {
      const res = await server.request('GET', route, { auth: bearer(who) });
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
    }
  }
  const readToken = await server.request('POST', '/api/tokens', { auth, body: { name: 'Reader', scopes: ['read'] } });
  expect((await server.request('GET', '/api/audit', { auth: `Bearer ${readToken.body.token}` })).status).toBe(403);
  const admin = `Bearer ${token.body.token}`;
  expect((await server.request('GET', '/api/audit', { auth: admin })).status).toBe(200);
  expect((await server.request('GET', '/api/audit', { auth: admin })).status).toBe(200);
  const used = (await auditPage(auth, '?kind=token-used')).events.filter((e) => e.actor.tokenId === token.body.id);
  expect(used, 'the first use of the day only').toHaveLength(1);
  expect(used[0]!.actor).toMatchObject({ kind: 'token', userId: owner.user.id, email });

  // Another household sees none of it.
  const outsider = await server.register();
  expect((await auditPage(bearer(outsider))).events).toEqual([]);

  // The CSV export: the same rows as the JSON pages, with the same filters.
  const all = await allPages(auth, '', 200);
  const csv = await fetch(`${server.baseURL}/api/audit.csv`, { headers: { authorization: auth } });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?peerwatch-audit-\d{4}-\d{2}-\d{2}\.csv"?$/);
  const lines = parse(await csv.text(), { columns: true }) as Record<string, string>[];
  expect(Object.keys(lines[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
  expect(lines).toEqual(all.map(csvOf));
  const filtered = await fetch(`${server.baseURL}/api/audit.csv?deviceId=${camera.deviceId}&kind=live-view-ended`, { headers: { authorization: auth } });
  expect(parse(await filtered.text(), { columns: true })).toEqual(ended.map(csvOf));
  expect((await server.request('GET', '/api/audit.csv?kind=coffee', { auth })).status).toBe(400);
});

/** A row as the CSV must show it (empty cells for nulls). */
function csvOf(e: AuditEvent): Record<string, string> {
  const text = (value: string | number | null) => (value === null ? '' : String(value));
  return {
    id: e.id,
    time: new Date(e.atMs).toISOString(),
    atMs: String(e.atMs),
    kind: e.kind,
    actorKind: e.actor.kind,
    userId: text(e.actor.userId),
    email: text(e.actor.email),
    tokenId: text(e.actor.tokenId),
    deviceId: text(e.deviceId),
    durationMs: text(typeof e.details.durationMs === 'number' ? e.details.durationMs : null),
    address: text(e.address),
    userAgent: text(e.userAgent),
    details: JSON.stringify(e.details),
  };
}

test('a live view starts at an offer to a connected camera and ends when the viewer page’s socket closes (not when it reconnects); rows older than AUDIT_RETENTION_DAYS are deleted at start', async () => {
  const owner = await server.register();
  const auth = bearer(owner);
  const camera = await pairCamera(server, owner.accessToken, 'Yard');
  const offline = await openSignalingSocket(server, camera.auth);
  offline.ws.close();
  await offline.closed;
  // An offer to the camera while it is not connected waits in the queue and expires: no live view.
  const first = await openSignalingSocket(server, auth);
  first.ws.send(offerTo(offline.peerId, 'mc_0'));
  await expect.poll(() => first.received.map((m) => m.type)).toContain('EXPIRE');
  expect((await auditPage(auth, '?kind=live-view-started')).events).toEqual([]);

  const cameraSocket = await openSignalingSocket(server, camera.auth);
  first.ws.send(offerTo(cameraSocket.peerId, 'mc_a'));
  await expect.poll(() => cameraSocket.received.filter((m) => m.type === 'OFFER').length).toBe(1);
  // The page reconnects with its peer id (its old socket is replaced) and redials: the same view goes on.
  const page = await openSignalingSocket(server, auth, first.peerId);
  await first.closed;
  page.ws.send(offerTo(cameraSocket.peerId, 'mc_b'));
  await expect.poll(() => cameraSocket.received.filter((m) => m.type === 'OFFER').length).toBe(2);
  expect((await auditPage(auth, '?kind=live-view-ended')).events).toEqual([]);
  page.ws.close();
  await page.closed;
  await expect.poll(async () => (await auditPage(auth, '?kind=live-view-ended')).events.length).toBe(1);
  expect((await auditPage(auth, '?kind=live-view-started')).events).toHaveLength(1);
  expect((await auditPage(auth, '?kind=live-view-ended')).events[0]!.details).toMatchObject({ endedBy: 'viewer-gone', cameraName: 'Yard' });

  // Rows from before the retention period (1 day here), written into the server's database.
  const before = (await auditPage(auth, '?limit=200')).events;
  const household = (await server.request('GET', '/api/account', { auth })).body.household as string;
  const db = new Database(path.join(server.dataDir, 'peerwatch.sqlite'));
  const insert = db.prepare(
    `INSERT INTO audit_events (id, household_id, at_ms, kind, actor_kind, actor_user_id, actor_email, details)
     VALUES (?, ?, ?, 'sign-in', 'user', ?, ?, '{}')`,
  );
  insert.run('old0000000000001', household, Date.now() - 2 * 86_400_000, owner.user.id, owner.user.email);
  insert.run('kept000000000001', household, Date.now() - 86_400_000 + 3_600_000, owner.user.id, owner.user.email);
  db.close();
  expect((await auditPage(auth, '?limit=200')).events.map((e) => e.id)).toContain('old0000000000001');
  await server.restart();
  const after = (await auditPage(auth, '?limit=200')).events.map((e) => e.id);
  expect(after).not.toContain('old0000000000001');
  expect(after).toEqual([...before.map((e) => e.id), 'kept000000000001']);
});

test('recordings played and downloaded and events opened are logged once per session (a camera’s reads not at all); camera, settings, controls, invitation, member and token changes too', async () => {
  const owner = await server.register();
  const auth = bearer(owner);
  const camera = await pairCamera(server, owner.accessToken, 'Garage');
  const recordingId = newRecordingId();
  await uploadRecording(server, camera, recordingId, randomChunks(3, 1_000, Date.now() - 60_000));
  const eventId = newEventId();
  const motion = { kind: 'motion', startedAtMs: Date.now() - 30_000, endedAtMs: Date.now() - 20_000, score: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } };
  expect((await server.request('PUT', `/api/events/${eventId}`, { auth: camera.auth, body: motion })).status).toBe(201);
  for (const image of ['snapshot', 'thumbnail']) {
    const put = await fetch(`${server.baseURL}/api/events/${eventId}/${image}`, {
      method: 'PUT',
      headers: { authorization: camera.auth, 'content-type': 'image/jpeg' },
      body: new Uint8Array(footageFrame(2, 'jpg')),
    });
    expect(put.status).toBe(201);
  }

  // The owner plays (a player fetches the playlist again and again), downloads, opens the event (thumbnails load with every list).
  const playback = (await server.request('GET', `/api/recordings/${recordingId}/playback`, { auth })).body;
  for (let i = 0; i < 3; i++) expect((await fetch(playback.playlistUrl)).status).toBe(200);
  expect((await fetch(playback.downloadUrl)).status).toBe(200);
  const listed = (await server.request('GET', '/api/events', { auth })).body.events[0];
  expect((await fetch(listed.thumbnailUrl)).status).toBe(200);
  expect((await fetch(listed.snapshotUrl)).status).toBe(200);
  expect((await fetch(listed.snapshotUrl)).status).toBe(200);
  // A failed sign-in whose browser sends a spreadsheet formula: the CSV cell is escaped, the JSON keeps it as sent.
  const formula = '=HYPERLINK("http://evil.example","open")';
  const failed = await fetch(`${server.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': formula },
    body: JSON.stringify({ email: owner.user.email, password: 'wrong password' }),
  });
  expect(failed.status).toBe(401);
  expect((await auditPage(auth, '?kind=sign-in-failed')).events[0]!.userAgent).toBe(formula);
  const csv = await fetch(`${server.baseURL}/api/audit.csv?kind=sign-in-failed`, { headers: { authorization: auth } });
  expect((parse(await csv.text(), { columns: true }) as Record<string, string>[]).map((l) => l.userAgent)).toEqual([`'${formula}`]);
  // The camera reads its own footage: no person, no row.
  expect((await fetch(`${server.baseURL}/api/recordings/${recordingId}/playlist.m3u8`, { headers: { authorization: camera.auth } })).status).toBe(200);

  const rows = (await auditPage(auth, '?limit=200')).events;
  const person = { kind: 'user', userId: owner.user.id, email: owner.user.email };
  for (const [kind, details] of [
    ['recording-played', { recordingId }],
    ['recording-downloaded', { recordingId }],
    ['event-opened', { eventId }],
  ] as const) {
    const found = rows.filter((e) => e.kind === kind);
    expect(found, kind).toHaveLength(1);
    expect(found[0]).toMatchObject({ actor: person, deviceId: camera.deviceId, details: { ...details, cameraName: 'Garage' }, address: '127.0.0.1' });
  }

  // Changes of the camera, its settings and controls, invitations, people and tokens.
  const settings = routes['PUT /api/devices/:id/settings'].examples.request;
  expect((await server.request('PUT', `/api/devices/${camera.deviceId}/settings`, { auth, body: settings })).status).toBe(200);
  expect((await server.request('PUT', `/api/devices/${camera.deviceId}/controls`, { auth, body: { torch: true } })).status).toBe(200);
  const invite = (await server.request('POST', '/api/invites', { auth, body: { role: 'viewer' } })).body as Invite;
  expect((await server.request('DELETE', `/api/invites/${invite.id}`, { auth })).status).toBe(204);
  const member = await join(owner, 'member');
  const leaver = await join(owner, 'viewer');
  expect((await server.request('POST', '/api/account/leave', { auth: bearer(leaver) })).status).toBe(200);
  expect((await server.request('DELETE', `/api/members/${member.user.id}`, { auth })).status).toBe(204);
  const token = (await server.request('POST', '/api/tokens', { auth, body: { name: 'Old', scopes: ['read'] } })).body;
  expect((await server.request('DELETE', `/api/tokens/${token.id}`, { auth })).status).toBe(204);
  expect((await server.request('DELETE', `/api/devices/${camera.deviceId}`, { auth })).status).toBe(204);

  const changes = (await auditPage(auth, '?limit=200')).events;
  const only = (kind: AuditEvent['kind']) => {
    const found = changes.filter((e) => e.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0]!;
  };
  expect(only('camera-settings-changed')).toMatchObject({ actor: person, deviceId: camera.deviceId, details: { recordingMode: settings.recording.mode } });
  expect(only('camera-controls-changed')).toMatchObject({ actor: person, deviceId: camera.deviceId, details: { change: { torch: true } } });
  expect(only('invite-revoked')).toMatchObject({ actor: person, details: { inviteId: invite.id } });
  expect(only('member-left')).toMatchObject({ actor: { userId: leaver.user.id, email: leaver.user.email } });
  expect(only('member-removed')).toMatchObject({ actor: person, details: { memberId: member.user.id, email: member.user.email, roleBefore: 'member' } });
  expect(only('token-created')).toMatchObject({ actor: person, details: { apiTokenId: token.id, name: 'Old', scopes: ['read'] } });
  expect(only('token-revoked')).toMatchObject({ actor: person, details: { apiTokenId: token.id } });
  // The removed camera's rows keep its name.
  expect(only('camera-removed')).toMatchObject({ actor: person, deviceId: camera.deviceId, details: { cameraName: 'Garage' } });
});
