import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { lanAddresses } from '../../signal-server/net/lan-addresses.js';

function info(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

test('LAN addresses leave out loopback and link-local, keep order, drop repeats', () => {
  const addresses = lanAddresses({
    lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
    wlan0: [
      info('192.168.1.23', 'IPv4'),
      info('fe80::1c2d:3eff:fe4f:5a6b', 'IPv6'),
      info('fd12:3456:789a::23', 'IPv6'),
      info('2001:db8::23', 'IPv6'),
    ],
    eth0: [info('10.0.0.5', 'IPv4'), info('169.254.10.20', 'IPv4'), info('192.168.1.23', 'IPv4')],
    down: undefined,
  });
  assert.deepEqual(addresses, {
    ipv4: ['192.168.1.23', '10.0.0.5'],
    ipv6: ['fd12:3456:789a::23', '2001:db8::23'],
  });
});

test('a machine with loopback only has no LAN addresses', () => {
  assert.deepEqual(lanAddresses({ lo: [info('127.0.0.1', 'IPv4', true)] }), { ipv4: [], ipv6: [] });
});
