import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey as createKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  loadOrCreateSelfSigned,
  loadUserCertificate,
  selfSignedSubjects,
  serverCertificate,
  type CertificateSubjects,
} from '../../signal-server/tls/certificate.js';

const DAY_MS = 86_400_000;
const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'peerwatch-tls-'));
}

const subjects: CertificateSubjects = {
  dnsNames: ['localhost', 'homebox', 'homebox.local'],
  ipAddresses: ['127.0.0.1', '::1', '192.168.1.23', 'fd12:3456:789a::23'],
};

test('a self-signed certificate is made once, covers every name, and is kept across starts', async () => {
  const dir = path.join(tempDir(), 'tls');
  const nowMs = Date.now();
  const first = await loadOrCreateSelfSigned(dir, subjects, nowMs);
  assert.equal(first.created, true);
  assert.equal(first.source, 'self-signed');

  const x509 = new X509Certificate(readFileSync(path.join(dir, 'cert.pem')));
  assert.equal(x509.fingerprint256, first.fingerprint256);
  for (const name of subjects.dnsNames) assert.equal(x509.checkHost(name, { wildcards: false }), name);
  for (const ip of subjects.ipAddresses) assert.ok(x509.checkIP(ip), `covers ${ip}`);
  assert.equal(x509.checkHost('example.org'), undefined);
  assert.equal(x509.checkIP('192.168.1.24'), undefined);
  assert.equal(x509.ca, false);
  assert.deepEqual(x509.keyUsage, [SERVER_AUTH_OID]);
  assert.equal(x509.publicKey.asymmetricKeyType, 'ec');
  assert.ok(x509.checkPrivateKey(createKey(first.key)));
  const lifetimeMs = Date.parse(x509.validTo) - nowMs;
  assert.ok(Math.abs(lifetimeMs - 365 * DAY_MS) < 2_000, `lifetime ${lifetimeMs} ms`);
  assert.ok(Date.parse(x509.validFrom) < nowMs - DAY_MS / 2, 'valid from a day back (slow phone clocks)');
  assert.equal(statSync(path.join(dir, 'key.pem')).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);

  const again = await loadOrCreateSelfSigned(dir, subjects, nowMs + 10 * DAY_MS);
  assert.equal(again.created, false);
  assert.equal(again.fingerprint256, first.fingerprint256);
  assert.equal(again.key, first.key);

  const fewerAddresses = { ...subjects, ipAddresses: ['127.0.0.1', '::1'] };
  assert.equal((await loadOrCreateSelfSigned(dir, fewerAddresses, nowMs)).fingerprint256, first.fingerprint256);
});

test('the certificate is made anew when a LAN address is new, when it nears its end, or when its key is broken', async () => {
  const dir = tempDir();
  const nowMs = Date.now();
  const first = await loadOrCreateSelfSigned(dir, subjects, nowMs);

  const moved = { ...subjects, ipAddresses: [...subjects.ipAddresses, '10.0.0.7'] };
  const renamed = await loadOrCreateSelfSigned(dir, moved, nowMs);
  assert.equal(renamed.created, true);
  assert.notEqual(renamed.fingerprint256, first.fingerprint256);
  assert.ok(new X509Certificate(renamed.cert).checkIP('10.0.0.7'));

  const stillFine = await loadOrCreateSelfSigned(dir, moved, nowMs + 334 * DAY_MS);
  assert.equal(stillFine.fingerprint256, renamed.fingerprint256);
  const renewed = await loadOrCreateSelfSigned(dir, moved, nowMs + 336 * DAY_MS);
  assert.equal(renewed.created, true);
  assert.ok(renewed.validToMs > renamed.validToMs + 300 * DAY_MS);

  writeFileSync(path.join(dir, 'key.pem'), (await loadOrCreateSelfSigned(tempDir(), subjects)).key);
  const repaired = await loadOrCreateSelfSigned(dir, moved);
  assert.equal(repaired.created, true);
  assert.ok(new X509Certificate(repaired.cert).checkPrivateKey(createKey(readFileSync(path.join(dir, 'key.pem'), 'utf8'))));
});

test('a supplied certificate is used as it is; a wrong key or a missing file is a clear error', async () => {
  const own = await loadOrCreateSelfSigned(tempDir(), subjects);
  const other = await loadOrCreateSelfSigned(tempDir(), subjects);
  const dir = tempDir();
  const certFile = path.join(dir, 'fullchain.pem');
  const keyFile = path.join(dir, 'privkey.pem');
  const otherKeyFile = path.join(dir, 'other.pem');
  writeFileSync(certFile, own.cert);
  writeFileSync(keyFile, own.key);
  writeFileSync(otherKeyFile, other.key);

  const loaded = loadUserCertificate(certFile, keyFile);
  assert.equal(loaded.source, 'user-supplied');
  assert.equal(loaded.fingerprint256, own.fingerprint256);
  const viaConfig = await serverCertificate({ port: 0, userCertificate: { certFile, keyFile } }, tempDir(), {
    ipv4: ['10.9.9.9'],
    ipv6: [],
  });
  assert.equal(viaConfig.fingerprint256, own.fingerprint256);

  assert.throws(() => loadUserCertificate(certFile, otherKeyFile), /TLS_KEY_FILE .* is not the key of TLS_CERT_FILE/);
  assert.throws(() => loadUserCertificate(path.join(dir, 'missing.pem'), keyFile), /TLS_CERT_FILE .* cannot be read/);
  assert.throws(() => loadUserCertificate(keyFile, keyFile), /TLS_CERT_FILE .* is not a PEM certificate/);
  assert.throws(() => loadUserCertificate(certFile, certFile), /TLS_KEY_FILE .* is not a PEM private key/);
});

test('without a supplied certificate the server keeps its own in DATA_DIR/tls, covering the LAN addresses', async () => {
  const dataDir = tempDir();
  const made = await serverCertificate({ port: 0, userCertificate: null }, dataDir, {
    ipv4: ['192.168.7.2'],
    ipv6: [],
  });
  assert.equal(made.source, 'self-signed');
  const x509 = new X509Certificate(readFileSync(path.join(dataDir, 'tls', 'cert.pem')));
  assert.equal(x509.fingerprint256, made.fingerprint256);
  for (const ip of ['127.0.0.1', '::1', '192.168.7.2']) assert.ok(x509.checkIP(ip), ip);
  assert.ok(x509.checkHost('localhost'));
});

test('the subjects are localhost, the host name and its .local name, loopback and the LAN addresses', () => {
  assert.deepEqual(selfSignedSubjects({ ipv4: ['192.168.1.23'], ipv6: ['fd00::23'] }, 'homebox'), {
    dnsNames: ['localhost', 'homebox', 'homebox.local'],
    ipAddresses: ['127.0.0.1', '::1', '192.168.1.23', 'fd00::23'],
  });
  assert.deepEqual(selfSignedSubjects({ ipv4: [], ipv6: [] }, 'not a_dns label').dnsNames, ['localhost']);
});
