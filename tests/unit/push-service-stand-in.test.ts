import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { checkVapid, decryptPush } from '../support/push-service.js';

/**
 * The stand-in's checks are real: what `web-push` sends passes them, and a
 * message for another key, a tampered body or a JWT for another audience fails.
 */
const vapid = { subject: 'mailto:admin@peerwatch.invalid', ...webpush.generateVAPIDKeys() };

function userAgent() {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  const authSecret = randomBytes(16);
  return { ecdh, publicKey, authSecret };
}

function request(ua: ReturnType<typeof userAgent>, payload: string) {
  return webpush.generateRequestDetails(
    {
      endpoint: 'https://127.0.0.1:9/push/abc',
      keys: { p256dh: ua.publicKey.toString('base64url'), auth: ua.authSecret.toString('base64url') },
    },
    payload,
    { vapidDetails: vapid, contentEncoding: 'aes128gcm' },
  );
}

test('a web-push message decrypts with the subscription key and its VAPID JWT verifies', () => {
  const ua = userAgent();
  const details = request(ua, '{"hello":"world"}');
  assert.equal(decryptPush(details.body as Buffer, ua).toString(), '{"hello":"world"}');
  assert.equal(checkVapid(details.headers.Authorization, 'https://127.0.0.1:9', vapid.publicKey), null);
});

test('another key, a tampered body, another audience or another server key is refused', () => {
  const ua = userAgent();
  const details = request(ua, 'secret');
  assert.throws(() => decryptPush(details.body as Buffer, userAgent()));
  const tampered = Buffer.from(details.body as Buffer);
  tampered[tampered.length - 20]! ^= 1;
  assert.throws(() => decryptPush(tampered, ua));
  assert.match(checkVapid(details.headers.Authorization, 'https://127.0.0.1:10', vapid.publicKey)!, /aud/);
  assert.match(checkVapid(details.headers.Authorization, 'https://127.0.0.1:9', webpush.generateVAPIDKeys().publicKey)!, /k is not/);
  const forged = String(details.headers.Authorization).replace(/\.[\w-]+, k=/, `.${randomBytes(64).toString('base64url')}, k=`);
  assert.match(checkVapid(forged, 'https://127.0.0.1:9', vapid.publicKey)!, /signature/);
});
