import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repairAvcConfig } from '../../pwa/camera/recording/avc-config-repair.js';

/** An ISO BMFF box (ISO/IEC 14496-12 §4.2) of `type` around `payload`. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = 8 + payload.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(Buffer.from(type, 'latin1'), 4);
  let at = 8;
  for (const part of payload) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

/** A moov whose only track's avc1 sample entry holds `record` as its avcC (stsd: version/flags, one entry). */
function moovWith(record: Uint8Array): Uint8Array<ArrayBuffer> {
  const avc1 = box('avc1', new Uint8Array(78), box('avcC', record), box('pasp', hex('0000000100000001')));
  const stsd = box('stsd', hex('0000000000000001'), avc1);
  return box('moov', box('mvhd', new Uint8Array(100)), box('trak', box('mdia', box('minf', box('stbl', stsd)))));
}

// The record Firefox ESR 153's VideoEncoder gave for 1280×720 High profile: SPS 67 67 64 …, PPS 68 68 eb …,
// reserved bits 0 (0x03, 0x01), against the keyframe's in-band SPS 67 64 … (24 bytes) and PPS 68 eb … (6 bytes).
const FIREFOX_RECORD = hex(
  '0164001f03010019676764001facd9405005ba10000003001001e84800f18319600100076868ebe3cb22c0',
);
const REPAIRED_RECORD = hex('0164001fffe100186764001facd9405005ba10000003001001e84800f183196001000668ebe3cb22c0');

test('the doubled SPS and PPS headers of a Firefox avcC are removed, its reserved bits set and the enclosing sizes fixed', () => {
  assert.deepEqual(repairAvcConfig(moovWith(FIREFOX_RECORD)), moovWith(REPAIRED_RECORD));
});

test('a correct avcC is left as it is (the same bytes)', () => {
  const moov = moovWith(REPAIRED_RECORD);
  assert.equal(repairAvcConfig(moov), moov);
});
