import { Peer, type CallOption, type MediaConnection, type PeerError } from 'peerjs';
import type { SignalingTicket } from '../../protocol/index.js';
import { ApiRequestError, type ApiClient, type Caller } from '../api/api-client.js';
import { Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { IceConfig } from './ice-config.js';
import { log } from './logger.js';

/**
 * - `connecting`: first connection to the signaling server under way
 * - `open`: registered with the signaling server; calls can be made and received
 * - `reconnecting`: the signaling connection was lost; media calls already up go on
 * - `unauthorized`: the server refused the credential (camera removed, session ended); stopped
 * - `unsupported`: the browser has no WebRTC (W3C webrtc §4, `RTCPeerConnection` is undefined, e.g. Debian's
 *   WebKitGTK build); nothing is connected, the rest of the page (recording, events, playback) goes on
 * - `closed`: `close()` was called
 */
export type PeerSessionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized' | 'unsupported' | 'closed';

/** Whether this browser can make WebRTC peer connections (W3C webrtc §4 `RTCPeerConnection`). */
export function hasWebRtc(): boolean {
  return typeof RTCPeerConnection !== 'undefined';
}

/** A PeerJS call option PeerJS 1.5 passes on but does not declare: `createOffer` options. */
interface CallOptionWithConstraints extends CallOption {
  constraints?: RTCOfferOptions;
}

/** The events of a `PeerSession` and their payloads. */
export interface PeerSessionEvents {
  /** `state` changed. */
  statechange: void;
  /** A remote peer called this one. */
  call: MediaConnection;
  /** The server could not reach the called peer with this id (PeerJS `peer-unavailable`). */
  'peer-unavailable': string;
}

/** Heartbeat interval of the PeerJS socket, ms (the server drops sockets silent for 11 000 ms). */
const PING_INTERVAL_MS = 5_000;
/** A socket that has not received OPEN this long after connecting is given up and retried, ms. */
const OPEN_TIMEOUT_MS = 10_000;
/** PeerJS's text for EXPIRE (PeerJS protocol: the server could not deliver an OFFER to `src`). */
const UNAVAILABLE_PEER = /^Could not connect to peer (.+)$/;

/**
 * This page's PeerJS peer, kept registered with the Peerwatch signaling
 * server for as long as the page is open.
 *
 * Peer ids are issued by the server: each (re)connection first gets a
 * signaling ticket (`POST /api/signaling/tickets`, a viewer sends its current
 * peer id to keep it) because the server refuses sockets without one (HTTP 401
 * at the WebSocket upgrade). A lost connection is re-opened with
 * `peer.reconnect()` and the new ticket as `options.token`; a destroyed peer is
 * replaced by a new one. Retries back off from 500 ms to 3 000 ms and never
 * stop, except when the server refuses the credential itself. Media calls are
 * peer to peer and survive signaling reconnects.
 *
 * PeerJS builds each call's RTCPeerConnection from `peer.options.config`
 * (when calling, and when an OFFER arrives): it holds the server's ICE
 * servers and `iceTransportPolicy` (`IceConfig`), fetched when the session
 * first connects, refetched after each outgoing call connected (before it, when
 * redialling a call that found no path) and refreshed ahead of the TURN
 * credentials' expiry, so a camera that waits for calls for days still
 * answers with working credentials.
 *
 * Events: see `PeerSessionEvents`.
 */
export class PeerSession extends Emitter<PeerSessionEvents> {
  private peer: Peer | null = null;
  private currentState: PeerSessionState = 'connecting';
  private readonly stopped = new AbortController();
  private readonly ice: IceConfig;
  private started = false;
  private lastPeerId: string | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly as: Caller,
  ) {
    super();
    this.ice = new IceConfig(api, as);
    this.ice.on('change', () => {
      if (this.peer && this.ice.latest) this.peer.options.config = this.ice.latest;
    });
  }

  get state(): PeerSessionState {
    return this.currentState;
  }

  /** The peer id the server issued, once the first ticket arrived. */
  get peerId(): string | undefined {
    return this.lastPeerId;
  }

  /** Starts connecting (or turns `unsupported` where the browser has no WebRTC); idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!hasWebRtc()) {
      this.setState('unsupported');
      return;
    }
    void this.run();
  }

  /** Resolves when the session is open; rejects if it is stopped first. */
  whenOpen(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.currentState === 'open') finish(resolve);
        else if (
          this.currentState === 'closed' ||
          this.currentState === 'unauthorized' ||
          this.currentState === 'unsupported' ||
          signal?.aborted
        ) {
          finish(() => reject(new Error(`peer session is ${this.currentState}`)));
        }
      };
      const finish = (settle: () => void) => {
        off();
        signal?.removeEventListener('abort', check);
        settle();
      };
      const off = this.on('statechange', check);
      signal?.addEventListener('abort', check);
      check();
    });
  }

  /**
   * Calls a remote peer. A viewer passes an empty MediaStream and asks to
   * receive with `constraints` (`offerToReceiveVideo`/`Audio`).
   *
   * ICE servers: with `ice` `current`, the call starts at once with the
   * configuration in hand (fetched first only when there is none yet or its
   * refresh is due, see `IceConfig.config()`; the refresh timer keeps TURN
   * credentials valid) and the configuration is fetched again once the call has
   * connected or failed, for the calls and answers after it. With `fresh` (a redial after
   * a call that found no network path) it is fetched first and the call waits for it.
   * @throws Error when the session is not open; ApiRequestError when ICE servers had to be fetched first and could not be
   */
  async call(
    remotePeerId: string,
    stream: MediaStream,
    options: CallOptionWithConstraints = {},
    ice: 'current' | 'fresh' = 'current',
  ): Promise<MediaConnection> {
    const config = ice === 'fresh' ? await this.ice.refresh() : await this.ice.config();
    const peer = this.peer;
    if (!peer || this.currentState !== 'open') throw new Error('Not connected to the signaling server.');
    peer.options.config = config;
    const call = peer.call(remotePeerId, stream, options);
    if (!call) throw new Error('Not connected to the signaling server.');
    if (ice === 'current') this.refreshIceOnceSettled(call.peerConnection);
    return call;
  }

  /**
   * Fetches the ICE configuration again once `pc` has connected or failed: off the call's critical
   * path (its offer and the first frame), for the calls and answers after it.
   */
  private refreshIceOnceSettled(pc: RTCPeerConnection): void {
    const onChange = () => {
      if (pc.connectionState === 'new' || pc.connectionState === 'connecting') return;
      pc.removeEventListener('connectionstatechange', onChange);
      this.ice.refreshInBackground();
    };
    pc.addEventListener('connectionstatechange', onChange);
  }

  /** Leaves signaling for good and closes every call of this peer. */
  close(): void {
    this.stopped.abort();
    this.ice.close();
    this.peer?.destroy();
    this.peer = null;
    this.setState('closed');
  }

  private async run(): Promise<void> {
    const backoff = new Backoff();
    const { signal } = this.stopped;
    while (!signal.aborted) {
      try {
        const ticket = await this.api.signalingTicket(this.as, this.lastPeerId);
        const config = await this.ice.config();
        if (signal.aborted) return;
        const peer = this.connect(ticket, config);
        if (await opened(peer)) {
          backoff.reset();
          this.setState('open');
          await lost(peer);
          if (signal.aborted) return;
          this.setState('reconnecting');
          continue;
        }
      } catch (error) {
        if (error instanceof ApiRequestError && (error.status === 401 || error.status === 403)) {
          this.peer?.destroy();
          this.peer = null;
          this.ice.close();
          this.setState('unauthorized');
          return;
        }
        // Anything else (server unreachable, a refused socket): tried again after the backoff.
        log.debug('peer session: connecting failed, retrying', error);
      }
      if (signal.aborted) return;
      this.setState(this.currentState === 'connecting' ? 'connecting' : 'reconnecting');
      await backoff.wait(signal);
    }
  }

  /** Re-opens the existing peer with a new ticket, or builds a new one. */
  private connect(ticket: SignalingTicket, config: RTCConfiguration): Peer {
    const previousPeerId = this.lastPeerId;
    this.lastPeerId = ticket.peerId;
    const peer = this.peer;
    if (peer && !peer.destroyed && peer.disconnected && previousPeerId === ticket.peerId) {
      peer.options.token = ticket.ticket;
      peer.options.config = config;
      peer.reconnect();
      return peer;
    }
    // A replaced peer's calls end with it; each live call logs its own drop (see LiveCall).
    if (peer) log.debug(`peer session: a new peer replaces ${peer.id}`);
    peer?.destroy();
    const secure = location.protocol === 'https:';
    const fresh = new Peer(ticket.peerId, {
      host: location.hostname,
      port: Number(location.port) || (secure ? 443 : 80),
      secure,
      path: ticket.path,
      key: ticket.key,
      token: ticket.ticket,
      config,
      pingInterval: PING_INTERVAL_MS,
    });
    fresh.on('call', (call) => this.emit('call', call));
    fresh.on('error', (error: PeerError<string>) => {
      const unavailable = error.type === 'peer-unavailable' && UNAVAILABLE_PEER.exec(error.message);
      if (unavailable && unavailable[1]) {
        this.emit('peer-unavailable', unavailable[1]);
      }
    });
    this.peer = fresh;
    return fresh;
  }

  private setState(state: PeerSessionState): void {
    if (this.currentState === state || this.currentState === 'closed') return;
    log.debug(`peer session: ${this.lastPeerId ?? 'no peer id yet'} ${this.currentState} → ${state}`);
    this.currentState = state;
    this.emit('statechange');
  }
}

/** Resolves true when the peer is registered (OPEN), false when the attempt failed or timed out. */
function opened(peer: Peer): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (result: boolean) => {
      clearTimeout(timer);
      peer.off('open', onOpen);
      peer.off('disconnected', onLost);
      peer.off('close', onLost);
      resolve(result);
    };
    const onOpen = () => finish(true);
    const onLost = () => finish(false);
    const timer = setTimeout(() => {
      finish(false);
      peer.disconnect();
    }, OPEN_TIMEOUT_MS);
    peer.on('open', onOpen);
    peer.on('disconnected', onLost);
    peer.on('close', onLost);
  });
}

/** Resolves when an open peer loses its signaling connection or is destroyed. */
function lost(peer: Peer): Promise<void> {
  return new Promise((resolve) => {
    const onLost = () => {
      peer.off('disconnected', onLost);
      peer.off('close', onLost);
      resolve();
    };
    peer.on('disconnected', onLost);
    peer.on('close', onLost);
  });
}
