import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FOOTAGE, ffmpeg, tempDir } from './media.js';

/** One chunk of a recording as a camera would upload it. */
export interface RecordingChunk {
  seq: number;
  bytes: Buffer;
  /** SHA-256 of `bytes`, hex. */
  sha256: string;
  startMs: number;
  durationMs: number;
}

interface Box {
  type: string;
  start: number;
  end: number;
  /** Where the payload begins (after size, type and any 64-bit size). */
  body: number;
}

/** The ISO BMFF boxes (ISO/IEC 14496-12 §4.2) laid end to end in buf[start, end). */
function boxes(buf: Buffer, start = 0, end = buf.length): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    let size = buf.readUInt32BE(at);
    let body = at + 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      body += 8;
    } else if (size === 0) {
      size = end - at;
    }
    found.push({ type: buf.toString('latin1', at + 4, at + 8), start: at, end: at + size, body });
    at += size;
  }
  return found;
}

/** The first box on a path of box types, e.g. ['moov', 'trak', 'mdia', 'mdhd']. */
function find(buf: Buffer, parent: { body: number; end: number }, types: string[]): Box | undefined {
  let box: Box | undefined;
  let scope = parent;
  for (const type of types) {
    box = boxes(buf, scope.body, scope.end).find((b) => b.type === type);
    if (!box) return undefined;
    scope = box;
  }
  return box;
}

const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`fMP4: no ${what}`);
  return value;
};

/** Sum of the sample durations of one moof, in track timescale units (tfhd/trun/trex, ISO/IEC 14496-12 §8.8). */
function fragmentDuration(buf: Buffer, moof: Box, trexDefault: number): number {
  const tfhd = must(find(buf, moof, ['traf', 'tfhd']), 'tfhd');
  const tfhdFlags = buf.readUInt32BE(tfhd.body) & 0xffffff;
  let at = tfhd.body + 8;
  if (tfhdFlags & 0x01) at += 8;
  if (tfhdFlags & 0x02) at += 4;
  const defaultDuration = tfhdFlags & 0x08 ? buf.readUInt32BE(at) : trexDefault;
  const traf = must(find(buf, moof, ['traf']), 'traf');
  let total = 0;
  for (const trun of boxes(buf, traf.body, traf.end).filter((b) => b.type === 'trun')) {
    const flags = buf.readUInt32BE(trun.body) & 0xffffff;
    const count = buf.readUInt32BE(trun.body + 4);
    let p = trun.body + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
    const fields = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
    for (let i = 0; i < count; i++, p += fields * 4) total += flags & 0x100 ? buf.readUInt32BE(p) : defaultDuration;
  }
  return total;
}

/**
 * Splits a fragmented MP4 (ftyp+moov, then moof+mdat pairs) the way a
 * camera's MediaRecorder chunks it: chunk 0 = the init segment (ftyp+moov),
 * then one chunk per fragment, with start and duration read from the
 * fragment's tfdt and sample durations. Trailing boxes (mfra) are dropped.
 * @param startedAtMs the recording's start on the camera clock.
 */
export function splitFragmentedMp4(file: Buffer, startedAtMs: number): RecordingChunk[] {
  const top = boxes(file);
  const moov = must(
    top.find((b) => b.type === 'moov'),
    'moov',
  );
  const mdhd = must(find(file, moov, ['trak', 'mdia', 'mdhd']), 'mdhd');
  const timescale = file.readUInt32BE(mdhd.body + (file[mdhd.body] === 1 ? 20 : 12));
  const trex = find(file, moov, ['mvex', 'trex']);
  const trexDefault = trex ? file.readUInt32BE(trex.body + 12) : 0;
  const chunk = (seq: number, bytes: Buffer, startMs: number, durationMs: number): RecordingChunk => ({
    seq,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    startMs,
    durationMs,
  });
  const chunks = [chunk(0, file.subarray(0, moov.end), startedAtMs, 0)];
  top.forEach((moof, i) => {
    const mdat = top[i + 1];
    if (moof.type !== 'moof' || mdat?.type !== 'mdat') return;
    const tfdt = must(find(file, moof, ['traf', 'tfdt']), 'tfdt');
    const decodeTime =
      file[tfdt.body] === 1 ? Number(file.readBigUInt64BE(tfdt.body + 4)) : file.readUInt32BE(tfdt.body + 4);
    const startMs = startedAtMs + Math.round((decodeTime / timescale) * 1000);
    const durationMs = Math.round((fragmentDuration(file, moof, trexDefault) / timescale) * 1000);
    chunks.push(chunk(chunks.length, file.subarray(moof.start, mdat.end), startMs, durationMs));
  });
  return chunks;
}

const workDir = tempDir('peerwatch-fmp4-');

/**
 * `seconds` of the shared footage as H.264 fragmented MP4 with a keyframe
 * (and so a fragment) every `gop` frames: what MediaRecorder makes with
 * `videoKeyFrameIntervalDuration`. Made once per process.
 */
export function footageFmp4(seconds = 12, gop = 10): string {
  const out = path.join(workDir, `footage-${seconds}s-g${gop}.mp4`);
  if (!existsSync(out)) {
    ffmpeg([
      '-i',
      FOOTAGE,
      '-t',
      String(seconds),
      '-an',
      '-c:v',
      'libx264',
      '-g',
      String(gop),
      '-f',
      'mp4',
      '-movflags',
      '+frag_keyframe+empty_moov+default_base_moof',
      out,
    ]);
  }
  return out;
}

/** Duration of a media file or playlist as ffprobe reports it, seconds. */
export function probeDurationS(input: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', input]);
  return Number(out.toString().trim());
}

/** The chunks of `footageFmp4(seconds)` for a recording that started at `startedAtMs`. */
export function footageChunks(startedAtMs: number, seconds = 12): RecordingChunk[] {
  return splitFragmentedMp4(readFileSync(footageFmp4(seconds)), startedAtMs);
}
