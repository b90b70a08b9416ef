/**
 * Checks that MediaRecorder chunks are fragmented MP4 as Peerwatch's HLS
 * playlists need them (RFC 8216 §3.3 fMP4 segments), and reads their timing.
 * Box layout from ISO/IEC 14496-12: §4.2 box header, §8.8 movie fragments
 * (mvex/trex, moof/traf/tfhd/tfdt/trun), §8.4 media header (mdhd, hdlr).
 */

/** A chunk that is not what the recorder must produce. `message` is meant for people. */
export class ChunkFormatError extends Error {
  constructor(detail: string) {
    super(`This browser recorded in a format Peerwatch cannot play back (${detail}).`);
    this.name = 'ChunkFormatError';
  }
}

/** What the init segment says about one track. */
export interface TrackInfo {
  trackId: number;
  /** Ticks per second of the track's media time. */
  timescale: number;
  /** trex default sample duration, ticks (used when a fragment gives none). */
  defaultSampleDuration: number;
}

/** The tracks of an init segment that recording needs. */
export interface InitSegmentInfo {
  video: TrackInfo;
  /** The Opus audio track (sample entry `Opus`), if any. */
  opus: TrackInfo | null;
}

/** Timing of one media chunk (one or more fragments), in the track's media time. */
export interface FragmentTiming {
  /** tfdt of the first fragment, ticks. */
  startTicks: number;
  /** Sum of the video samples' durations, ticks. */
  durationTicks: number;
}

/** An ISO BMFF box: where it starts and ends in its buffer. */
export interface Box {
  type: string;
  start: number;
  end: number;
  /** First byte of the payload. */
  body: number;
}

/** The boxes laid end to end in view[start, end). @throws ChunkFormatError when a size runs past the end */
export function boxesIn(view: DataView, start = 0, end = view.byteLength): Box[] {
  const found: Box[] = [];
  for (let at = start; at < end; ) {
    if (at + 8 > end) throw new ChunkFormatError('a box header is cut off');
    let size = view.getUint32(at);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > end) throw new ChunkFormatError('a box header is cut off');
      size = Number(view.getBigUint64(at + 8));
      body += 8;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at || at + size > end) throw new ChunkFormatError('a box runs past the end of the chunk');
    found.push({ type: fourCc(view, at + 4), start: at, end: at + size, body });
    at += size;
  }
  return found;
}

/** The first child box of `parent` of this type. */
export function child(view: DataView, parent: Box, type: string): Box | undefined {
  return boxesIn(view, parent.body, parent.end).find((box) => box.type === type);
}

function path(view: DataView, parent: Box, types: string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) box = box && child(view, box, type);
  return box;
}

/**
 * Splits the recorder's first chunk into the init segment (ftyp+moov) and the
 * media that follows in the same chunk (empty when, as in Chromium, the init
 * segment comes alone).
 * @throws ChunkFormatError when the chunk does not begin with ftyp and moov (e.g. WebM)
 */
export function splitInitSegment(bytes: ArrayBuffer): { init: ArrayBuffer; rest: ArrayBuffer } {
  const view = new DataView(bytes);
  const top = firstBoxes(view);
  const moov = top.find((box) => box.type === 'moov');
  if (top[0]?.type !== 'ftyp' || !moov) {
    throw new ChunkFormatError(`the first chunk begins with ${describe(top)}, not ftyp+moov`);
  }
  return { init: bytes.slice(0, moov.end), rest: bytes.slice(moov.end) };
}

/** The leading boxes, tolerating a first chunk that is not ISO BMFF at all. */
function firstBoxes(view: DataView): Box[] {
  try {
    return boxesIn(view);
  } catch {
    return [];
  }
}

function describe(boxes: Box[]): string {
  return boxes.length ? boxes.map((box) => box.type).join('+') : 'no MP4 boxes';
}

/**
 * Reads the video track (and an Opus audio track, if any) of an init segment.
 * @throws ChunkFormatError when there is no video track or no mvex (not a fragmented MP4)
 */
export function readInitSegment(init: ArrayBuffer): InitSegmentInfo {
  const view = new DataView(init);
  const moov = boxesIn(view).find((box) => box.type === 'moov');
  if (!moov) throw new ChunkFormatError('the init segment has no moov');
  const mvex = child(view, moov, 'mvex');
  if (!mvex) throw new ChunkFormatError('the recording is not fragmented');
  let video: TrackInfo | null = null;
  let opus: TrackInfo | null = null;
  for (const trak of boxesIn(view, moov.body, moov.end).filter((box) => box.type === 'trak')) {
    const hdlr = path(view, trak, ['mdia', 'hdlr']);
    const mdhd = path(view, trak, ['mdia', 'mdhd']);
    const stsd = path(view, trak, ['mdia', 'minf', 'stbl', 'stsd']);
    const tkhd = child(view, trak, 'tkhd');
    if (!hdlr || !mdhd || !tkhd) continue;
    const v1 = (b: Box) => view.getUint8(b.body) === 1;
    const trackId = view.getUint32(tkhd.body + (v1(tkhd) ? 20 : 12));
    const trex = boxesIn(view, mvex.body, mvex.end).find(
      (box) => box.type === 'trex' && view.getUint32(box.body + 4) === trackId,
    );
    const track: TrackInfo = {
      trackId,
      timescale: view.getUint32(mdhd.body + (v1(mdhd) ? 20 : 12)),
      defaultSampleDuration: trex ? view.getUint32(trex.body + 12) : 0,
    };
    const handler = fourCc(view, hdlr.body + 8);
    const sampleEntry = stsd && stsd.body + 16 <= stsd.end ? fourCc(view, stsd.body + 12) : '';
    if (handler === 'vide') video ??= track;
    else if (handler === 'soun' && sampleEntry === 'Opus') opus ??= track;
  }
  if (!video) throw new ChunkFormatError('the init segment has no video track');
  return { video, opus };
}

function fourCc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/**
 * Checks a media chunk (seq ≥ 1): it must consist of whole moof+mdat
 * fragments, beginning with moof. Returns the video track's tfdt of the first
 * fragment and the summed sample durations of all fragments.
 * @throws ChunkFormatError otherwise
 */
export function readFragments(bytes: ArrayBuffer, track: TrackInfo): FragmentTiming {
  const view = new DataView(bytes);
  const top = boxesIn(view);
  if (top[0]?.type !== 'moof') throw new ChunkFormatError(`a chunk begins with ${describe(top)}, not moof`);
  let startTicks: number | undefined;
  let durationTicks = 0;
  for (const moof of top.filter((box) => box.type === 'moof')) {
    const traf = boxesIn(view, moof.body, moof.end).find(
      (box) => box.type === 'traf' && trackIdOf(view, box) === track.trackId,
    );
    if (!traf) continue;
    const tfdt = child(view, traf, 'tfdt');
    if (!tfdt) throw new ChunkFormatError('a fragment has no tfdt');
    startTicks ??=
      view.getUint8(tfdt.body) === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
    durationTicks += trafDuration(view, traf, track.defaultSampleDuration);
  }
  if (startTicks === undefined) throw new ChunkFormatError('a chunk has no video fragment');
  if (!top.some((box) => box.type === 'mdat')) throw new ChunkFormatError('a chunk has no mdat');
  return { startTicks, durationTicks };
}

/** The track_ID of a traf (from its tfhd). */
export function trackIdOf(view: DataView, traf: Box): number | undefined {
  const tfhd = child(view, traf, 'tfhd');
  return tfhd && view.getUint32(tfhd.body + 4);
}

/** Where a trun's per-sample fields lie (ISO/IEC 14496-12 §8.8.8 TrackRunBox). */
export interface TrunLayout {
  /** tr_flags, e.g. 0x100 sample-duration-present, 0x200 sample-size-present. */
  flags: number;
  /** sample_count. */
  count: number;
  /** Byte offset (in the view) of the first sample's fields, after data_offset (0x01) and first_sample_flags (0x04). */
  firstSample: number;
  /** Bytes of fields per sample: 4 for each of duration 0x100, size 0x200, flags 0x400, composition offset 0x800. */
  fieldBytes: number;
}

/** The layout of a trun box's samples (ISO/IEC 14496-12 §8.8.8); sample i's fields begin at `firstSample + i * fieldBytes`. */
export function trunLayout(view: DataView, trun: Box): TrunLayout {
  const flags = view.getUint32(trun.body) & 0xffffff;
  return {
    flags,
    count: view.getUint32(trun.body + 4),
    firstSample: trun.body + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0),
    fieldBytes: [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length * 4,
  };
}

/** Sum of a traf's sample durations (trun, else tfhd default, else trex default), ticks. */
function trafDuration(view: DataView, traf: Box, trexDefault: number): number {
  const tfhd = child(view, traf, 'tfhd')!;
  const tfhdFlags = view.getUint32(tfhd.body) & 0xffffff;
  let at = tfhd.body + 8;
  if (tfhdFlags & 0x01) at += 8; // base-data-offset
  if (tfhdFlags & 0x02) at += 4; // sample-description-index
  const defaultDuration = tfhdFlags & 0x08 ? view.getUint32(at) : trexDefault;
  let total = 0;
  for (const trun of boxesIn(view, traf.body, traf.end).filter((box) => box.type === 'trun')) {
    const { flags, count, firstSample, fieldBytes } = trunLayout(view, trun);
    for (let i = 0, p = firstSample; i < count; i++, p += fieldBytes) {
      total += flags & 0x100 ? view.getUint32(p) : defaultDuration;
    }
  }
  return total;
}
