import {
  getFirstEncodableAudioCodec,
  getFirstEncodableVideoCodec,
  MediaStreamAudioTrackSource,
  MediaStreamVideoTrackSource,
  Mp4OutputFormat,
  NullTarget,
  Output,
  QUALITY_MEDIUM,
} from 'mediabunny';
import type { ChunkRecorder, ChunkRecorderHandlers } from './chunk-recorder.js';
import { RecordingUnsupportedError } from './recording-format.js';

/** Video codecs to encode, in order of preference: H.264 plays everywhere hls.js does; VP9 in MP4 in most browsers. */
const VIDEO_CODECS = ['avc', 'vp9'] as const;
/** Audio codecs to encode, in order of preference (both are valid in fMP4 HLS, RFC 8216 §3.3). */
const AUDIO_CODECS = ['aac', 'opus'] as const;

/**
 * Records a MediaStream as fragmented MP4 without MediaRecorder, for browsers
 * whose MediaRecorder makes WebM only (which HLS players cannot play): frames
 * are encoded with WebCodecs and muxed by mediabunny (`Mp4OutputFormat` with
 * `fastStart: 'fragmented'`, ISO/IEC 14496-12 §8.8). The init segment
 * (ftyp+moov) is the first chunk; each fragment (moof+mdat) of at least
 * `fragmentMs`, cut at a keyframe every `fragmentMs`, is one more chunk.
 *
 * The recorder works on clones of the stream's tracks, so stopping it never
 * ends the tracks a live view sends. After `stop()`, the last fragment is
 * flushed and an empty final chunk follows.
 * Errors (no encodable codec: `RecordingUnsupportedError`; encoder or
 * capture failures) reach `handlers.onError`; the final chunk follows `stop()`.
 */
export function startWebCodecsRecorder(
  stream: MediaStream,
  fragmentMs: number,
  handlers: ChunkRecorderHandlers,
): ChunkRecorder {
  const video = stream.getVideoTracks()[0]?.clone();
  const audio = stream.getAudioTracks()[0]?.clone();
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    handlers.onError(error);
  };
  let init: Uint8Array<ArrayBuffer>[] = [];
  let moof: Uint8Array<ArrayBuffer> | null = null;
  const output = new Output({
    format: new Mp4OutputFormat({
      fastStart: 'fragmented',
      minimumFragmentDuration: fragmentMs / 1000,
      onFtyp: (data) => init.push(new Uint8Array(data)),
      onMoov: (data) => {
        handlers.onChunk(new Blob([...init, new Uint8Array(data)]), false);
        init = [];
      },
      onMoof: (data) => (moof = new Uint8Array(data)),
      onMdat: (data) => {
        if (moof) handlers.onChunk(new Blob([moof, new Uint8Array(data)]), false);
        moof = null;
      },
    }),
    target: new NullTarget(),
  });

  const started = (async () => {
    if (!video) throw new Error('The camera has no video track.');
    const { width, height } = video.getSettings();
    const videoCodec = await getFirstEncodableVideoCodec([...VIDEO_CODECS], { width, height });
    if (!videoCodec) throw new RecordingUnsupportedError();
    const videoSource = new MediaStreamVideoTrackSource(video as MediaStreamVideoTrack, {
      codec: videoCodec,
      quality: QUALITY_MEDIUM,
      keyFrameInterval: fragmentMs / 1000,
    });
    videoSource.errorPromise.catch(fail);
    output.addVideoTrack(videoSource);
    const audioCodec = audio && (await getFirstEncodableAudioCodec([...AUDIO_CODECS]));
    if (audio && audioCodec) {
      const audioSource = new MediaStreamAudioTrackSource(audio as MediaStreamAudioTrack, {
        codec: audioCodec,
        quality: QUALITY_MEDIUM,
      });
      audioSource.errorPromise.catch(fail);
      output.addAudioTrack(audioSource);
    }
    await output.start();
    handlers.onStart();
  })();
  started.catch(fail);

  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= started
        .then(() => output.finalize())
        .catch(fail)
        .finally(() => {
          video?.stop();
          audio?.stop();
          handlers.onChunk(new Blob([]), true);
        });
    },
  };
}
