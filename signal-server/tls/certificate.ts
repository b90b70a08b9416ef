import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { HttpsConfig } from '../config.js';
import type { LanAddresses } from '../net/lan-addresses.js';

/** A certificate and private key ready for `https.createServer`. */
export interface TlsCertificate {
  /** PEM certificate (chain). */
  cert: string;
  /** PEM private key. */
  key: string;
  /** SHA-256 fingerprint of the certificate, `AA:BB:…` (what a browser's warning page shows). */
  fingerprint256: string;
  /** When the certificate stops being valid, ms since the Unix epoch. */
  validToMs: number;
  /** `user-supplied` (TLS_CERT_FILE/TLS_KEY_FILE) or `self-signed` (kept in DATA_DIR/tls). */
  source: 'user-supplied' | 'self-signed';
  /** True when the self-signed certificate was made on this call (browsers will warn once more). */
  created: boolean;
}

/** The names a self-signed certificate must cover (RFC 5280 §4.2.1.6 subjectAltName). */
export interface CertificateSubjects {
  dnsNames: string[];
  ipAddresses: string[];
}

/** Lifetime of a self-signed certificate, ms: 365 days (under Apple's 825-day limit for TLS server certificates). */
const SELF_SIGNED_LIFETIME_MS = 365 * 86_400_000;
/** A self-signed certificate this close to its end is replaced on start, ms. */
const RENEW_BEFORE_MS = 30 * 86_400_000;
/** notBefore is set this far back so a phone whose clock runs slow accepts the certificate, ms. */
const CLOCK_SKEW_MS = 86_400_000;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * What the self-signed certificate covers: `localhost`, this machine's host
 * name and `<hostname>.local` (mDNS) when the host name is a valid DNS label,
 * 127.0.0.1, ::1 and every LAN address.
 */
export function selfSignedSubjects(lan: LanAddresses, hostname = os.hostname()): CertificateSubjects {
  const dnsNames = ['localhost'];
  if (DNS_LABEL.test(hostname) && hostname.toLowerCase() !== 'localhost') {
    dnsNames.push(hostname, `${hostname}.local`);
  }
  return { dnsNames, ipAddresses: ['127.0.0.1', '::1', ...lan.ipv4, ...lan.ipv6] };
}

/**
 * Loads a certificate and key the user supplies (PEM files, e.g. from Let's Encrypt).
 * @throws Error naming the file when one cannot be read or parsed, or when the key does not belong to the certificate.
 */
export function loadUserCertificate(certFile: string, keyFile: string): TlsCertificate {
  const cert = readPem(certFile, 'TLS_CERT_FILE');
  const key = readPem(keyFile, 'TLS_KEY_FILE');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new Error(`TLS_CERT_FILE ${certFile} is not a PEM certificate: ${(error as Error).message}`);
  }
  let matches: boolean;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new Error(`TLS_KEY_FILE ${keyFile} is not a PEM private key: ${(error as Error).message}`);
  }
  if (!matches) throw new Error(`TLS_KEY_FILE ${keyFile} is not the key of TLS_CERT_FILE ${certFile}`);
  return describe(cert, key, x509, 'user-supplied', false);
}

/**
 * Returns the self-signed certificate kept in `dir` (`cert.pem`, `key.pem`),
 * making a new one (ECDSA P-256, SHA-256, 365 days, serverAuth) when there is
 * none, it is unreadable, its key does not match, it ends within 30 days, or
 * it does not cover every name in `subjects` (e.g. the LAN address changed).
 * Keeping it avoids a new browser warning on each start.
 *
 * @param dir folder for the files, created with mode 0700; the key is written with mode 0600.
 * @param nowMs the current time, ms since the Unix epoch.
 */
export async function loadOrCreateSelfSigned(
  dir: string,
  subjects: CertificateSubjects,
  nowMs = Date.now(),
): Promise<TlsCertificate> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const kept = readKept(certFile, keyFile);
  if (kept && isUsable(kept.x509, subjects, nowMs)) return describe(kept.cert, kept.key, kept.x509, 'self-signed', false);

  const pems = await generate([{ name: 'commonName', value: 'Peerwatch' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(nowMs - CLOCK_SKEW_MS),
    notAfterDate: new Date(nowMs + SELF_SIGNED_LIFETIME_MS),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...subjects.dnsNames.map((value) => ({ type: 2 as const, value })),
          ...subjects.ipAddresses.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAtomically(keyFile, pems.private, 0o600);
  writeAtomically(certFile, pems.cert, 0o644);
  return describe(pems.cert, pems.private, new X509Certificate(pems.cert), 'self-signed', true);
}

function readPem(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${setting} ${file} cannot be read: ${(error as Error).message}`);
  }
}

function readKept(certFile: string, keyFile: string): { cert: string; key: string; x509: X509Certificate } | undefined {
  try {
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    const x509 = new X509Certificate(cert);
    return x509.checkPrivateKey(createPrivateKey(key)) ? { cert, key, x509 } : undefined;
  } catch {
    return undefined;
  }
}

function isUsable(x509: X509Certificate, subjects: CertificateSubjects, nowMs: number): boolean {
  if (Date.parse(x509.validFrom) > nowMs || Date.parse(x509.validTo) - nowMs < RENEW_BEFORE_MS) return false;
  return (
    subjects.dnsNames.every((name) => x509.checkHost(name, { wildcards: false }) !== undefined) &&
    subjects.ipAddresses.every((ip) => x509.checkIP(ip) !== undefined)
  );
}

function describe(
  cert: string,
  key: string,
  x509: X509Certificate,
  source: TlsCertificate['source'],
  created: boolean,
): TlsCertificate {
  return { cert, key, fingerprint256: x509.fingerprint256, validToMs: Date.parse(x509.validTo), source, created };
}

function writeAtomically(file: string, text: string, mode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}

/**
 * The certificate HTTPS serves: the user's (TLS_CERT_FILE + TLS_KEY_FILE) when
 * configured, else the self-signed one kept in `<dataDir>/tls`, covering
 * `selfSignedSubjects(lan)`.
 * @throws Error as `loadUserCertificate` does.
 */
export function serverCertificate(https: HttpsConfig, dataDir: string, lan: LanAddresses): Promise<TlsCertificate> {
  const user = https.userCertificate;
  if (user) return Promise.resolve(loadUserCertificate(user.certFile, user.keyFile));
  return loadOrCreateSelfSigned(path.join(dataDir, 'tls'), selfSignedSubjects(lan));
}
