import { QUALITY_PRESETS, type QualityPreset } from '../../protocol/camera-quality.js';
import type { CameraControls, ZoomRange } from '../../protocol/index.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';

/**
 * What the camera's microphone captures: echo cancellation removes from it the
 * talk-back it plays itself (played through a media element, which Chromium's
 * echo canceller sees; Chromium bug 687574), so viewers do not hear themselves.
 */
const CAPTURE_AUDIO: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** The controls the capture follows. */
export type CaptureControls = Pick<CameraControls, 'quality' | 'videoSourceId' | 'torch' | 'zoom' | 'paused'>;

/** What the video track can do beyond size (W3C image-capture §10 `torch`, `zoom`; not in TypeScript's DOM library). */
interface ImageCaptureCapabilities extends MediaTrackCapabilities {
  torch?: boolean;
  zoom?: { min?: number; max?: number; step?: number };
}

/** Constraints with the image-capture members (W3C image-capture §10). */
interface ImageCaptureConstraints extends MediaTrackConstraintSet {
  torch?: boolean;
  zoom?: number;
}

/** What the camera's video track offers, as the report tells viewers. */
export interface CaptureCapabilities {
  torch: boolean;
  zoom: ZoomRange | null;
  /** The tallest capture offered, px; null where the browser does not say. */
  maxHeight: number | null;
}

/**
 * The camera's capture (getUserMedia), following its controls:
 *
 * - `quality`: the preset's size and frame rate, applied live to the video
 *   track (`applyConstraints`, W3C mediacapture-main §4.3.8), ideal values so
 *   a camera that cannot do 1080p gives its best;
 * - `videoSourceId`: which capture device (`deviceId` exact); null asks for the
 *   rear camera (`facingMode: environment`) where there is a choice. A new
 *   device is opened before the old one is stopped (no gap: viewers and the
 *   recorder move to it first); a device that
 *   cannot be opened while another is (NotReadableError on many phones) is
 *   opened after stopping the old one, and if it still cannot, the old choice
 *   is opened again;
 * - `torch` and `zoom`: applied only where the track's `getCapabilities()`
 *   offers them;
 * - `paused`: every track is stopped (the camera and microphone turn off);
 *   `stream` keeps the stopped tracks until resumed, when both are opened again.
 *
 * `stream` is a new MediaStream whenever its tracks change (`tracks` event:
 * viewers' senders and the recorder move to it); `quality` is sent when the
 * same video track got a new size or frame rate. Changes are applied one at
 * a time, in order.
 */
export class CameraCapture extends Emitter<{ tracks: void; quality: void }> {
  private applied: CaptureControls;
  private work: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    public stream: MediaStream,
    controls: CaptureControls,
  ) {
    super();
    this.applied = controls;
  }

  /**
   * Opens the camera (with the microphone where allowed) as `controls` say;
   * paused controls open it and stop it again, so viewers can be answered
   * (with stopped tracks) and resumed with `replaceTrack`.
   * @throws DOMException from getUserMedia when no camera can be opened
   */
  static async open(controls: CaptureControls): Promise<CameraCapture> {
    const stream = await openCamera(controls);
    const capture = new CameraCapture(stream, controls);
    await capture.applyImageControls(controls);
    if (controls.paused) stopTracks(stream);
    return capture;
  }

  /** True while paused: the tracks of `stream` are stopped. */
  get paused(): boolean {
    return this.applied.paused !== null;
  }

  /** The quality preset captured now. */
  get quality(): QualityPreset {
    return this.applied.quality;
  }

  get video(): MediaStreamTrack | undefined {
    return this.stream.getVideoTracks()[0];
  }

  /** The capture device in use (`MediaTrackSettings.deviceId`), or null where unknown. */
  get videoSourceId(): string | null {
    return this.video?.getSettings().deviceId ?? null;
  }

  /** What the video track offers (torch, zoom, tallest size). */
  capabilities(): CaptureCapabilities {
    const caps = capabilitiesOf(this.video);
    const zoom = caps.zoom;
    return {
      torch: caps.torch === true,
      zoom:
        zoom && typeof zoom.min === 'number' && typeof zoom.max === 'number' && zoom.max > zoom.min
          ? { min: zoom.min, max: zoom.max, step: zoom.step ?? 0 }
          : null,
      maxHeight: caps.height?.max ?? null,
    };
  }

  /** Follows `controls` (after the changes asked before it). Resolves once applied or found impossible (logged). */
  follow(controls: CaptureControls): Promise<void> {
    this.work = this.work
      .then(() => this.applyNow(controls))
      .catch((error: unknown) => log.error('camera: the controls could not be applied', error));
    return this.work;
  }

  /** Stops every track for good. */
  stop(): void {
    this.stopped = true;
    stopTracks(this.stream);
  }

  private async applyNow(controls: CaptureControls): Promise<void> {
    if (this.stopped) return;
    const before = this.applied;
    if (controls.paused) {
      this.applied = controls;
      if (before.paused) return;
      stopTracks(this.stream);
      this.emit('tracks');
      return;
    }
    if (before.paused) {
      await this.replaceStream(await openCamera(controls), controls);
      return;
    }
    if (controls.videoSourceId !== before.videoSourceId) {
      await this.switchVideo(controls, before);
      return;
    }
    if (controls.quality !== before.quality) {
      await this.video?.applyConstraints(videoConstraints(controls));
      this.applied = { ...this.applied, quality: controls.quality };
      this.emit('quality');
    }
    await this.applyImageControls(controls);
    this.applied = controls;
  }

  /** Opens the chosen capture device and moves to it, keeping the microphone. */
  private async switchVideo(controls: CaptureControls, before: CaptureControls): Promise<void> {
    const old = this.video;
    let video: MediaStreamTrack;
    try {
      video = await openVideo(controls);
    } catch (error) {
      log.info('camera: the new camera could not be opened beside the old one; stopping the old one first', error);
      old?.stop();
      try {
        video = await openVideo(controls);
      } catch (retryError) {
        log.warn('camera: the chosen camera could not be opened; back to the one before', retryError);
        video = await openVideo(before);
        controls = { ...controls, videoSourceId: before.videoSourceId };
      }
    }
    // Viewers and the recorder move to the new track first, then the old one stops.
    await this.replaceStream(new MediaStream([video, ...this.stream.getAudioTracks()]), controls);
    old?.stop();
  }

  private async replaceStream(stream: MediaStream, controls: CaptureControls): Promise<void> {
    if (this.stopped) {
      stopTracks(stream);
      return;
    }
    this.stream = stream;
    this.applied = controls;
    await this.applyImageControls(controls);
    this.emit('tracks');
  }

  /** Torch and zoom, where the track offers them (constraints it does not know would be ignored anyway). */
  private async applyImageControls(controls: CaptureControls): Promise<void> {
    const video = this.video;
    const caps = this.capabilities();
    const wanted: ImageCaptureConstraints = {};
    if (caps.torch) wanted.torch = controls.torch;
    if (caps.zoom && controls.zoom !== null) wanted.zoom = Math.min(caps.zoom.max, Math.max(caps.zoom.min, controls.zoom));
    if (!video || Object.keys(wanted).length === 0) return;
    await video.applyConstraints({ ...videoConstraints(controls), advanced: [wanted] }).catch((error: unknown) => {
      log.warn('camera: torch or zoom could not be set', error);
    });
  }
}

function capabilitiesOf(track: MediaStreamTrack | undefined): ImageCaptureCapabilities {
  // Firefox has no getCapabilities on tracks before version 132.
  return typeof track?.getCapabilities === 'function' ? track.getCapabilities() : {};
}

/** The video constraints of `controls`: the preset's size and frame rate, on the chosen device or the rear camera. */
function videoConstraints(controls: Pick<CaptureControls, 'quality' | 'videoSourceId'>): MediaTrackConstraints {
  const preset = QUALITY_PRESETS[controls.quality];
  return {
    ...(controls.videoSourceId
      ? { deviceId: { exact: controls.videoSourceId } }
      : { facingMode: { ideal: 'environment' } }),
    width: { ideal: preset.width },
    height: { ideal: preset.height },
    frameRate: { ideal: preset.frameRate },
  };
}

async function openVideo(controls: CaptureControls): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(controls), audio: false });
  return stream.getVideoTracks()[0]!;
}

/**
 * The camera's MediaStream; without a microphone (or its permission) video
 * alone. A chosen device that is gone (OverconstrainedError) falls back to the default camera.
 */
async function openCamera(controls: CaptureControls): Promise<MediaStream> {
  const video = videoConstraints(controls);
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: CAPTURE_AUDIO });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'OverconstrainedError' && controls.videoSourceId) {
      log.warn('camera: the chosen camera is not there; opening the default one', error);
      return openCamera({ ...controls, videoSourceId: null });
    }
    log.info('camera: no microphone, capturing video alone', error);
    return navigator.mediaDevices.getUserMedia({ video, audio: false });
  }
}

function stopTracks(stream: MediaStream): void {
  stream.getTracks().forEach((track) => track.stop());
}
