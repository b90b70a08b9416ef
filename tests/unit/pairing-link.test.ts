import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairingLinkSource, parsePairingLink } from '../../pwa/camera/pairing-link.js';

const token = 'A'.repeat(43);
const here = { origin: 'http://localhost:8080', instanceId: 'this-server-id' };

function pairing(text: string) {
  const link = parsePairingLink(text);
  assert.equal(link.kind, 'pairing');
  return link as Extract<typeof link, { kind: 'pairing' }>;
}

test('a pairing link gives its token, origin and server id', () => {
  const link = pairing(`https://192.0.2.2:8443/pair?server=this-server-id#${token}`);
  assert.deepEqual(link, {
    kind: 'pairing',
    token,
    origin: 'https://192.0.2.2:8443',
    serverId: 'this-server-id',
    url: `https://192.0.2.2:8443/pair?server=this-server-id#${token}`,
  });
});

test('a link is this server’s when it names this origin or this server’s instance id', () => {
  assert.equal(pairingLinkSource(pairing(`http://localhost:8080/pair#${token}`), here), 'this-server');
  assert.equal(pairingLinkSource(pairing(`https://192.0.2.2:8443/pair?server=this-server-id#${token}`), here), 'this-server');
  assert.equal(pairingLinkSource(pairing(`https://192.0.2.2:8443/pair?server=another-id#${token}`), here), 'other-server');
  assert.equal(pairingLinkSource(pairing(`https://192.0.2.2:8443/pair#${token}`), here), 'other-server');
});

test('other URLs, texts and malformed tokens are not pairing links', () => {
  for (const text of ['https://example.com/menu#today', 'hello', `ftp://localhost/pair#${token}`, 'http://localhost/pair#short']) {
    assert.deepEqual(parsePairingLink(text), { kind: 'not-peerwatch' }, text);
  }
});
