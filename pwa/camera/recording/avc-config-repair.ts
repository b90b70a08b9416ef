import { boxesIn, child, type Box } from './fmp4-chunk.js';

/** NAL unit types (ITU-T H.264 Table 7-1): sequence and picture parameter sets. */
const NAL_SPS = 7;
const NAL_PPS = 8;

/** Bytes of an AVC sample entry's own fields before its child boxes (ISO/IEC 14496-12 §12.1.3 VisualSampleEntry). */
const VISUAL_SAMPLE_ENTRY_BYTES = 78;

/**
 * Repairs the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1, the
 * `avcC` box) of the H.264 tracks in `moov` as Firefox's VideoEncoder makes it
 * (its `decoderConfig.description`, Mozilla bug 2031056): each SPS and PPS
 * carries its NAL header byte twice, and the reserved bits before
 * lengthSizeMinusOne and numOfSequenceParameterSets are 0 instead of 1.
 * Browsers play such a file from the parameter sets in the keyframes, but
 * ffmpeg ("sps_id 1 out of range") and other players read the record.
 *
 * `moov` holds top-level boxes (a moov box, possibly after an ftyp). A doubled
 * header is recognised on the SPS (its second byte would be a profile_idc, and
 * no profile is numbered like an SPS header); only then is the PPS's dropped.
 * The enclosing boxes' sizes follow the change.
 * @returns the repaired bytes, or `moov` itself when there is nothing to repair
 */
export function repairAvcConfig(moov: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  for (const chain of avcConfigBoxes(view)) {
    const avcC = chain[chain.length - 1]!;
    const record = moov.subarray(avcC.body, avcC.end);
    const repaired = repairRecord(record);
    if (!repaired) continue;
    const delta = repaired.byteLength - record.byteLength;
    const out = new Uint8Array(moov.byteLength + delta);
    out.set(moov.subarray(0, avcC.body));
    out.set(repaired, avcC.body);
    out.set(moov.subarray(avcC.end), avcC.body + repaired.byteLength);
    const outView = new DataView(out.buffer);
    for (const box of chain) {
      if (outView.getUint32(box.start) === 1) outView.setBigUint64(box.start + 8, BigInt(box.end - box.start + delta));
      else outView.setUint32(box.start, box.end - box.start + delta);
    }
    // Boxes after this one moved: look again for further tracks.
    return repairAvcConfig(out);
  }
  return moov;
}

/** Each avcC box in moov/trak/mdia/minf/stbl/stsd/avc1|avc3, with the boxes that enclose it (outermost first). */
function avcConfigBoxes(view: DataView): Box[][] {
  const chains: Box[][] = [];
  for (const moov of boxesIn(view).filter((box) => box.type === 'moov')) {
    for (const trak of boxesIn(view, moov.body, moov.end).filter((box) => box.type === 'trak')) {
      const mdia = child(view, trak, 'mdia');
      const minf = mdia && child(view, mdia, 'minf');
      const stbl = minf && child(view, minf, 'stbl');
      const stsd = stbl && child(view, stbl, 'stsd');
      if (!mdia || !minf || !stbl || !stsd) continue;
      // stsd: version/flags (4 bytes) and entry_count (4 bytes), then the sample entries.
      for (const entry of boxesIn(view, stsd.body + 8, stsd.end)) {
        if (entry.type !== 'avc1' && entry.type !== 'avc3') continue;
        const avcC = boxesIn(view, entry.body + VISUAL_SAMPLE_ENTRY_BYTES, entry.end).find((box) => box.type === 'avcC');
        if (avcC) chains.push([moov, trak, mdia, minf, stbl, stsd, entry, avcC]);
      }
    }
  }
  return chains;
}

/** The record without doubled NAL headers and with its reserved bits set, or null when it needs no repair. */
function repairRecord(record: Uint8Array): Uint8Array | null {
  if (record.byteLength < 7) return null;
  let at = 6;
  const readSets = (count: number): Uint8Array[] => {
    const sets: Uint8Array[] = [];
    for (let i = 0; i < count && at + 2 <= record.byteLength; i++) {
      const length = (record[at]! << 8) | record[at + 1]!;
      sets.push(record.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    return sets;
  };
  const sps = readSets(record[5]! & 0x1f);
  const ppsCount = record[at++] ?? 0;
  const pps = readSets(ppsCount);
  const rest = record.subarray(at);
  const doubled = sps.length > 0 && sps.every((set) => hasDoubledHeader(set, NAL_SPS));
  const reservedUnset = (record[4]! & 0xfc) !== 0xfc || (record[5]! & 0xe0) !== 0xe0;
  if (!doubled && !reservedUnset) return null;
  const undouble = (sets: Uint8Array[], type: number) =>
    doubled ? sets.map((set) => (hasDoubledHeader(set, type) ? set.subarray(1) : set)) : sets;
  const parts: Uint8Array[] = [
    Uint8Array.of(record[0]!, record[1]!, record[2]!, record[3]!, record[4]! | 0xfc, record[5]! | 0xe0),
    ...withLengths(undouble(sps, NAL_SPS)),
    Uint8Array.of(ppsCount),
    ...withLengths(undouble(pps, NAL_PPS)),
    rest,
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Whether a parameter set begins with its NAL header (of `type`) twice. */
function hasDoubledHeader(set: Uint8Array, type: number): boolean {
  return set.byteLength >= 2 && (set[0]! & 0x1f) === type && set[1] === set[0];
}

/** Each parameter set preceded by its 16-bit length. */
function withLengths(sets: Uint8Array[]): Uint8Array[] {
  return sets.flatMap((set) => [Uint8Array.of(set.byteLength >> 8, set.byteLength & 0xff), set]);
}
