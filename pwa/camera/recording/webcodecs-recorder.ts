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
import { repairAvcConfig } from './avc-config-repair.js';
import type { ChunkRecorder, ChunkRecorderHandlers } from './chunk-recorder.js';
import { RecordingUnsupportedError } from './recording-format.js';
import { log } from '../../shared/logger.js';

/** Video codecs to encode, in order of preference: H.264 plays everywhere hls.js does; VP9 in MP4 in most browsers. */
const VIDEO_CODECS = ['avc', 'vp9'] as const;
/** Audio codecs to encode, in order of preference (both are valid in fMP4 HLS, RFC 8216 §3.3). */
const AUDIO_CODECS = ['aac', 'opus'] as const;
/** How long an AudioContext may take to start before sound is left out of the recording, ms. */
export const AUDIO_START_TIMEOUT_MS = 1_000;

/**
 * Records a MediaStream as fragmented MP4 without MediaRecorder, for browsers
 * whose MediaRecorder makes WebM only (which HLS players cannot play): frames
 * are encoded with WebCodecs and muxed by mediabunny (`Mp4OutputFormat` with
 * `fastStart: 'fragmented'`, ISO/IEC 14496-12 §8.8). The init segment
 * (ftyp+moov, its H.264 configuration repaired where the browser wrote it
 * wrongly: `repairAvcConfig`) is the first chunk; each fragment (moof+mdat) of at least
 * `fragmentMs`, cut at a keyframe every `fragmentMs`, is one more chunk.
 *
 * The recorder works on clones of the stream's tracks, so stopping it never
 * ends the tracks a live view sends. After `stop()`, the last fragment is
 * flushed and an empty final chunk follows.
 * Sound is recorded where it can be read: mediabunny reads an audio track
 * with `MediaStreamTrackProcessor` (W3C mediacapture-transform) where the
 * page has it, else (Firefox) through Web Audio, which needs an AudioContext
 * that runs. One that cannot (no audio output device, or autoplay blocked)
 * stays suspended and its `resume()` never settles, so the output would never
 * start; such a browser records video alone (`audioContextRuns`).
 *
 * Errors (no encodable codec: `RecordingUnsupportedError`; encoder or
 * capture failures) reach `handlers.onError`; the final chunk follows `stop()`,
 * also when the output had not started yet (it is then cancelled).
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
        handlers.onChunk(new Blob([...init, repairAvcConfig(new Uint8Array(data))]), false);
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

  let outputStarted = false;
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
    const audioCodec = audio && (await audioReadable()) && (await getFirstEncodableAudioCodec([...AUDIO_CODECS]));
    if (audio && audioCodec) {
      const audioSource = new MediaStreamAudioTrackSource(audio as MediaStreamAudioTrack, {
        codec: audioCodec,
        quality: QUALITY_MEDIUM,
      });
      audioSource.errorPromise.catch(fail);
      output.addAudioTrack(audioSource);
    }
    await output.start();
    outputStarted = true;
    handlers.onStart();
  })();
  let stopped = false;
  started.catch((error: unknown) => {
    if (!stopped || outputStarted) fail(error);
  });

  const end = () => {
    video?.stop();
    audio?.stop();
    handlers.onChunk(new Blob([]), true);
  };
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (outputStarted) {
        void started.then(() => output.finalize()).catch(fail).finally(end);
        return;
      }
      // An output still starting may never start (a source waiting for frames or sound), and cancel() waits for
      // that start: end the recording now instead.
      output.cancel().catch((error: unknown) => log.warn('Cancelling the recorder failed.', error));
      end();
    },
  };
}

/** Whether mediabunny can read this page's audio tracks: with MediaStreamTrackProcessor, else with a running AudioContext. */
async function audioReadable(): Promise<boolean> {
  if ('MediaStreamTrackProcessor' in globalThis) return true;
  const runs = await audioContextRuns(AUDIO_START_TIMEOUT_MS);
  if (!runs) log.warn('Peerwatch records without sound: this browser cannot start Web Audio (no audio output, or autoplay blocked).');
  return runs;
}

/**
 * Whether an AudioContext starts running within `timeoutMs` ms (W3C Web Audio
 * §1.1 `resume()`: it waits, unsettled, while the user agent does not allow
 * the context to start). The probe context is closed again.
 */
export async function audioContextRuns(timeoutMs: number): Promise<boolean> {
  const context = new AudioContext();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const resumed = context.resume().then(
      () => true,
      () => false,
    );
    return (await Promise.race([resumed, timedOut])) && context.state === 'running';
  } finally {
    clearTimeout(timer);
    context.close().catch((error: unknown) => log.warn('Closing the audio probe failed.', error));
  }
}
