import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../signal-server/config.js';

function configWith(env: Record<string, string>) {
  const DATA_DIR = mkdtempSync(path.join(tmpdir(), 'peerwatch-config-'));
  return loadConfig({ DATA_DIR, JWT_SECRET: 'test-secret', ...env });
}

test('HTTPS is on by default on port 8443 with a self-signed certificate', () => {
  assert.deepEqual(configWith({}).https, { port: 8443, userCertificate: null });
  assert.deepEqual(configWith({ HTTPS: 'on', HTTPS_PORT: '0' }).https, { port: 0, userCertificate: null });
});

test('HTTPS=off (or 0, false) turns HTTPS off; any other word is an error', () => {
  for (const value of ['off', 'OFF', '0', 'false']) assert.equal(configWith({ HTTPS: value }).https, null);
  assert.throws(() => configWith({ HTTPS: 'maybe' }), /HTTPS must be "on" or "off"/);
  assert.throws(() => configWith({ HTTPS_PORT: 'https' }), /HTTPS_PORT must be a non-negative integer/);
});

test('a supplied certificate needs both TLS_CERT_FILE and TLS_KEY_FILE', () => {
  const https = configWith({ TLS_CERT_FILE: 'certs/fullchain.pem', TLS_KEY_FILE: '/etc/ssl/privkey.pem' }).https;
  assert.deepEqual(https?.userCertificate, {
    certFile: path.resolve('certs/fullchain.pem'),
    keyFile: '/etc/ssl/privkey.pem',
  });
  assert.throws(() => configWith({ TLS_CERT_FILE: 'fullchain.pem' }), /TLS_CERT_FILE and TLS_KEY_FILE/);
  assert.throws(() => configWith({ TLS_KEY_FILE: 'privkey.pem' }), /TLS_CERT_FILE and TLS_KEY_FILE/);
});

test('TURN is off without TURN_URLS; with it, the secret is required and the lifetime defaults to 1 h', () => {
  assert.equal(configWith({}).turn, null);
  assert.equal(configWith({ TURN_SECRET: 'ignored without URLs' }).turn, null);
  assert.deepEqual(
    configWith({
      TURN_URLS: ' turn:turn.example.org:3478?transport=udp , turns:turn.example.org:5349?transport=tcp ',
      TURN_SECRET: 's3cret',
    }).turn,
    {
      urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'],
      secret: 's3cret',
      credentialTtlMs: 3_600_000,
    },
  );
  assert.equal(
    configWith({ TURN_URLS: 'turn:t:3478', TURN_SECRET: 's', TURN_TTL_S: '86400' }).turn?.credentialTtlMs,
    86_400_000,
  );
});

test('bad TURN settings stop the start with a clear message', () => {
  assert.throws(() => configWith({ TURN_URLS: 'turn:t:3478' }), /TURN_SECRET must be set/);
  assert.throws(() => configWith({ TURN_URLS: 'stun:t:3478', TURN_SECRET: 's' }), /turn: or turns: URLs/);
  for (const ttl of ['0', '86401', '-5', '1.5']) {
    assert.throws(() => configWith({ TURN_URLS: 'turn:t:3478', TURN_SECRET: 's', TURN_TTL_S: ttl }), /TURN_TTL_S/);
  }
});

test('ICE_TRANSPORT_POLICY is "all" by default; "relay" needs TURN; any other word is an error', () => {
  const turn = { TURN_URLS: 'turn:t:3478', TURN_SECRET: 's' };
  assert.equal(configWith({}).iceTransportPolicy, 'all');
  assert.equal(configWith({ ICE_TRANSPORT_POLICY: '' }).iceTransportPolicy, 'all');
  assert.equal(configWith({ ...turn, ICE_TRANSPORT_POLICY: 'relay' }).iceTransportPolicy, 'relay');
  assert.throws(() => configWith({ ICE_TRANSPORT_POLICY: 'relay' }), /ICE_TRANSPORT_POLICY=relay needs a TURN server/);
  assert.throws(() => configWith({ ...turn, ICE_TRANSPORT_POLICY: 'host' }), /must be "all" or "relay"/);
});
