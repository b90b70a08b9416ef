/** Shown when the browser's MediaRecorder cannot make fragmented MP4 (e.g. it records WebM only). */
export const UNSUPPORTED_FORMAT_MESSAGE =
  'This browser cannot record in a format Peerwatch can play back. Use Chrome, Edge or Safari on this camera to record.';

/** How the camera records: the MediaRecorder MIME type and the tracks it records. */
export interface RecordingFormat {
  mimeType: string;
  /** The tracks to record: the video track, plus audio where the format carries it. */
  stream: MediaStream;
}

/**
 * Picks an fMP4 recording format for `stream` (W3C MediaRecorder
 * `isTypeSupported`): H.264 video (`avc1`), with AAC or Opus audio when the
 * stream has a microphone and the browser records it into MP4, else video alone.
 * WebM is never chosen: HLS players cannot play it (hls.js #5011).
 * @returns null when the browser records no MP4 at all
 */
export function chooseRecordingFormat(stream: MediaStream): RecordingFormat | null {
  if (typeof MediaRecorder === 'undefined') return null;
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
  return chosen ? { mimeType: chosen.mimeType, stream: new MediaStream(chosen.tracks) } : null;
}
