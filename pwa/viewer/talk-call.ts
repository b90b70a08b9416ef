import type { MediaConnection } from 'peerjs';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import type { PeerSession } from '../shared/peer-session.js';
import { openTalkChannel, parseTalkMessage, talkCallMetadata } from '../shared/talk-protocol.js';

/**
 * - `idle`: not talking
 * - `connecting`: "Talk" is held; the microphone opens and the talk call is dialled
 * - `talking`: the camera plays the voice
 * - `camera-cannot-play`: the camera's browser needs a tap on the camera page before it plays sound
 * - `busy`: refused, `talker` is talking through this camera; shown until the next press
 * - `failed`: the microphone could not be opened (`microphone`) or the talk call dropped (`call`); shown until the next press
 */
export type TalkState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'talking' }
  | { kind: 'camera-cannot-play' }
  | { kind: 'busy'; talker: string }
  | { kind: 'failed'; failure: 'microphone' | 'call' };

/** What the viewer's microphone captures: echo cancellation keeps the camera's sound (played by the tile) out of it. */
const CAPTURE_VOICE: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** A talk call the camera has not reported on this long after dialling (camera gone, no network path) failed, ms. */
const REPORT_TIMEOUT_MS = 10_000;

/** The press under way: its microphone and call, once they are there. */
interface Press {
  readonly released: AbortController;
  microphone: MediaStream | null;
  call: MediaConnection | null;
}

/**
 * Push-to-talk from a viewer to one camera (mechanism: `talk-protocol.ts`):
 * `press()` opens the microphone (getUserMedia, echo cancellation on) and
 * dials an audio-only talk call to the camera; `release()` mutes the
 * microphone track at once (`enabled = false`: silence from the next audio
 * frame), hangs up and closes the microphone. The camera's reports set
 * `state`; a call the camera has not reported on within 10 000 ms, or that
 * drops while held, is `failed`. Dispatches `change` when `state` changes.
 */
export class TalkCall extends Emitter<{ change: void }> {
  private currentState: TalkState = { kind: 'idle' };
  private held: Press | null = null;

  /**
   * @param session the viewer's peer session
   * @param cameraPeerId the camera to talk through
   * @param talker who talks (the signed-in user's email), shown on the camera and to other viewers
   */
  constructor(
    private readonly session: PeerSession,
    private readonly cameraPeerId: string,
    private readonly talker: string,
  ) {
    super();
  }

  get state(): TalkState {
    return this.currentState;
  }

  /** Starts talking (the "Talk" button or the space bar went down); no-op while already held. */
  press(): void {
    if (this.held) return;
    const press: Press = { released: new AbortController(), microphone: null, call: null };
    this.held = press;
    this.setState({ kind: 'connecting' });
    void this.dial(press);
  }

  /** Stops talking (the button or the space bar came up, or the tile went away). */
  release(): void {
    const press = this.held;
    if (!press) return;
    this.hangUp(press);
    const { kind } = this.currentState;
    if (kind === 'connecting' || kind === 'talking' || kind === 'camera-cannot-play') this.setState({ kind: 'idle' });
  }

  private async dial(press: Press): Promise<void> {
    const { signal } = press.released;
    try {
      press.microphone = await navigator.mediaDevices.getUserMedia({ audio: CAPTURE_VOICE });
    } catch (error) {
      log.warn('talk: the microphone could not be opened', error);
      if (!signal.aborted) this.fail(press, 'microphone');
      return;
    }
    if (signal.aborted) {
      stopTracks(press.microphone);
      return;
    }
    let call: MediaConnection;
    try {
      call = await this.session.call(this.cameraPeerId, press.microphone, { metadata: talkCallMetadata(this.talker) });
    } catch (error) {
      log.warn('talk: the talk call could not be dialled', error);
      if (!signal.aborted) this.fail(press, 'call');
      return;
    }
    press.call = call;
    if (signal.aborted) {
      call.close();
      return;
    }
    const timer = setTimeout(() => {
      if (!signal.aborted) this.fail(press, 'call');
    }, REPORT_TIMEOUT_MS);
    signal.addEventListener('abort', () => clearTimeout(timer));
    const channel = openTalkChannel(call.peerConnection);
    channel.addEventListener('message', (event: MessageEvent) => {
      const message = parseTalkMessage(event.data);
      if (signal.aborted) return;
      clearTimeout(timer);
      if (!message) log.warn('talk: the camera sent an unknown report', event.data);
      else if (message.type === 'talking') this.setState({ kind: 'talking' });
      else if (message.type === 'cannot-play') this.setState({ kind: 'camera-cannot-play' });
      else {
        this.hangUp(press);
        this.setState({ kind: 'busy', talker: message.talker });
      }
    });
    const dropped = () => {
      if (!signal.aborted) this.fail(press, 'call');
    };
    call.on('close', dropped);
    call.on('error', dropped);
  }

  private fail(press: Press, failure: 'microphone' | 'call'): void {
    this.hangUp(press);
    this.setState({ kind: 'failed', failure });
  }

  /** Silences, hangs up and closes the microphone of `press`. */
  private hangUp(press: Press): void {
    if (this.held === press) this.held = null;
    press.released.abort();
    press.microphone?.getAudioTracks().forEach((track) => (track.enabled = false));
    press.call?.close();
    stopTracks(press.microphone);
  }

  private setState(state: TalkState): void {
    this.currentState = state;
    this.emit('change');
  }
}

function stopTracks(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}
