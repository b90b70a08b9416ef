import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { loadConfig } from '../../signal-server/config.js';
import { DEFAULT_VAPID_SUBJECT } from '../../signal-server/notifications/push-config.js';

const newDataDir = () => mkdtempSync(path.join(tmpdir(), 'peerwatch-config-'));
const configWith = (env: Record<string, string>, DATA_DIR = newDataDir()) => loadConfig({ DATA_DIR, JWT_SECRET: 's', ...env });

test('VAPID keys are generated once into DATA_DIR and kept across starts', () => {
  const dataDir = newDataDir();
  const first = configWith({}, dataDir).notifications;
  assert.match(first.vapid.publicKey, /^[\w-]{87}$/);
  assert.equal(first.vapid.subject, DEFAULT_VAPID_SUBJECT);
  assert.deepEqual(configWith({}, dataDir).notifications.vapid, first.vapid);
  const file = path.join(dataDir, 'vapid-keys.json');
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).privateKey, first.vapid.privateKey);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.notEqual(configWith({}).notifications.vapid.publicKey, first.vapid.publicKey);
});

test('VAPID keys and subject can be given; incomplete or malformed ones are refused', () => {
  const keys = webpush.generateVAPIDKeys();
  const given = configWith({ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'https://cams.example' });
  assert.deepEqual(given.notifications.vapid, { ...keys, subject: 'https://cams.example' });
  assert.throws(() => configWith({ VAPID_PUBLIC_KEY: keys.publicKey }), /must be set together/);
  assert.throws(() => configWith({ VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: keys.privateKey }), /public key/i);
  assert.throws(() => configWith({ VAPID_SUBJECT: 'http://cams.example' }), /VAPID_SUBJECT must be a mailto: or https: URL/);
  assert.equal(configWith({ VAPID_SUBJECT: 'mailto:me@example.com' }).notifications.vapid.subject, 'mailto:me@example.com');
});

test('the offline grace period defaults to 2 min; PUSH_EXTRA_CA_FILE is resolved', () => {
  assert.equal(configWith({}).notifications.offlineGraceMs, 120_000);
  assert.equal(configWith({ NOTIFY_OFFLINE_GRACE_MS: '5000' }).notifications.offlineGraceMs, 5_000);
  assert.throws(() => configWith({ NOTIFY_OFFLINE_GRACE_MS: '2 min' }), /NOTIFY_OFFLINE_GRACE_MS must be a non-negative integer/);
  assert.equal(configWith({}).notifications.pushExtraCaFile, null);
  assert.equal(configWith({ PUSH_EXTRA_CA_FILE: 'ca.pem' }).notifications.pushExtraCaFile, path.resolve('ca.pem'));
});

test('the event cooldown defaults to 60 s, the thumbnail wait to 3 s; no private push hosts unless listed', () => {
  const defaults = configWith({}).notifications;
  assert.equal(defaults.eventCooldownMs, 60_000);
  assert.equal(defaults.thumbnailWaitMs, 3_000);
  assert.deepEqual([...defaults.allowedPrivateHosts], []);
  const set = configWith({ NOTIFY_EVENT_COOLDOWN_MS: '0', NOTIFY_THUMBNAIL_WAIT_MS: '500', PUSH_ALLOWED_PRIVATE_HOSTS: ' 127.0.0.1, Push.LAN ,[::1]' }).notifications;
  assert.equal(set.eventCooldownMs, 0);
  assert.equal(set.thumbnailWaitMs, 500);
  assert.deepEqual([...set.allowedPrivateHosts], ['127.0.0.1', 'push.lan', '::1']);
  assert.throws(() => configWith({ NOTIFY_EVENT_COOLDOWN_MS: '1 min' }), /NOTIFY_EVENT_COOLDOWN_MS must be a non-negative integer/);
});
