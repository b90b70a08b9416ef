import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ChunkFormatError,
  boxesIn,
  child,
  readFragments,
  readInitSegment,
  splitInitSegment,
  trackIdOf,
} from '../../pwa/camera/recording/fmp4-chunk.js';
import { repairOpusDurations } from '../../pwa/camera/recording/opus-durations.js';
import { FOOTAGE, ffmpeg, tempDir } from '../support/media.js';

const workDir = tempDir('peerwatch-fmp4-unit-');

/** `seconds` of the shared footage as fMP4 (H.264, keyframe and fragment every 2 s) with a 440 Hz Opus track. */
function footageWithOpus(seconds = 6): string {
  const out = path.join(workDir, 'footage-opus.mp4');
  ffmpeg([
    ...['-i', FOOTAGE, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-t', String(seconds), '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-g', '20', '-c:a', 'libopus'],
    ...['-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', out],
  ]);
  return out;
}

function readBuffer(file: string): ArrayBuffer {
  const bytes = readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** ftyp+moov, then each moof+mdat pair as its own buffer: chunks as a camera's recorder makes them. */
function chunksOf(file: ArrayBuffer): { init: ArrayBuffer; fragments: ArrayBuffer[] } {
  const top = boxesIn(new DataView(file));
  const moov = top.find((box) => box.type === 'moov')!;
  const fragments = top.flatMap((box, i) =>
    box.type === 'moof' && top[i + 1]?.type === 'mdat' ? [file.slice(box.start, top[i + 1]!.end)] : [],
  );
  return { init: file.slice(0, moov.end), fragments };
}

/** Sets the duration of the last sample of each Opus trun that carries sample durations to `ticks`. */
function shortenLastOpusSample(chunk: ArrayBuffer, opusTrackId: number, ticks: number): number {
  const view = new DataView(chunk);
  let changed = 0;
  for (const moof of boxesIn(view).filter((box) => box.type === 'moof')) {
    for (const traf of boxesIn(view, moof.body, moof.end).filter((box) => box.type === 'traf')) {
      if (trackIdOf(view, traf) !== opusTrackId) continue;
      const trun = child(view, traf, 'trun')!;
      const flags = view.getUint32(trun.body) & 0xffffff;
      if (!(flags & 0x100)) continue;
      const count = view.getUint32(trun.body + 4);
      const fieldBytes = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length * 4;
      const first = trun.body + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
      view.setUint32(first + (count - 1) * fieldBytes, ticks);
      changed++;
    }
  }
  return changed;
}

const footage = footageWithOpus();
const { init, fragments } = chunksOf(readBuffer(footage));

test('the init segment and the first fragment are told apart; the video and Opus tracks are read', () => {
  const first = new Uint8Array(init.byteLength + fragments[0]!.byteLength);
  first.set(new Uint8Array(init), 0);
  first.set(new Uint8Array(fragments[0]!), init.byteLength);
  const split = splitInitSegment(first.buffer);
  assert.deepEqual(new Uint8Array(split.init), new Uint8Array(init));
  assert.deepEqual(new Uint8Array(split.rest), new Uint8Array(fragments[0]!));
  assert.equal(splitInitSegment(init).rest.byteLength, 0);

  const tracks = readInitSegment(init);
  assert.ok(tracks.video.timescale > 0);
  assert.ok(tracks.opus, 'Opus track found');
  assert.equal(tracks.opus.timescale, 48_000);
  assert.notEqual(tracks.opus.trackId, tracks.video.trackId);
});

test('fragment timing is continuous and adds up to the file duration', () => {
  const { video } = readInitSegment(init);
  const timings = fragments.map((fragment) => readFragments(fragment, video));
  assert.ok(timings.length >= 3);
  assert.equal(timings[0]!.startTicks, 0);
  for (let i = 1; i < timings.length; i++) {
    assert.equal(timings[i]!.startTicks, timings[i - 1]!.startTicks + timings[i - 1]!.durationTicks);
  }
  const totalS = timings.reduce((sum, t) => sum + t.durationTicks, 0) / video.timescale;
  const probe = ['-v', 'error', '-select_streams', 'v', '-show_entries', 'stream=duration', '-of', 'csv=p=0', footage];
  const probed = Number(execFileSync('ffprobe', probe).toString());
  assert.ok(Math.abs(totalS - probed) < 0.15, `${totalS} s vs ffprobe ${probed} s`);
});

test('short Opus sample durations are set back to what each packet says; right ones are left alone', () => {
  const { opus } = readInitSegment(init);
  let repaired = 0;
  // The stream's last packet may end short on purpose (end trim): the recorder repairs only chunks that more follow.
  for (const fragment of fragments.slice(0, -1)) {
    const copy = fragment.slice(0);
    assert.equal(repairOpusDurations(copy, opus!), 0);
    assert.deepEqual(new Uint8Array(copy), new Uint8Array(fragment));

    // Chromium writes e.g. 1 008 ticks for a 2 880-tick (60 ms) packet; these packets last 20 ms (960 ticks).
    const shortened = fragment.slice(0);
    const cut = shortenLastOpusSample(shortened, opus!.trackId, 336);
    assert.equal(repairOpusDurations(shortened, opus!), cut);
    assert.deepEqual(new Uint8Array(shortened), new Uint8Array(fragment));
    repaired += cut;
  }
  // ffmpeg writes per-sample durations where they differ (at least in the first fragment).
  assert.ok(repaired >= 1);
});

test('WebM, or a media chunk that does not begin with moof, is refused with a ChunkFormatError', () => {
  const webmFile = path.join(workDir, 'footage.webm');
  ffmpeg(['-i', FOOTAGE, '-t', '1', '-c:v', 'libvpx', '-f', 'webm', webmFile]);
  assert.throws(
    () => splitInitSegment(readBuffer(webmFile)),
    (error) => error instanceof ChunkFormatError && /cannot play back/.test(error.message),
  );
  const { video } = readInitSegment(init);
  const mdatFirst = fragments[1]!.slice(boxesIn(new DataView(fragments[1]!))[0]!.end);
  assert.throws(() => readFragments(mdatFirst, video), ChunkFormatError);
  assert.throws(() => readFragments(init, video), ChunkFormatError);
  assert.throws(() => readInitSegment(fragments[0]!), ChunkFormatError);
});
