import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'hls-parser';
import type { MediaPlaylist } from 'hls-parser/types.js';
import { buildMediaPlaylist, playableChunks, playlistEnded } from '../../signal-server/recordings/playlist.js';

const chunk = (seq: number, durationMs = seq === 0 ? 0 : 1000) => ({ seq, durationMs });
const chunks = (...seqs: number[]) => seqs.map((seq) => chunk(seq));

test('a closed recording is a VOD playlist: header, init map, one EXTINF + URI per chunk, ENDLIST', () => {
  const text = buildMediaPlaylist(
    { chunks: [chunk(0), chunk(1, 2000), chunk(2, 1500), chunk(3, 2001)], finalSeq: 3, closed: true },
    '?token=abc',
  );
  assert.equal(
    text,
    [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-TARGETDURATION:3',
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-MAP:URI="init.mp4?token=abc"',
      '#EXTINF:2.000,',
      'segments/1.m4s?token=abc',
      '#EXTINF:1.500,',
      'segments/2.m4s?token=abc',
      '#EXTINF:2.001,',
      'segments/3.m4s?token=abc',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n'),
  );
  const parsed = parse(text) as MediaPlaylist;
  assert.equal(parsed.playlistType, 'VOD');
  assert.equal(parsed.endlist, true);
  assert.deepEqual(
    parsed.segments.map((s) => [s.uri, s.duration, s.map.uri]),
    [
      ['segments/1.m4s?token=abc', 2, 'init.mp4?token=abc'],
      ['segments/2.m4s?token=abc', 1.5, 'init.mp4?token=abc'],
      ['segments/3.m4s?token=abc', 2.001, 'init.mp4?token=abc'],
    ],
  );
});

test('an open recording is an EVENT playlist without ENDLIST, in seq order whatever the input order', () => {
  const parsed = parse(buildMediaPlaylist({ chunks: chunks(2, 0, 1), finalSeq: null, closed: false })) as MediaPlaylist;
  assert.equal(parsed.playlistType, 'EVENT');
  assert.equal(parsed.endlist, false);
  assert.deepEqual(
    parsed.segments.map((s) => s.uri),
    ['segments/1.m4s', 'segments/2.m4s'],
  );
});

test('the playlist stops at the first missing seq; later chunks wait for the gap', () => {
  assert.deepEqual(
    playableChunks(chunks(0, 1, 3, 4)).map((c) => c.seq),
    [0, 1],
  );
  const text = buildMediaPlaylist({ chunks: chunks(0, 1, 3, 4), finalSeq: 4, closed: true });
  assert.match(text, /segments\/1\.m4s\n$/);
  assert.doesNotMatch(text, /segments\/3/);
  assert.match(text, /PLAYLIST-TYPE:EVENT/, 'a known final chunk past a gap keeps the playlist growing');
});

test('without the init segment there is no map and no segment', () => {
  assert.deepEqual(playableChunks(chunks(1, 2)), []);
  const text = buildMediaPlaylist({ chunks: chunks(1, 2), finalSeq: null, closed: false });
  assert.doesNotMatch(text, /EXT-X-MAP|EXTINF/);
  assert.match(text, /#EXT-X-TARGETDURATION:1\n/);
});

test('ended: closed, and every chunk up to a known final one is there', () => {
  assert.equal(playlistEnded({ chunks: chunks(0, 1, 2), finalSeq: 2, closed: true }), true);
  assert.equal(playlistEnded({ chunks: chunks(0, 1, 2), finalSeq: 2, closed: false }), false);
  assert.equal(playlistEnded({ chunks: chunks(0, 2), finalSeq: 2, closed: true }), false);
  assert.equal(
    playlistEnded({ chunks: chunks(0, 1), finalSeq: null, closed: true }),
    true,
    'closed by a newer recording',
  );
});

test('target duration is the longest segment rounded up to whole seconds', () => {
  const target = (ms: number[]) =>
    (
      parse(
        buildMediaPlaylist({ chunks: [chunk(0), ...ms.map((d, i) => chunk(i + 1, d))], finalSeq: null, closed: false }),
      ) as MediaPlaylist
    ).targetDuration;
  assert.equal(target([1000, 1000]), 1);
  assert.equal(target([1000, 1001]), 2);
  assert.equal(target([1999, 500]), 2);
  assert.equal(target([6000]), 6);
});
