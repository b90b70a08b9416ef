import type { MediaConnection } from 'peerjs';
import { Backoff } from '../shared/backoff.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import type { PeerSession } from '../shared/peer-session.js';
import { watchIceErrors, type NoPathCause } from './no-path.js';

/**
 * - `connecting`: dialling the camera
 * - `live`: the camera's MediaStream is arriving
 * - `reconnecting`: the call dropped while the camera is online; dialling again
 * - `offline`: the camera is offline; dialled again as soon as it is back
 * - `unreachable`: the call found no network path (ICE failed, or no connection within 15 000 ms,
 *   see `noPath`); dialled again, with ICE servers fetched first, until it connects
 * - `unsupported`: this browser has no WebRTC (the page's `PeerSession` is `unsupported` when the call starts); nothing is dialled
 * - `paused`: hung up for now (`pause()`, e.g. its tile is out of sight); dialled again by `resume()`
 * - `ended`: hung up for good (`stop()`)
 */
export type LiveCallState =
  | 'connecting'
  | 'live'
  | 'reconnecting'
  | 'offline'
  | 'unreachable'
  | 'unsupported'
  | 'paused'
  | 'ended';

/** Why a call (or a dial attempt) was over, for the console when a live call drops. */
type DropCause =
  | 'dial-failed'
  | 'peer-unavailable'
  | 'camera-offline'
  | 'no-media'
  | 'no-answer'
  | 'no-connection'
  | 'call-closed'
  | 'call-error'
  | `connection-${RTCPeerConnectionState}`;

/** A call that has not brought the camera's stream this long is given up and dialled again, ms. */
const ANSWER_TIMEOUT_MS = 10_000;
/** A call whose peer connection has not connected this long after dialling has no network path, ms. */
const CONNECT_TIMEOUT_MS = 15_000;
/** While the camera is offline, a live call with no new RTP packet for this long is over, ms. */
const MEDIA_CHECK_MS = 1_000;

/**
 * A viewer's live call to one camera, kept up for as long as it is wanted.
 * The viewer has no camera: it calls with an empty MediaStream and asks to
 * receive video and audio (`offerToReceiveVideo/Audio`, passed by PeerJS to
 * `createOffer`).
 *
 * The call is dialled again (backoff 500 ms to 3 000 ms) when it closes,
 * when its RTCPeerConnection fails or closes, or when the camera does not
 * answer, as long as the camera is online; while the camera is offline it
 * waits and dials as soon as `cameraOnline` turns true. Media flows peer to
 * peer, so a call that is up survives the camera's or the viewer's signaling
 * reconnects (and a server restart): when presence says the camera went
 * offline, the call ends as "offline" only once its media stops arriving too
 * (no new RTP packet within 1 000 ms).
 *
 * `pause()` hangs up (the camera sees the call end, no media is received or
 * decoded) without ending the call for good; `resume()` dials again.
 * Nothing is dialled before `start()`; nothing after `stop()`.
 *
 * Dispatches `change` when `state` or `stream` changes.
 */
export class LiveCall extends Emitter<{ change: void }> {
  private call: MediaConnection | null = null;
  private currentState: LiveCallState = 'connecting';
  private remoteStream: MediaStream | null = null;
  private online: boolean;
  private readonly backoff = new Backoff();
  private readonly hungUp = new AbortController();
  private dialling = false;
  private started = false;
  private noPathCause: NoPathCause | null = null;
  /** The current call's connection state as last reported (PeerJS closes the connection before it says the call closed). */
  private connectionSeen: RTCPeerConnectionState = 'new';
  /** Removes the session listener added by `start()`. */
  private offUnavailable: (() => void) | null = null;

  constructor(
    private readonly session: PeerSession,
    readonly cameraPeerId: string,
    cameraOnline: boolean,
  ) {
    super();
    this.online = cameraOnline;
  }

  /** Starts dialling (or waiting for the camera to come online); once only, never after `stop()`. */
  start(): void {
    if (this.started || this.hungUp.signal.aborted) return;
    this.started = true;
    if (this.session.state === 'unsupported') {
      this.setState('unsupported');
      return;
    }
    this.offUnavailable = this.session.on('peer-unavailable', (peerId) => {
      // The server could not deliver a message to the camera: a call still being set up is over; a live call
      // whose media flows peer to peer is not (e.g. a late ICE candidate while the camera re-registers).
      if (peerId !== this.cameraPeerId) return;
      const call = this.call;
      if (this.currentState === 'live' && call?.peerConnection?.connectionState === 'connected') return;
      this.dropped(call, 'peer-unavailable');
    });
    if (this.online) void this.dial();
    else this.setState('offline');
  }

  get state(): LiveCallState {
    return this.currentState;
  }

  /**
   * The camera's MediaStream, from the moment it arrives (also while still `connecting`, so a video
   * element can be ready for its first frame) until the call drops.
   */
  get stream(): MediaStream | null {
    return this.remoteStream;
  }

  /** The call's RTCPeerConnection while live (e.g. for `getStats()`). */
  get peerConnection(): RTCPeerConnection | null {
    return this.currentState === 'live' ? (this.call?.peerConnection ?? null) : null;
  }

  /** Why the last attempt found no network path, while `state` is `unreachable`. */
  get noPath(): NoPathCause | null {
    return this.currentState === 'unreachable' ? this.noPathCause : null;
  }

  /** Tells the call whether the camera is online (presence). */
  set cameraOnline(online: boolean) {
    if (this.online === online) return;
    this.online = online;
    if (online) {
      if (this.currentState === 'offline' && this.started) {
        this.backoff.reset();
        void this.dial();
      }
      return;
    }
    const call = this.call;
    if (!this.started || this.currentState === 'paused' || this.currentState === 'unsupported') return;
    if (this.currentState === 'live' && call?.peerConnection?.connectionState === 'connected') {
      void this.watchMedia(call);
    } else this.dropped(call, 'camera-offline');
  }

  /** Hangs up for now: state `paused` until `resume()`. No-op once ended or before `start()`. */
  pause(): void {
    if (!this.started || this.currentState === 'paused' || this.currentState === 'ended' || this.currentState === 'unsupported') {
      return;
    }
    const call = this.call;
    this.call = null;
    call?.close();
    this.remoteStream = null;
    this.noPathCause = null;
    this.setState('paused');
  }

  /** Dials again after `pause()` (or waits for the camera, while it is offline). */
  resume(): void {
    if (this.currentState !== 'paused') return;
    this.backoff.reset();
    if (!this.online) {
      this.setState('offline');
      return;
    }
    this.setState('connecting');
    void this.dial();
  }

  /** Ends the call for good. */
  stop(): void {
    this.hungUp.abort();
    this.offUnavailable?.();
    this.offUnavailable = null;
    const call = this.call;
    this.call = null;
    call?.close();
    this.remoteStream = null;
    this.setState('ended');
  }

  private async dial(): Promise<void> {
    if (this.dialling || this.hungUp.signal.aborted) return;
    this.dialling = true;
    try {
      if (this.currentState !== 'unreachable') {
        this.setState(this.currentState === 'live' || this.currentState === 'reconnecting' ? 'reconnecting' : 'connecting');
      }
      await this.session.whenOpen(this.hungUp.signal);
      if (this.onHold()) return;
      if (!this.online) {
        this.setState('offline');
        return;
      }
      // A call that found no network path is dialled again with ICE servers fetched first.
      const ice = this.currentState === 'unreachable' ? 'fresh' : 'current';
      const options = { constraints: { offerToReceiveVideo: true, offerToReceiveAudio: true } };
      const call = await this.session.call(this.cameraPeerId, new MediaStream(), options, ice);
      if (this.onHold()) call.close();
      else this.watch(call);
    } catch (error) {
      if (this.hungUp.signal.aborted) return;
      log.debug('live call: dialling failed', this.cameraPeerId, error);
      this.dropped(null, 'dial-failed');
    } finally {
      this.dialling = false;
    }
  }

  /** Follows a dialled call: live once its stream arrived and its connection is up (ICE connected). */
  private watch(call: MediaConnection): void {
    this.call = call;
    const pc = call.peerConnection;
    const noPath = watchIceErrors(pc);
    const timer = setTimeout(() => this.dropped(call, 'no-answer'), ANSWER_TIMEOUT_MS);
    const connectTimer = setTimeout(() => this.dropped(call, 'no-connection', noPath()), CONNECT_TIMEOUT_MS);
    const goLive = () => {
      if (this.call !== call || !this.remoteStream || pc.connectionState !== 'connected') return;
      clearTimeout(connectTimer);
      this.backoff.reset();
      this.setState('live');
    };
    call.on('stream', (stream) => {
      clearTimeout(timer);
      if (this.call !== call) return;
      this.remoteStream = stream;
      this.emit('change');
      goLive();
    });
    this.connectionSeen = pc.connectionState;
    const end = (cause: DropCause) => {
      clearTimeout(timer);
      clearTimeout(connectTimer);
      this.dropped(call, cause, pc.iceConnectionState === 'failed' ? noPath() : null);
    };
    call.on('close', () => end('call-closed'));
    call.on('error', () => end('call-error'));
    pc.addEventListener('connectionstatechange', () => {
      const state = pc.connectionState;
      if (this.call === call) this.connectionSeen = state;
      if (state === 'connected') goLive();
      if (state === 'failed' || state === 'closed' || (state === 'disconnected' && !this.online)) end(`connection-${state}`);
    });
  }

  /**
   * While signaling says the camera is offline, keeps a live call only as
   * long as its media still arrives: a signaling outage (e.g. a server
   * restart) leaves a peer-to-peer call running, a camera that is gone does not.
   */
  private async watchMedia(call: MediaConnection): Promise<void> {
    const pc = call.peerConnection;
    let before = await packetsReceived(pc);
    while (!this.online && this.call === call && !this.hungUp.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, MEDIA_CHECK_MS));
      if (this.online || this.call !== call) return;
      const now = await packetsReceived(pc);
      if (now <= before) {
        this.dropped(call, 'no-media');
        return;
      }
      before = now;
    }
  }

  /**
   * The call `call` (or a dial attempt, when null) is over, for `cause`: dial again or wait for the camera.
   * `noPath`: it found no network path, for this reason. A live call that drops is logged (a warning) with its cause.
   */
  private dropped(call: MediaConnection | null, cause: DropCause, noPath: NoPathCause | null = null): void {
    if (this.onHold() || call !== this.call) return;
    if (this.currentState === 'live') {
      log.warn(`live call: the call to ${this.cameraPeerId} dropped (${cause}; its connection was ${this.connectionSeen})`);
    }
    this.call = null;
    call?.close();
    this.remoteStream = null;
    if (!this.online) {
      this.setState('offline');
      return;
    }
    this.noPathCause = noPath;
    this.setState(noPath ? 'unreachable' : 'reconnecting');
    void this.backoff.wait(this.hungUp.signal).then(() => {
      if (this.online && (this.currentState === 'reconnecting' || this.currentState === 'unreachable')) void this.dial();
    });
  }

  /** Paused or stopped: nothing may be dialled now (read after each await). */
  private onHold(): boolean {
    return this.hungUp.signal.aborted || this.currentState === 'paused';
  }

  private setState(state: LiveCallState): void {
    if (this.currentState === 'ended') return;
    if (state !== this.currentState) log.debug(`live call: ${this.cameraPeerId} ${this.currentState} → ${state}`);
    this.currentState = state;
    this.emit('change');
  }
}

/** RTP packets received so far on all inbound streams of a connection (W3C webrtc-stats `inbound-rtp`). */
async function packetsReceived(pc: RTCPeerConnection): Promise<number> {
  let total = 0;
  const stats = await pc.getStats().catch((error: unknown) => {
    // Counted as no packets: a connection that cannot report is treated as one that receives nothing.
    log.debug('live call: getStats failed', error);
    return null;
  });
  stats?.forEach((report: { type: string; packetsReceived?: number }) => {
    if (report.type === 'inbound-rtp') total += report.packetsReceived ?? 0;
  });
  return total;
}
