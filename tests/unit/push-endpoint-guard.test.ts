import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import webpush from 'web-push';
import { endpointProblem, isNonPublicAddress, publicOnlyLookup } from '../../signal-server/notifications/push-endpoint-guard.js';
import { PushSender } from '../../signal-server/notifications/push-sender.js';
import { addUser, tempStore } from './support.js';

test('loopback, private, shared, link-local, multicast and IPv4-mapped private addresses are not public', () => {
  for (const address of ['127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.0.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd12::1', 'fe80::1', '::ffff:192.168.1.1']) {
    assert.equal(isNonPublicAddress(address), true, address);
  }
  for (const address of ['8.8.8.8', '172.32.0.1', '142.250.185.10', '2a00:1450:4001::200e', '::ffff:8.8.8.8']) {
    assert.equal(isNonPublicAddress(address), false, address);
  }
});

test('an endpoint must be https and not name localhost or a non-public address, unless its host is allowed', () => {
  const none = new Set<string>();
  assert.equal(endpointProblem('https://fcm.googleapis.com/fcm/send/x', none), null);
  assert.match(endpointProblem('http://fcm.googleapis.com/x', none)!, /https/);
  assert.match(endpointProblem('https://localhost:9/x', none)!, /localhost/);
  assert.match(endpointProblem('https://a.localhost/x', none)!, /localhost/);
  assert.match(endpointProblem('https://127.0.0.1:9/x', none)!, /not a public/);
  assert.match(endpointProblem('https://[::1]:9/x', none)!, /not a public/);
  assert.equal(endpointProblem('https://127.0.0.1:9/x', new Set(['127.0.0.1'])), null);
  assert.match(endpointProblem('https://127.0.0.2:9/x', new Set(['127.0.0.1']))!, /not a public/);
  assert.match(endpointProblem('not a url', none)!, /not a URL/);
});

test('the push agent’s lookup refuses a name that resolves to a non-public address, unless it is allowed', async () => {
  const resolve = (allowed: Set<string>) =>
    new Promise<string>((done) =>
      publicOnlyLookup(allowed)('localhost', { family: 4 }, (error, address) => done(error ? (error as NodeJS.ErrnoException).code! : String(address))),
    );
  assert.equal(await resolve(new Set()), 'ENOTPUBLIC');
  assert.equal(await resolve(new Set(['localhost'])), '127.0.0.1');
});

test('the sender never contacts an endpoint refused at send time (stored before the guard), and keeps the subscription', async () => {
  const { store } = tempStore();
  const user = await addUser(store);
  const subscription = await store.pushSubscriptions.upsert({
    id: 'ss01',
    userId: user.id,
    endpoint: 'https://169.254.169.254/latest',
    p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
    auth: 'tBHItJI5svbpez7KI4CCXg',
    name: 'Old',
    createdAtMs: 1,
    lastUsedAtMs: null,
  });
  const lines: string[] = [];
  const logger = pino(new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  const sender = new PushSender({
    vapid: { ...webpush.generateVAPIDKeys(), subject: 'mailto:a@example.com' },
    subscriptions: store.pushSubscriptions,
    logger,
    endpointProblem: (endpoint) => endpointProblem(endpoint, new Set()),
    retryDelaysMs: [],
  });
  const outcome = await sender.send(subscription, { payload: '{}', urgency: 'high', ttlS: 60, topic: 't' });
  assert.equal(outcome.kind, 'blocked');
  assert.match(lines.join(''), /push endpoint refused; not sent/);
  assert.equal((await store.pushSubscriptions.listByUser(user.id)).length, 1);
  await sender.close();
  await store.close();
});
