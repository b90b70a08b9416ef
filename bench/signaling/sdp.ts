import { randomBytes } from 'node:crypto';

/** Video codecs of a browser offer: payload type, rtpmap, fmtp (RFC 8866 / RFC 7742 style). */
const VIDEO_CODECS: [number, string, string | null][] = [
  [96, 'VP8/90000', null],
  [98, 'VP9/90000', 'profile-id=0'],
  [100, 'VP9/90000', 'profile-id=2'],
  [102, 'H264/90000', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f'],
  [104, 'H264/90000', 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f'],
  [106, 'H264/90000', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f'],
  [108, 'H264/90000', 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f'],
  [45, 'AV1/90000', 'level-idx=5;profile=0;tier=0'],
];

const EXTMAPS = [
  'urn:ietf:params:rtp-hdrext:toffset',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'urn:3gpp:video-orientation',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay',
  'http://www.webrtc.org/experiments/rtp-hdrext/video-content-type',
  'http://www.webrtc.org/experiments/rtp-hdrext/video-timing',
  'http://www.webrtc.org/experiments/rtp-hdrext/color-space',
  'urn:ietf:params:rtp-hdrext:sdes:mid',
];

/**
 * An SDP of the shape and size a browser sends for one video m-line (about
 * 3 KB): ICE credentials, DTLS fingerprint, header extensions, codecs with
 * RTX and RTCP feedback (RFC 8866, RFC 8829).
 */
export function videoSdp(type: 'offer' | 'answer'): string {
  const fingerprint = [...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  const lines = [
    'v=0',
    `o=- ${BigInt(`0x${randomBytes(7).toString('hex')}`)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
    `m=video 9 UDP/TLS/RTP/SAVPF ${VIDEO_CODECS.flatMap(([pt]) => [pt, pt + 1]).join(' ')}`,
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${randomBytes(3).toString('base64url')}`,
    `a=ice-pwd:${randomBytes(18).toString('base64url')}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${type === 'offer' ? 'actpass' : 'active'}`,
    'a=mid:0',
    ...EXTMAPS.map((uri, i) => `a=extmap:${i + 1} ${uri}`),
    type === 'offer' ? 'a=recvonly' : 'a=sendonly',
    'a=rtcp-mux',
    'a=rtcp-rsize',
  ];
  for (const [pt, rtpmap, fmtp] of VIDEO_CODECS) {
    lines.push(`a=rtpmap:${pt} ${rtpmap}`);
    for (const fb of ['goog-remb', 'transport-cc', 'ccm fir', 'nack', 'nack pli']) lines.push(`a=rtcp-fb:${pt} ${fb}`);
    if (fmtp) lines.push(`a=fmtp:${pt} ${fmtp}`);
    lines.push(`a=rtpmap:${pt + 1} rtx/90000`, `a=fmtp:${pt + 1} apt=${pt}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * The payload of a PeerJS OFFER or ANSWER for a media connection, as the
 * PeerJS client's Negotiator sends it: `{sdp: {type, sdp}, type: 'media',
 * connectionId, browser}`. `connectionId` also identifies the message in the
 * benchmark.
 */
export function mediaPayload(type: 'offer' | 'answer', connectionId: string): Record<string, unknown> {
  return { sdp: { type, sdp: videoSdp(type) }, type: 'media', connectionId, browser: 'chrome' };
}
