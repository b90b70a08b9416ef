import dns, { type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a push service never has: "this network", loopback, private
 * (RFC 1918, RFC 4193 unique local), shared (RFC 6598), link-local,
 * benchmarking (RFC 2544), multicast and reserved ranges (IANA special-purpose
 * registries, RFC 6890). A subscription is a URL any signed-in user chooses,
 * so sending to these would let them make the server reach into its own network (SSRF).
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address (v4 or v6, also IPv4-mapped `::ffff:a.b.c.d`) is not a public one. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isNonPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host name without IPv6 brackets, lower case. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/**
 * Why the server will not send to a push endpoint, or null when it may: it
 * must be `https:` and must not name `localhost` or a non-public IP address,
 * unless its host is one of `allowedHosts` (a private push service, the
 * tests' stand-in; setting PUSH_ALLOWED_PRIVATE_HOSTS). Names that resolve
 * to non-public addresses are refused when connecting (`publicOnlyLookup`).
 */
export function endpointProblem(endpoint: string, allowedHosts: ReadonlySet<string>): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'the endpoint is not a URL';
  }
  if (url.protocol !== 'https:') return 'the endpoint must be an https: URL';
  const host = hostOf(url);
  if (allowedHosts.has(host)) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return `the endpoint names ${host}`;
  if (isIP(host) !== 0 && isNonPublicAddress(host)) return `the endpoint's address ${host} is not a public one`;
  return null;
}

/**
 * A `lookup` for the push agent's connections: `dns.lookup`, failing with
 * `ENOTPUBLIC` when a name resolves to a non-public address (so a push
 * endpoint cannot reach into the server's network through DNS), unless the
 * name is one of `allowedHosts`.
 */
export function publicOnlyLookup(allowedHosts: ReadonlySet<string>): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowedHosts.has(hostname.toLowerCase()) ? undefined : addresses.find((a) => isNonPublicAddress(a.address));
      if (refused) {
        const blocked = Object.assign(new Error(`push endpoint ${hostname} resolves to non-public ${refused.address}`), {
          code: 'ENOTPUBLIC',
        });
        return callback(blocked, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
