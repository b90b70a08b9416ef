import type { MediaConnection } from 'peerjs';
import { Emitter } from '../shared/emitter.js';
import type { PeerSession } from '../shared/peer-session.js';
import { log } from '../shared/logger.js';
import { isViewerOfHousehold, talkerOf, viewerUserOf } from '../shared/talk-protocol.js';

/** A call whose connection stays `disconnected` this long (the viewer vanished without hanging up) is over, ms. */
const DISCONNECTED_GRACE_MS = 5_000;

/**
 * The camera's side of live viewing: answers every incoming PeerJS call (but
 * talk calls, see `TalkBack`) from a viewer of its own household with the camera's MediaStream (any number at
 * once) and keeps count of the calls that are up. A call ends when the viewer
 * hangs up (PeerJS closes the call when its auxiliary data channel closes),
 * when its RTCPeerConnection fails or closes or stays disconnected for
 * 5 000 ms (a viewer gone without hanging up), when the server says its
 * user may no longer watch (`endCallsOf`), or when `stop()` is called.
 * Answers from `start()` until `stop()`.
 *
 * Dispatches `change` whenever `count` changes.
 */
export class ViewerCalls extends Emitter<{ change: void }> {
  private readonly calls = new Set<MediaConnection>();
  private offCall: (() => void) | null = null;

  /**
   * @param session the camera's peer session (its peer id is `<householdId>-c-<deviceId>`)
   * @param stream what every viewer receives
   */
  constructor(
    private readonly session: PeerSession,
    private readonly stream: MediaStream,
  ) {
    super();
  }

  /** Answers calls from now on. */
  start(): void {
    this.offCall ??= this.session.on('call', (call) => {
      // Talk calls (viewer → camera audio) are `TalkBack`'s.
      if (talkerOf(call) === undefined) this.answer(call);
    });
  }

  /** Viewers watching now. */
  get count(): number {
    return this.calls.size;
  }

  /** Hangs up on every call of user `userId` (the server said they may no longer watch this camera). */
  endCallsOf(userId: string): void {
    const theirs = [...this.calls].filter((call) => viewerUserOf(call.peer) === userId);
    for (const call of theirs) {
      this.calls.delete(call);
      call.close();
    }
    if (theirs.length > 0) this.changed();
  }

  /** Hangs up on every viewer and stops answering. */
  stop(): void {
    this.offCall?.();
    for (const call of [...this.calls]) call.close();
    this.calls.clear();
    this.changed();
  }

  private answer(call: MediaConnection): void {
    // Signaling relays only within a household; checked again from the peer ids.
    if (!isViewerOfHousehold(this.session.peerId, call.peer)) {
      call.close();
      return;
    }
    call.answer(this.stream);
    startAtFullResolution(call.peerConnection);
    this.calls.add(call);
    this.changed();
    let grace: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      clearTimeout(grace);
      if (!this.calls.delete(call)) return;
      call.close();
      this.changed();
    };
    call.on('close', end);
    call.on('error', end);
    const pc = call.peerConnection;
    pc?.addEventListener('connectionstatechange', () => {
      clearTimeout(grace);
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') end();
      else if (pc.connectionState === 'disconnected') grace = setTimeout(end, DISCONNECTED_GRACE_MS);
    });
  }

  private changed(): void {
    this.emit('change');
  }
}

/** `RTCRtpSendParameters` with W3C webrtc-extensions §4 `degradationPreference` (not in TypeScript's DOM library). */
interface SendParametersWithDegradation extends RTCRtpSendParameters {
  degradationPreference?: 'maintain-framerate' | 'maintain-resolution' | 'balanced';
}

/** How long a call's video keeps the camera's resolution after the call connected, ms; then the browser adapts it as it likes. */
const FULL_RESOLUTION_START_MS = 2_000;

/**
 * Starts each video sender of a call at the camera's full resolution (W3C
 * webrtc-extensions §4 `RTCRtpSendParameters.degradationPreference`
 * `maintain-resolution`) and hands it back to the browser's default
 * adaptation 2 000 ms after the call connected. At the start of a call the
 * bandwidth estimate is still low; an encoder allowed to lower the resolution
 * then drops the first frames while it does so (libwebrtc's initial frame
 * dropping, video/video_stream_encoder.cc), about 100 ms before the first
 * frame at 1280×720 (bench first-frame). Afterwards the browser may lower the
 * resolution as before when bandwidth or CPU run short. A browser that refuses
 * the setting keeps its default, and the call goes on.
 */
function startAtFullResolution(pc: RTCPeerConnection): void {
  const setPreference = (preference: SendParametersWithDegradation['degradationPreference']) => {
    for (const sender of pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const parameters: SendParametersWithDegradation = sender.getParameters();
      if (preference) parameters.degradationPreference = preference;
      else delete parameters.degradationPreference;
      sender.setParameters(parameters).catch((error: unknown) => {
        log.warn(`The video sender kept its degradation preference (wanted ${preference ?? 'the default'}):`, error);
      });
    }
  };
  setPreference('maintain-resolution');
  const onChange = () => {
    if (pc.connectionState !== 'connected') return;
    pc.removeEventListener('connectionstatechange', onChange);
    setTimeout(() => {
      if (pc.connectionState !== 'closed') setPreference(undefined);
    }, FULL_RESOLUTION_START_MS);
  };
  pc.addEventListener('connectionstatechange', onChange);
}
