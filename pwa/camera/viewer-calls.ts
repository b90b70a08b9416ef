import type { MediaConnection } from 'peerjs';
import { Emitter } from '../shared/emitter.js';
import type { PeerSession } from '../shared/peer-session.js';
import { log } from '../shared/logger.js';
import { isViewerOfHousehold, talkerOf, viewerUserOf } from '../shared/talk-protocol.js';
import { VideoSenderTuning } from './video-sender-tuning.js';

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
 * The camera's tracks change without a new call (`useStream`: another
 * camera, a pause, a resume): each sender's track is replaced
 * (`RTCRtpSender.replaceTrack`, W3C webrtc §5.2), which needs no
 * renegotiation (PeerJS cannot renegotiate an open call, peerjs #827); a
 * stopped track sends nothing. The video encoder's ceiling follows the
 * quality preset (`setMaxBitrate`, `VideoSenderTuning`).
 *
 * Dispatches `change` whenever `count` changes.
 */
export class ViewerCalls extends Emitter<{ change: void }> {
  private readonly calls = new Map<MediaConnection, VideoSenderTuning>();
  private offCall: (() => void) | null = null;

  /**
   * @param session the camera's peer session (its peer id is `<householdId>-c-<deviceId>`)
   * @param stream what every viewer receives
   * @param maxBitrate the video encoder's ceiling, bits per second
   */
  constructor(
    private readonly session: PeerSession,
    private stream: MediaStream,
    private maxBitrate: number,
  ) {
    super();
  }

  /** Sends `stream`'s tracks to every viewer from now on, in place of the ones before (no new call). */
  useStream(stream: MediaStream): void {
    this.stream = stream;
    for (const call of this.calls.keys()) {
      for (const transceiver of call.peerConnection.getTransceivers()) {
        const kind = transceiver.receiver.track.kind;
        if (transceiver.currentDirection === 'stopped') continue;
        const track = stream.getTracks().find((t) => t.kind === kind && t.readyState === 'live') ?? null;
        transceiver.sender.replaceTrack(track).catch((error: unknown) => {
          log.warn(`camera: a viewer's ${kind} track could not be replaced`, error);
        });
      }
    }
  }

  /** The height of the video sent to a viewer now (outbound-rtp `frameHeight`, W3C webrtc-stats), px; null while nobody watches. */
  async sentHeight(): Promise<number | null> {
    const [call] = this.calls.keys();
    if (!call) return null;
    let height: number | null = null;
    (await call.peerConnection.getStats()).forEach((report: { type: string; kind?: string; frameHeight?: number }) => {
      if (report.type === 'outbound-rtp' && report.kind === 'video' && report.frameHeight !== undefined) height = report.frameHeight;
    });
    return height;
  }

  /** Sets every viewer's video encoder ceiling, bits per second (the quality preset's). */
  setMaxBitrate(maxBitrate: number): void {
    this.maxBitrate = maxBitrate;
    for (const tuning of this.calls.values()) tuning.setMaxBitrate(maxBitrate);
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
    const theirs = [...this.calls.keys()].filter((call) => viewerUserOf(call.peer) === userId);
    for (const call of theirs) {
      this.calls.delete(call);
      call.close();
    }
    if (theirs.length > 0) this.changed();
  }

  /** Hangs up on every viewer and stops answering. */
  stop(): void {
    this.offCall?.();
    if (this.calls.size > 0) log.warn(`camera: hanging up on ${this.calls.size} viewer(s)`);
    for (const call of [...this.calls.keys()]) call.close();
    this.calls.clear();
    this.changed();
  }

  private answer(call: MediaConnection): void {
    // Signaling relays only within a household; checked again from the peer ids.
    if (!isViewerOfHousehold(this.session.peerId, call.peer)) {
      call.close();
      return;
    }
    log.debug(`camera: answering ${call.peer}`);
    call.answer(this.stream);
    this.calls.set(call, new VideoSenderTuning(call.peerConnection, this.maxBitrate));
    this.changed();
    let grace: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      clearTimeout(grace);
      if (!this.calls.delete(call)) return;
      log.debug(`camera: the call of ${call.peer} is over`);
      call.close();
      this.changed();
    };
    call.on('close', end);
    call.on('error', end);
    const pc = call.peerConnection;
    const lost = (why: string) => {
      log.warn(`camera: the call of ${call.peer} ended (${why})`);
      end();
    };
    pc?.addEventListener('connectionstatechange', () => {
      clearTimeout(grace);
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') lost(`connection ${pc.connectionState}`);
      else if (pc.connectionState === 'disconnected') grace = setTimeout(() => lost('disconnected too long'), DISCONNECTED_GRACE_MS);
    });
  }

  private changed(): void {
    this.emit('change');
  }
}
