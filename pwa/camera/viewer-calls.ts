import type { MediaConnection } from 'peerjs';
import { Emitter } from '../shared/emitter.js';
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
    this.offCall ??= this.session.on('call', (call) => this.answer(call));
  }

  /** Viewers watching now. */
  get count(): number {
    return this.calls.size;
  }

  /** Hangs up on every viewer and stops answering. */
  stop(): void {
    this.offCall?.();
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
    this.emit('change');
  }
}
