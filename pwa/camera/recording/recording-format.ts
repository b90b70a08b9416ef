/** Shown when the browser can make fragmented MP4 neither with MediaRecorder nor with WebCodecs. */
export const UNSUPPORTED_FORMAT_MESSAGE =
  'This browser cannot record in a format Peerwatch can play back. Use Chrome, Edge, Firefox or Safari on this camera to record.';

/** Thrown when a recorder finds that the browser cannot encode any codec Peerwatch plays back; `message` is meant for people. */
export class RecordingUnsupportedError extends Error {
  constructor() {
    super(UNSUPPORTED_FORMAT_MESSAGE);
    this.name = 'RecordingUnsupportedError';
  }
}

/**
 * How the camera records: with the browser's MediaRecorder into MP4
 * (`mimeType` as given to it), or, where MediaRecorder makes WebM only, by
 * encoding with WebCodecs into MP4 (`webcodecs-recorder.ts`).
 */
export type RecordingFormat =
  | {
      kind: 'media-recorder';
      mimeType: string;
      /** The tracks to record: the video track, plus audio where the format carries it. */
      stream: MediaStream;
    }
  | { kind: 'webcodecs'; mimeType: 'video/mp4'; stream: MediaStream };

/**
 * Picks an fMP4 recording format for `stream`. First MediaRecorder
 * (`isTypeSupported`, W3C MediaRecorder): H.264 video (`avc1`), with AAC or
 * Opus audio when the stream has a microphone and the browser records it into
 * MP4, else video alone. WebM is never chosen (HLS players cannot play it,
 * hls.js #5011): without an MP4 recorder, frames are encoded with WebCodecs
 * (`VideoEncoder`, W3C WebCodecs) where the browser has it.
 * @returns null when the browser can do neither
 */
export function chooseRecordingFormat(stream: MediaStream): RecordingFormat | null {
  if (typeof MediaRecorder !== 'undefined') {
    const video = stream.getVideoTracks();
    const audio = stream.getAudioTracks();
    const candidates: Array<{ mimeType: string; tracks: MediaStreamTrack[] }> = [];
    if (audio.length > 0) {
      for (const codecs of ['avc1,mp4a.40.2', 'avc1,opus']) {
        candidates.push({ mimeType: `video/mp4;codecs=${codecs}`, tracks: [...video, ...audio] });
      }
    }
    candidates.push({ mimeType: 'video/mp4;codecs=avc1', tracks: video });
    const chosen = candidates.find((c) => MediaRecorder.isTypeSupported(c.mimeType));
    if (chosen) return { kind: 'media-recorder', mimeType: chosen.mimeType, stream: new MediaStream(chosen.tracks) };
  }
  if (typeof VideoEncoder !== 'undefined') return { kind: 'webcodecs', mimeType: 'video/mp4', stream };
  return null;
}
