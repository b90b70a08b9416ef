/**
 * Steps of a call the probe marks in a page's RTCPeerConnection (W3C WebRTC:
 * `setLocalDescription`, `setRemoteDescription`, `icegatheringstatechange`,
 * `iceconnectionstatechange`, `connectionstatechange`, `track`), in the order
 * they normally happen on the calling side. The answering side marks
 * `remote offer set` and `local answer set` instead. The last two
 * come from the first frame's `requestVideoFrameCallback` metadata (WICG
 * video-rvfc: `receiveTime`, when its last packet arrived, and
 * `processingDuration`, its decoding): what passes between `DTLS connected`
 * and `first frame received` is the camera encoding its first keyframe and
 * sending it; after `first frame decoded`, the frame waits to be shown. Fetches are marked by
 * the path they asked for (`fetch <path> done`), so a subject that asks the
 * server for something on the way (e.g. `/api/ice-servers`) shows it.
 */
export const CALL_STEPS = [
  'peer connection created',
  'remote offer set',
  'local offer set',
  'local answer set',
  'ICE gathering complete',
  'remote answer set',
  'ICE checking',
  'ICE connected',
  'DTLS connected',
  'remote track',
  'video srcObject set',
  'first frame received',
  'first frame decoded',
] as const;

/** The probe's handle in a page: `window.firstFrameProbe`. */
export interface FirstFrameProbe {
  /**
   * Marks the start of a measurement (now) and resolves with the ms from it
   * to the first frame of the next video element given a `srcObject`, as
   * reported by `HTMLVideoElement.requestVideoFrameCallback` (WICG
   * video-rvfc: called when a new frame is sent to the compositor).
   */
  start(): Promise<number>;
  /**
   * The steps of the last measurement (or, in a page that never measures, such as the
   * camera's, of its last peer connection): when each of `CALL_STEPS` (and each
   * `fetch <path> done`) first happened, ms since the Unix epoch (high resolution:
   * `performance.timeOrigin + performance.now()`, comparable between pages of one machine).
   */
  steps(): Record<string, number>;
  /** When the last measurement started, ms since the Unix epoch (as `steps`), or 0 before the first. */
  startedAtMs(): number;
}

declare global {
  interface Window {
    firstFrameProbe: FirstFrameProbe;
  }
}

/**
 * The time-to-first-frame probe, installed into a page before its own
 * scripts with `page.addInitScript(installFirstFrameProbe)`. It wraps the
 * `srcObject` setter of media elements, so it sees any page's video (also
 * inside shadow roots) without knowing the page, and `RTCPeerConnection` and
 * `fetch`, to mark the steps of a call. Runs in the browser: it must not use
 * anything from its module scope.
 *
 * A subject marks the start of a call with `firstFrameProbe.start()`: the
 * bare PeerJS page right before `peer.call`; the Peerwatch PWA from a
 * capture-phase click listener on its Watch button.
 */
export function installFirstFrameProbe(): void {
  let startedAtMs = 0;
  let report: ((ms: number) => void) | undefined;
  let steps: Record<string, number> = {};
  const nowMs = () => performance.timeOrigin + performance.now();
  const mark = (step: string) => {
    if (!(step in steps)) steps[step] = nowMs();
  };

  const descriptor = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...descriptor,
    set(this: HTMLMediaElement, value: MediaProvider | null) {
      descriptor.set!.call(this, value);
      if (value && this instanceof HTMLVideoElement) {
        mark('video srcObject set');
        this.requestVideoFrameCallback((_now, frame) => {
          if (!report) return;
          if (frame.receiveTime !== undefined) {
            steps['first frame received'] = performance.timeOrigin + frame.receiveTime;
            const decodingMs = (frame.processingDuration ?? 0) * 1_000;
            steps['first frame decoded'] = performance.timeOrigin + frame.receiveTime + decodingMs;
          }
          report(nowMs() - startedAtMs);
          report = undefined;
        });
      }
    },
  });

  const Native = window.RTCPeerConnection;
  class ProbedPeerConnection extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      // A page that never measures (the answering camera) keeps the steps of its last call.
      if (startedAtMs === 0) steps = {};
      mark('peer connection created');
      this.addEventListener('icegatheringstatechange', () => {
        if (this.iceGatheringState === 'complete') mark('ICE gathering complete');
      });
      this.addEventListener('iceconnectionstatechange', () => {
        if (this.iceConnectionState === 'checking') mark('ICE checking');
        if (this.iceConnectionState === 'connected') mark('ICE connected');
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') mark('DTLS connected');
      });
      this.addEventListener('track', () => mark('remote track'));
    }
    override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      await super.setLocalDescription(description);
      mark(`local ${this.localDescription?.type} set`);
    }
    override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      await super.setRemoteDescription(description);
      mark(`remote ${description.type} set`);
    }
  }
  window.RTCPeerConnection = ProbedPeerConnection;

  const nativeFetch = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const response = await nativeFetch(input, init);
    if (report) mark(`fetch ${url.pathname} done`);
    return response;
  };

  window.firstFrameProbe = {
    start() {
      startedAtMs = nowMs();
      steps = {};
      return new Promise((resolve) => (report = resolve));
    },
    steps: () => steps,
    startedAtMs: () => startedAtMs,
  };
}
