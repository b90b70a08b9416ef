import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TURN_CREDENTIAL_TTL_MS, turnCredential } from '../../signal-server/ice/turn-credentials.js';
import { iceServersFor } from '../../signal-server/ice/ice-servers.js';
import { turnHolderOf } from '../../signal-server/ice/routes.js';

// Computed independently of the code under test:
//   printf '%s' '1700003600:user-0123456789abcdef' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
const VECTOR = {
  secret: 'north-wind-secret',
  username: '1700003600:user-0123456789abcdef',
  credential: 'QMXyaJuSwsSjXH+4S+cULHK95OE=',
};

test('a TURN credential is base64(HMAC-SHA1(secret, "<expiry s>:<holder>")) (TURN REST API)', () => {
  const nowMs = 1_700_000_000_500;
  const ttlMs = 3_600_000;
  const turn = turnCredential(VECTOR.secret, 'user-0123456789abcdef', ttlMs, nowMs);
  assert.equal(turn.username, VECTOR.username);
  assert.equal(turn.credential, VECTOR.credential);
  assert.equal(turn.expiresAtMs, 1_700_003_600_000);
});

test('the expiry is whole seconds, never past now + ttl, and under one second short of it', () => {
  for (const nowMs of [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_999]) {
    for (const ttlMs of [1_000, 3_600_000, MAX_TURN_CREDENTIAL_TTL_MS]) {
      const { username, expiresAtMs } = turnCredential('s', 'camera-00aa', ttlMs, nowMs);
      const [expiry, holder, ...rest] = username.split(':');
      assert.equal(rest.length, 0);
      assert.equal(holder, 'camera-00aa');
      assert.match(expiry!, /^\d+$/);
      assert.equal(Number(expiry) * 1_000, expiresAtMs);
      assert.ok(expiresAtMs <= nowMs + ttlMs);
      assert.ok(expiresAtMs > nowMs + ttlMs - 1_000);
    }
  }
});

test('a lifetime outside 1 s … 24 h, or a holder with a colon, is refused', () => {
  for (const ttlMs of [0, 999, -1, MAX_TURN_CREDENTIAL_TTL_MS + 1, Number.NaN]) {
    assert.throws(() => turnCredential('s', 'user-1', ttlMs), RangeError);
  }
  assert.throws(() => turnCredential('s', 'a:b', 60_000), RangeError);
  assert.throws(() => turnCredential('s', '', 60_000), RangeError);
});

test('ICE servers: STUN only without TURN; STUN plus a TURN entry with a fresh credential with it', () => {
  const stunUrls = ['stun:stun.example.org:3478'];
  const iceTransportPolicy = 'all';
  assert.deepEqual(iceServersFor({ stunUrls, turn: null, iceTransportPolicy }, 'user-1'), {
    iceServers: [{ urls: ['stun:stun.example.org:3478'] }],
    expiresAtMs: null,
    iceTransportPolicy: 'all',
  });
  assert.deepEqual(iceServersFor({ stunUrls: [], turn: null, iceTransportPolicy }, 'user-1'), {
    iceServers: [],
    expiresAtMs: null,
    iceTransportPolicy: 'all',
  });

  const turn = {
    urls: ['turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp'],
    secret: VECTOR.secret,
    credentialTtlMs: 3_600_000,
  };
  const response = iceServersFor(
    { stunUrls, turn, iceTransportPolicy: 'relay' },
    'user-0123456789abcdef',
    1_700_000_000_500,
  );
  assert.deepEqual(response, {
    iceServers: [
      { urls: ['stun:stun.example.org:3478'] },
      { urls: turn.urls, username: VECTOR.username, credential: VECTOR.credential },
    ],
    expiresAtMs: 1_700_003_600_000,
    iceTransportPolicy: 'relay',
  });
});

test('the credential holder names the user or the camera', () => {
  assert.equal(turnHolderOf({ kind: 'user', userId: 'ab12', householdId: 'ff00', sessionId: '99aa', role: 'owner', cameras: { kind: 'all' }, grant: { kind: 'session' } }), 'user-ab12');
  assert.equal(turnHolderOf({ kind: 'device', deviceId: 'cd34', householdId: 'ff00' }), 'camera-cd34');
});
