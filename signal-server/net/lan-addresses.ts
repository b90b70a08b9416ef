import os from 'node:os';

/** This machine's addresses that other devices on the LAN can reach. */
export interface LanAddresses {
  /** Non-loopback, non-link-local IPv4 addresses, in interface order. */
  ipv4: string[];
  /** Non-loopback, non-link-local IPv6 addresses (e.g. ULA or global), in interface order. */
  ipv6: string[];
}

/**
 * The LAN addresses among `interfaces` (default: `os.networkInterfaces()`).
 * Loopback and link-local addresses (169.254.0.0/16, fe80::/10; RFC 3927,
 * RFC 4291) are left out: a phone cannot open a URL with them.
 */
export function lanAddresses(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): LanAddresses {
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4' && !info.address.startsWith('169.254.')) ipv4.add(info.address);
      if (info.family === 'IPv6' && !/^fe[89ab]/i.test(info.address)) ipv6.add(info.address);
    }
  }
  return { ipv4: [...ipv4], ipv6: [...ipv6] };
}
