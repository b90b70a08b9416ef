import { boxesIn, child, trackIdOf, trunLayout, type Box, type TrackInfo } from './fmp4-chunk.js';

/** Frame sizes of the Opus TOC configurations 0–31, in 1/400 s (RFC 6716 §3.1, Table 2). */
const FRAME_400THS = [
  ...[4, 8, 16, 24, 4, 8, 16, 24, 4, 8, 16, 24], // SILK-only: 10, 20, 40, 60 ms
  ...[4, 8, 4, 8], // hybrid: 10, 20 ms
  ...[1, 2, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8], // CELT-only: 2.5, 5, 10, 20 ms
];

/** Duration of one Opus packet from its TOC byte and frame count (RFC 6716 §3.1–3.2), in 1/400 s; 0 if unreadable. */
function packetDuration400ths(view: DataView, at: number, sizeBytes: number): number {
  if (sizeBytes < 1) return 0;
  const toc = view.getUint8(at);
  const frameCode = toc & 0x03;
  const frames = frameCode === 0 ? 1 : frameCode < 3 ? 2 : sizeBytes >= 2 ? view.getUint8(at + 1) & 0x3f : 0;
  return FRAME_400THS[toc >> 3]! * frames;
}

/**
 * Repairs the last Opus sample of each fragment of a chunk whose duration is
 * shorter than its packet (RFC 6716 §3.1 TOC byte; "Encapsulation of Opus in
 * ISO Base Media File Format" §4.3.2: one packet per sample): Chromium's
 * MediaRecorder writes such a short duration, and the gap it leaves before
 * the next fragment counts as a discontinuity in Media Source Extensions,
 * which then drops the video up to a later keyframe (playback freezes in
 * hls.js). Only that sample-duration field changes, in place; other samples
 * (e.g. a longer first sample that carries a start offset) and trafs this
 * cannot read safely are left alone. Only for chunks that more chunks follow:
 * a recording's very last packet may end short on purpose (end trim).
 * @returns how many durations were changed
 */
export function repairOpusDurations(bytes: ArrayBuffer, opus: TrackInfo): number {
  const view = new DataView(bytes);
  let changed = 0;
  for (const moof of boxesIn(view).filter((box) => box.type === 'moof')) {
    for (const traf of boxesIn(view, moof.body, moof.end).filter((box) => box.type === 'traf')) {
      if (trackIdOf(view, traf) !== opus.trackId) continue;
      const tfhd = child(view, traf, 'tfhd');
      // Sample data positions are known only relative to the moof (default-base-is-moof, no base-data-offset).
      if (!tfhd || (view.getUint32(tfhd.body) & 0x020001) !== 0x020000) continue;
      const truns = boxesIn(view, traf.body, traf.end).filter((box) => box.type === 'trun');
      const last = truns.at(-1);
      if (last && repairLastSample(view, last, moof.start, opus.timescale)) changed++;
    }
  }
  return changed;
}

/** @returns whether the trun's last sample got its packet's duration */
function repairLastSample(view: DataView, trun: Box, moofStart: number, timescale: number): boolean {
  const { flags, count, firstSample, fieldBytes } = trunLayout(view, trun);
  // Needs data-offset, sample-duration and sample-size fields.
  if ((flags & 0x301) !== 0x301) return false;
  if (count === 0) return false;
  let dataAt = moofStart + view.getInt32(trun.body + 8);
  for (let i = 0; i < count - 1; i++) dataAt += view.getUint32(firstSample + i * fieldBytes + 4);
  const field = firstSample + (count - 1) * fieldBytes;
  const sizeBytes = view.getUint32(field + 4);
  if (dataAt < 0 || dataAt + sizeBytes > view.byteLength) return false;
  const duration = Math.round((packetDuration400ths(view, dataAt, sizeBytes) * timescale) / 400);
  if (duration <= view.getUint32(field)) return false;
  view.setUint32(field, duration);
  return true;
}
