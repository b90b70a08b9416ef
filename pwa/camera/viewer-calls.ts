import type { MediaConnection } from 'peerjs';
import type { PeerSession } from '../shared/peer-session.js';

/** A call whose connection stays `disconnected` this long (the viewer vanished without hanging up) is over, ms. */
const DISCONNECTED_GRACE_MS = 5_000;

/**
 * The camera's side of live viewing: answers every incoming PeerJS call from
 * a viewer of its own household with the camera's MediaStream (any number at
 * once) and keeps count of the calls that are up. A call ends when the viewer
 * hangs up (PeerJS closes the call when its auxiliary data channel closes),
 * when its RTCPeerConnection fails or closes or stays disconnected for
 * 5 000 ms (a viewer gone without hanging up), or when `stop()` is called.
 *
 * Dispatches `change` whenever `count` changes.
 */
export class ViewerCalls extends EventTarget {
  private readonly calls = new Set<MediaConnection>();
  private readonly onCall = (event: Event) => this.answer((event as CustomEvent<MediaConnection>).detail);

  /**
   * @param session the camera's peer session (its peer id is `<householdId>-c-<deviceId>`)
   * @param stream what every viewer receives
   */
  constructor(
    private readonly session: PeerSession,
    private readonly stream: MediaStream,
  ) {
    super();
    session.addEventListener('call', this.onCall);
  }

  /** Viewers watching now. */
  get count(): number {
    return this.calls.size;
  }

  /** Hangs up on every viewer and stops answering. */
  stop(): void {
    this.session.removeEventListener('call', this.onCall);
    for (const call of [...this.calls]) call.close();
    this.calls.clear();
    this.changed();
  }

  private answer(call: MediaConnection): void {
    if (!this.isOwnViewer(call.peer)) {
      call.close();
      return;
    }
    call.answer(this.stream);
    void keepResolution(call.peerConnection);
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

  /** Signaling relays only within a household; this checks it again from the peer ids. */
  private isOwnViewer(remotePeerId: string): boolean {
    const householdId = this.session.peerId?.split('-')[0];
    return householdId !== undefined && remotePeerId.startsWith(`${householdId}-v-`);
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** `RTCRtpSendParameters` with W3C webrtc-extensions §4 `degradationPreference` (not in TypeScript's DOM library). */
interface SendParametersWithDegradation extends RTCRtpSendParameters {
  degradationPreference?: 'maintain-framerate' | 'maintain-resolution' | 'balanced';
}

/**
 * Asks each video sender of a call to keep the camera's resolution and lower
 * the frame rate instead when bandwidth or CPU run short (W3C
 * webrtc-extensions §4 `RTCRtpSendParameters.degradationPreference`
 * `maintain-resolution`): a security camera's detail matters more than its
 * frame rate. It also makes the first frame come sooner: while the bandwidth
 * estimate is still at its low start value, an encoder that may lower the
 * resolution drops the first frames to do so (libwebrtc's initial frame
 * dropper), about 100 ms of a call's start at 1280×720 (bench first-frame).
 * A browser that refuses the setting keeps its default, and the call goes on.
 */
async function keepResolution(pc: RTCPeerConnection): Promise<void> {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'video') continue;
    const parameters: SendParametersWithDegradation = sender.getParameters();
    try {
      await sender.setParameters({ ...parameters, degradationPreference: 'maintain-resolution' } as RTCRtpSendParameters);
    } catch (error) {
      console.warn('The video sender kept its default degradation preference:', error);
    }
  }
}
