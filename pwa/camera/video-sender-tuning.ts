import { log } from '../shared/logger.js';

/** `RTCRtpSendParameters` with W3C webrtc-extensions §4 `degradationPreference` (not in TypeScript's DOM library). */
interface SendParametersWithDegradation extends RTCRtpSendParameters {
  degradationPreference?: 'maintain-framerate' | 'maintain-resolution' | 'balanced';
}

/** How long a call's video keeps the camera's resolution after the call connected, ms; then the browser adapts it as it likes. */
const FULL_RESOLUTION_START_MS = 2_000;

/**
 * The encoder settings of one call's video sender (`RTCRtpSender.setParameters`,
 * W3C webrtc §5.2): the quality preset's `maxBitrate` (bits/s) on every
 * encoding, and at the start of the call the camera's full resolution.
 *
 * Full resolution first (W3C webrtc-extensions §4 `degradationPreference`
 * `maintain-resolution`), handed back to the browser's default adaptation
 * 2 000 ms after the call connected. At the start of a call the bandwidth
 * estimate is still low; an encoder allowed to lower the resolution then
 * drops the first frames while it does so (libwebrtc's initial frame
 * dropping, video/video_stream_encoder.cc), about 100 ms before the first
 * frame at 1280×720 (bench first-frame). Afterwards the browser may lower the
 * resolution as before when bandwidth or CPU run short.
 *
 * Each change writes both settings with one `getParameters()` +
 * `setParameters()` pair, so neither undoes the other. A browser that
 * refuses a setting keeps its default, and the call goes on.
 */
export class VideoSenderTuning {
  private fullResolution = true;

  constructor(
    private readonly pc: RTCPeerConnection,
    private maxBitrate: number,
  ) {
    this.apply();
    const onChange = () => {
      if (pc.connectionState !== 'connected') return;
      pc.removeEventListener('connectionstatechange', onChange);
      setTimeout(() => {
        this.fullResolution = false;
        if (pc.connectionState !== 'closed') this.apply();
      }, FULL_RESOLUTION_START_MS);
    };
    pc.addEventListener('connectionstatechange', onChange);
  }

  /** Sets the video encoder's ceiling, bits per second. */
  setMaxBitrate(maxBitrate: number): void {
    this.maxBitrate = maxBitrate;
    this.apply();
  }

  private apply(): void {
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.receiver.track.kind !== 'video' || transceiver.currentDirection === 'stopped') continue;
      const sender = transceiver.sender;
      const parameters: SendParametersWithDegradation = sender.getParameters();
      if (this.fullResolution) parameters.degradationPreference = 'maintain-resolution';
      else delete parameters.degradationPreference;
      for (const encoding of parameters.encodings ?? []) encoding.maxBitrate = this.maxBitrate;
      sender.setParameters(parameters).catch((error: unknown) => {
        log.warn('The video sender kept its encoder settings:', error);
      });
    }
  }
}
