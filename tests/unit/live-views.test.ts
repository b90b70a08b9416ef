import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout } from 'node:timers/promises';
import pino from 'pino';
import { AuditLog, UNSEEN } from '../../signal-server/audit/audit-log.js';
import { LiveViews } from '../../signal-server/audit/live-views.js';
import { cameraPeerId, viewerPeerId } from '../../signal-server/signaling/peer-ids.js';
import { addUser, tempStore } from './support.js';

/**
 * Live views as the signaling relay reports them, written into a real SQLite
 * store: one view per page and camera (a redial continues it), ended by the
 * page's LEAVE, its socket, the camera going offline or its own hang-up, each
 * with its duration.
 */
const media = (dst: string, connectionId: string) => ({ type: 'OFFER', dst, payload: { type: 'media', connectionId } });

test('a view starts at the first media offer and ends once, at LEAVE, the camera going offline, or its own hang-up', async () => {
  const { store } = tempStore();
  const lines: string[] = [];
  const audit = new AuditLog(store, pino(new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })));
  const views = new LiveViews(audit);
  const user = await addUser(store);
  const other = await addUser(store);
  const page = viewerPeerId(user.householdId, user.id, 'aa');
  const camera = cameraPeerId(user.householdId, 'dd01');
  const from = { address: '192.0.2.7', userAgent: 'unit' };
  const rows = async () => (await store.audit.list({ householdId: user.householdId, limit: 50 })).reverse();
  try {
    // Data connections, answers and offers to other viewers start nothing.
    views.relayed(page, from, { type: 'OFFER', dst: camera, payload: { type: 'data' } }, true);
    views.relayed(page, from, { type: 'ANSWER', dst: camera, payload: { type: 'media' } }, true);
    views.relayed(camera, from, media(page, 'mc_0'), true);
    assert.deepEqual(await rows(), []);

    // An offer to a camera that is not connected (it waits in the queue and expires) starts nothing.
    views.relayed(page, from, media(camera, 'mc_0'), false);
    assert.deepEqual(await rows(), []);
    views.relayed(page, from, media(camera, 'mc_1'), true);
    views.relayed(page, from, media(camera, 'mc_2'), true);
    await setTimeout(30);
    views.relayed(page, from, { type: 'LEAVE', dst: camera }, true);
    views.relayed(page, from, { type: 'LEAVE', dst: camera }, true);
    await setTimeout(10);
    let written = await rows();
    assert.deepEqual(written.map((r) => [r.kind, r.actor.userId, r.deviceId, r.address, r.userAgent]), [
      ['live-view-started', user.id, 'dd01', '192.0.2.7', 'unit'],
      ['live-view-ended', user.id, 'dd01', '192.0.2.7', 'unit'],
    ]);
    assert.equal(written[1]!.details.endedBy, 'leave');
    assert.ok((written[1]!.details.durationMs as number) >= 30);

    // The camera going offline (here or on another instance) ends the views of it; its socket closing does not, nor another camera.
    views.relayed(page, from, media(camera, 'mc_3'), true);
    views.socketClosed(camera);
    const offline = { householdId: user.householdId, deviceId: 'dd01', online: false, atMs: Date.now(), owned: false };
    views.presenceChanged({ ...offline, online: true });
    views.presenceChanged({ ...offline, deviceId: 'dd02' });
    views.presenceChanged({ ...offline, householdId: other.householdId });
    await setTimeout(10);
    assert.equal((await rows()).length, 3, 'still open');
    views.presenceChanged(offline);
    // A hang-up of someone else's page, or of a view that is not open, ends nothing.
    views.relayed(page, from, media(camera, 'mc_4'), true);
    assert.equal(await views.hungUp(other.id, page, 'dd01'), false);
    assert.equal(await views.hungUp(user.id, page, 'dd02'), false);
    assert.equal(await views.hungUp(user.id, page, 'dd01'), true);
    assert.equal(await views.hungUp(user.id, page, 'dd01'), false);
    views.socketClosed(page);
    await setTimeout(10);
    written = await rows();
    assert.deepEqual(
      written.filter((r) => r.kind === 'live-view-ended').map((r) => r.details.endedBy),
      ['leave', 'camera-gone', 'hang-up'],
    );
    assert.equal(written.length, 6);
    assert.deepEqual(lines, []);
  } finally {
    await store.close();
  }
});

test('a token’s first use of a UTC day is logged; later uses that day are not', async () => {
  const { store } = tempStore();
  const audit = new AuditLog(store, pino({ level: 'silent' }));
  const user = await addUser(store);
  const principal = {
    kind: 'user' as const,
    userId: user.id,
    householdId: user.householdId,
    sessionId: 'tt01',
    role: 'owner' as const,
    cameras: { kind: 'all' as const },
    grant: { kind: 'token' as const, tokenId: 'tt01', scopes: ['read' as const] },
  };
  try {
    await audit.tokenUsed(principal, null, UNSEEN);
    // Used a moment ago, today: no row.
    await audit.tokenUsed(principal, Date.now(), UNSEEN);
    // Last used two days ago: today's first use.
    await audit.tokenUsed(principal, Date.now() - 2 * 86_400_000, UNSEEN);
    const rows = await store.audit.list({ householdId: user.householdId, limit: 10 });
    assert.deepEqual(
      rows.map((r) => [r.kind, r.actor]),
      [
        ['token-used', { kind: 'token', userId: user.id, email: user.email, tokenId: 'tt01' }],
        ['token-used', { kind: 'token', userId: user.id, email: user.email, tokenId: 'tt01' }],
      ],
    );
  } finally {
    await store.close();
  }
});
