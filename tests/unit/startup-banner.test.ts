import { test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { phoneUrls, startupBanner } from '../../signal-server/startup/banner.js';
import type { TlsCertificate } from '../../signal-server/tls/certificate.js';

const lanIpv4 = ['192.168.1.23', '10.0.0.5'];
const selfSigned: TlsCertificate = {
  cert: '',
  key: '',
  fingerprint256: 'AB:CD:EF',
  validToMs: 0,
  source: 'self-signed',
  created: false,
};

test('phones get an HTTPS URL for each LAN address the server listens on', () => {
  assert.deepEqual(phoneUrls({ host: '::', httpPort: 8080, httpsPort: 8443, lanIpv4 }), [
    'https://192.168.1.23:8443/',
    'https://10.0.0.5:8443/',
  ]);
  assert.deepEqual(phoneUrls({ host: '0.0.0.0', httpPort: 8080, httpsPort: null, lanIpv4 }), [
    'http://192.168.1.23:8080/',
    'http://10.0.0.5:8080/',
  ]);
  assert.deepEqual(phoneUrls({ host: '10.0.0.5', httpPort: 8080, httpsPort: 8443, lanIpv4 }), [
    'https://10.0.0.5:8443/',
  ]);
  assert.deepEqual(phoneUrls({ host: '127.0.0.1', httpPort: 8080, httpsPort: 8443, lanIpv4 }), []);
  assert.deepEqual(phoneUrls({ host: '::1', httpPort: 8080, httpsPort: 8443, lanIpv4 }), []);
});

test('the banner lists the URLs, shows the first as a terminal QR code and the certificate fingerprint', async () => {
  const banner = await startupBanner({ host: '::', httpPort: 8080, httpsPort: 8443, lanIpv4, certificate: selfSigned });
  assert.match(banner, /http:\/\/localhost:8080\/ \(or https:\/\/localhost:8443\/\)/);
  assert.match(banner, /https:\/\/192\.168\.1\.23:8443\//);
  assert.match(banner, /https:\/\/10\.0\.0\.5:8443\//);
  const qr = await QRCode.toString('https://192.168.1.23:8443/', { type: 'terminal', small: true });
  assert.ok(banner.includes(qr), 'the QR code of the first phone URL');
  assert.match(banner, /self-signed: each phone shows a warning once/);
  assert.match(banner, /AB:CD:EF/);

  const supplied = await startupBanner({
    host: '::',
    httpPort: 8080,
    httpsPort: 8443,
    lanIpv4,
    certificate: { ...selfSigned, source: 'user-supplied' },
  });
  assert.doesNotMatch(supplied, /self-signed/);
});

test('bound to loopback, the banner says phones cannot reach it and shows no QR code', async () => {
  const banner = await startupBanner({ host: '127.0.0.1', httpPort: 8080, httpsPort: 8443, lanIpv4, certificate: null });
  assert.match(banner, /phones cannot reach it/);
  assert.doesNotMatch(banner, /Scan/);
});

test('with HTTPS off the banner says a phone can watch but not be a camera', async () => {
  const banner = await startupBanner({ host: '::', httpPort: 8080, httpsPort: null, lanIpv4, certificate: null });
  assert.match(banner, /http:\/\/192\.168\.1\.23:8080\//);
  assert.match(banner, /HTTPS is off/);
});
