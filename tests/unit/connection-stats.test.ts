import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionStatsFrom, statsParts, type StatsEntry } from '../../pwa/viewer/connection-stats.js';
import { noPathCause, noPathMessage } from '../../pwa/viewer/no-path.js';

/** A viewer's stats as Chromium reports them (W3C webrtc-stats), one second apart. */
function report(timestamp: number, bytesVideo: number, localType = 'relay', remoteType = 'relay'): StatsEntry[] {
  return [
    { id: 'T01', type: 'transport', timestamp, selectedCandidatePairId: 'CPa_b' },
    { id: 'CPx_y', type: 'candidate-pair', timestamp, localCandidateId: 'Ix', remoteCandidateId: 'Iy', nominated: false, state: 'failed' },
    {
      id: 'CPa_b',
      type: 'candidate-pair',
      timestamp,
      localCandidateId: 'Ia',
      remoteCandidateId: 'Ib',
      nominated: true,
      state: 'succeeded',
      currentRoundTripTime: 0.0125,
    },
    { id: 'Ia', type: 'local-candidate', timestamp, candidateType: localType },
    { id: 'Ib', type: 'remote-candidate', timestamp, candidateType: remoteType },
    { id: 'Ix', type: 'local-candidate', timestamp, candidateType: 'host' },
    { id: 'Iy', type: 'remote-candidate', timestamp, candidateType: 'host' },
    { id: 'IT01V', type: 'inbound-rtp', kind: 'video', timestamp, bytesReceived: bytesVideo, frameWidth: 640, frameHeight: 480, framesPerSecond: 10 },
    { id: 'IT01A', type: 'inbound-rtp', kind: 'audio', timestamp, bytesReceived: 4_000 },
  ];
}

test('the selected pair decides relayed or direct; size, fps and round trip are read; bitrate needs two samples', () => {
  const first = connectionStatsFrom(report(10_000, 100_000), null);
  assert.equal(first.path, 'relayed');
  assert.deepEqual([first.widthPx, first.heightPx, first.fps, first.roundTripMs], [640, 480, 10, 12.5]);
  assert.equal(first.bitrateKbps, null);
  assert.equal(first.bytesReceived, 104_000);

  // 125 000 more bytes in 1 000 ms: 1 000 kbit/s.
  const second = connectionStatsFrom(report(11_000, 225_000), first);
  assert.equal(second.bitrateKbps, 1_000);
  assert.deepEqual(statsParts(second), ['640×480', '10 fps', '1000 kbit/s', '13 ms round trip']);

  assert.equal(connectionStatsFrom(report(0, 0, 'host', 'srflx'), null).path, 'direct');
  assert.equal(connectionStatsFrom(report(0, 0, 'host', 'relay'), null).path, 'relayed');
});

test('before a pair is selected nothing is claimed', () => {
  const stats = connectionStatsFrom([{ id: 'T01', type: 'transport', timestamp: 5 }], null);
  assert.equal(stats.path, null);
  assert.deepEqual(statsParts(stats), []);
});

test('a refused relay is told apart from an unreachable one and from no relay error', () => {
  const turn = 'turn:127.0.0.1:3478?transport=udp';
  assert.equal(noPathCause([{ url: 'stun:127.0.0.1:3478', errorCode: 701 }, { url: turn, errorCode: 401 }]), 'relay-refused');
  assert.equal(noPathCause([{ url: turn, errorCode: 701 }]), 'relay-unreachable');
  assert.equal(noPathCause([{ url: 'stun:127.0.0.1:3478', errorCode: 701 }]), 'unknown');
  assert.equal(noPathCause([]), 'unknown');
  assert.equal(
    noPathMessage('Front door', 'relay-refused'),
    'Could not connect to Front door: no network path (the relay server refused the connection).',
  );
});
