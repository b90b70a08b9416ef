import { isIPv4 } from 'node:net';
import QRCode from 'qrcode';
import type { TlsCertificate } from '../tls/certificate.js';

/** What the start-up banner tells: where the server listens and how a phone reaches it. */
export interface BannerInput {
  /** The address the servers are bound to (HOST): `::` or `0.0.0.0` for every interface. */
  host: string;
  httpPort: number;
  /** The HTTPS port, or null when HTTPS is off. */
  httpsPort: number | null;
  /** This machine's LAN IPv4 addresses (see `lanAddresses`). */
  lanIpv4: readonly string[];
  /** The certificate HTTPS serves, or null when HTTPS is off. */
  certificate: TlsCertificate | null;
}

const WILDCARD_HOSTS = new Set(['', '::', '0.0.0.0']);

/**
 * The URLs a phone on the LAN can open: `https://<LAN IPv4>:<httpsPort>/` for
 * each address the server is reachable on (plain `http://` when HTTPS is off,
 * where a phone can view but not be a camera). Empty when the server is bound
 * to loopback or an IPv6 address only.
 */
export function phoneUrls(input: Omit<BannerInput, 'certificate'>): string[] {
  const addresses = WILDCARD_HOSTS.has(input.host)
    ? input.lanIpv4
    : isIPv4(input.host) && !input.host.startsWith('127.')
      ? [input.host]
      : [];
  return addresses.map((ip) =>
    input.httpsPort === null ? `http://${ip}:${input.httpPort}/` : `https://${ip}:${input.httpsPort}/`,
  );
}

/**
 * The text printed on start: local URLs, the URLs for phones, the first of
 * them as a QR code for the terminal (`qrcode`, small form), and for a
 * self-signed certificate the one-time browser warning with the SHA-256
 * fingerprint to compare against.
 */
export async function startupBanner(input: BannerInput): Promise<string> {
  const lines = ['', 'Peerwatch is running.'];
  if (WILDCARD_HOSTS.has(input.host) || input.host.startsWith('127.') || input.host === '::1') {
    const https = input.httpsPort === null ? '' : ` (or https://localhost:${input.httpsPort}/)`;
    lines.push(`  On this computer: http://localhost:${input.httpPort}/${https}`);
  }
  const urls = phoneUrls(input);
  if (urls.length === 0) {
    lines.push(`  Bound to ${input.host} only: phones cannot reach it (set HOST=:: to listen on the LAN).`);
    return `${lines.join('\n')}\n`;
  }
  lines.push('  On phones and tablets on your network:', ...urls.map((url) => `    ${url}`));
  if (input.httpsPort === null) {
    lines.push('  HTTPS is off: a phone can watch but not be a camera (browsers allow the camera on HTTPS only).');
  }
  lines.push(`  Scan to open ${urls[0]} on a phone:`, await QRCode.toString(urls[0]!, { type: 'terminal', small: true }));
  if (input.certificate?.source === 'self-signed') {
    lines.push(
      '  The certificate is self-signed: each phone shows a warning once; accept it to continue.',
      `  Its SHA-256 fingerprint is ${input.certificate.fingerprint256}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
