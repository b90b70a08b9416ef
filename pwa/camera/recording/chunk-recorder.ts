import type { RecordingFormat } from './recording-format.js';

/** Chunk length, ms: the recorder's timeslice and keyframe interval, so each media chunk begins a fragment. */
export const TIMESLICE_MS = 2_000;

/** What a running recorder tells its owner. Calls come in recording order. */
export interface ChunkRecorderHandlers {
  /** Capture began (the recording's wall-clock start). */
  onStart(): void;
  /**
   * One chunk of fragmented MP4: the first is the init segment (ftyp+moov,
   * possibly followed by media), each later one whole moof+mdat fragments.
   * `final` is true for the last call after `stop()`; its blob may be empty.
   */
  onChunk(data: Blob, final: boolean): void;
  /** The recorder failed; no more chunks follow except a final one. */
  onError(error: unknown): void;
}

/** A running recorder of one recording. */
export interface ChunkRecorder {
  /** Asks the recorder to stop; it then delivers its last chunk with `final` set. Idempotent. */
  stop(): void;
}

/** MediaRecorder options Chromium understands beyond the TypeScript DOM library's. */
interface RecorderOptions extends MediaRecorderOptions {
  /** Keyframe interval, ms (Chromium 127+); with a timeslice, each chunk then begins a fragment. */
  videoKeyFrameIntervalDuration?: number;
}

/**
 * Starts a recording of `format.stream` as fragmented MP4 chunks of about
 * `TIMESLICE_MS`: with the browser's MediaRecorder for a `media-recorder`
 * format (W3C MediaRecorder timeslice, keyframe every timeslice), or by
 * encoding with WebCodecs and muxing with mediabunny for a `webcodecs` format.
 * @throws DOMException from MediaRecorder (synchronously)
 */
export function startChunkRecorder(format: RecordingFormat, handlers: ChunkRecorderHandlers): ChunkRecorder {
  return format.kind === 'webcodecs'
    ? startWebCodecsLazily(format.stream, handlers)
    : startMediaRecorder(format.stream, format.mimeType, handlers);
}

/** The WebCodecs recorder, its module (with mediabunny) loaded on first use so it stays out of the initial bundle. */
function startWebCodecsLazily(stream: MediaStream, handlers: ChunkRecorderHandlers): ChunkRecorder {
  let stopRequested = false;
  let running: ChunkRecorder | null = null;
  import('./webcodecs-recorder.js')
    .then(({ startWebCodecsRecorder }) => {
      running = startWebCodecsRecorder(stream, TIMESLICE_MS, handlers);
      if (stopRequested) running.stop();
    })
    .catch((error: unknown) => {
      handlers.onError(error);
      handlers.onChunk(new Blob([]), true);
    });
  return {
    stop() {
      stopRequested = true;
      running?.stop();
    },
  };
}

function startMediaRecorder(stream: MediaStream, mimeType: string, handlers: ChunkRecorderHandlers): ChunkRecorder {
  const recorder = new MediaRecorder(stream, {
    mimeType,
    videoKeyFrameIntervalDuration: TIMESLICE_MS,
  } satisfies RecorderOptions as MediaRecorderOptions);
  recorder.addEventListener('start', () => handlers.onStart());
  recorder.addEventListener('dataavailable', (event) => handlers.onChunk(event.data, recorder.state === 'inactive'));
  recorder.addEventListener('error', (event) => {
    const error = (event as Event & { error?: DOMException }).error;
    handlers.onError(error ?? new Error('The recorder stopped with an error.'));
  });
  recorder.start(TIMESLICE_MS);
  return {
    stop() {
      if (recorder.state !== 'inactive') recorder.stop();
    },
  };
}
