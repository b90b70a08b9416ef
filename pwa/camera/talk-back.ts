import type { MediaConnection } from 'peerjs';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import type { PeerSession } from '../shared/peer-session.js';
import { type TalkMessage, isViewerOfHousehold, openTalkChannel, talkerOf, viewerUserOf } from '../shared/talk-protocol.js';

/**
 * - `idle`: nobody talks
 * - `connecting`: a viewer's talk call was answered; its voice has not arrived yet
 * - `playing`: the voice of `talker` plays through the speaker
 * - `needs-tap`: the voice of `talker` arrived but the browser will not play
 *   sound before someone taps the page (autoplay rules); `allowSound()` from a tap plays it
 */
export type TalkBackState =
  | { kind: 'idle' }
  | { kind: 'connecting'; talker: string }
  | { kind: 'playing'; talker: string }
  | { kind: 'needs-tap'; talker: string };

/** A refused viewer that has not hung up after being told this long is hung up on, ms. */
const REFUSED_HANG_UP_MS = 5_000;
/** A talk call whose connection stays `disconnected` this long is over, ms. */
const DISCONNECTED_GRACE_MS = 3_000;

/** The talk call being played and its report channel. */
interface Talk {
  call: MediaConnection;
  channel: RTCDataChannel;
  talker: string;
}

/**
 * The camera's side of talk-back (see `talk-protocol.ts` for the mechanism):
 * answers a viewer's audio-only talk call without sending anything back and
 * plays the voice through `element`, an `<audio>` element. A media element,
 * not Web Audio: Chromium's echo canceller removes from the camera's own
 * microphone only the WebRTC audio played through media elements (Chromium
 * bug 687574), and the camera captures with `echoCancellation: true`, so
 * viewers do not hear themselves back.
 *
 * One viewer talks at a time: a second talk call is answered, told `busy`
 * with the first talker's name, and hung up on (after 5 000 ms at the
 * latest). Where the browser refuses to play sound before a tap on the page
 * (`play()` rejects with NotAllowedError, HTML §4.8.11.8 "allowed to play"),
 * the state is `needs-tap` and the viewer is told `cannot-play` until
 * `allowSound()` runs in a tap. Chromium and Firefox let a page that captures
 * the camera play sound without a tap; other browsers and embedded web views
 * may not.
 *
 * Answers from `start()` until `stop()`; dispatches `change` when `state` changes.
 */
export class TalkBack extends Emitter<{ change: void }> {
  /** Plays the talking viewer's voice; render it anywhere (it plays also when detached). */
  readonly element: HTMLAudioElement = document.createElement('audio');
  private currentState: TalkBackState = { kind: 'idle' };
  private talk: Talk | null = null;
  private offCall: (() => void) | null = null;

  constructor(private readonly session: PeerSession) {
    super();
    this.element.setAttribute('aria-label', 'Talk-back sound');
  }

  get state(): TalkBackState {
    return this.currentState;
  }

  /** Answers talk calls from now on. */
  start(): void {
    this.offCall ??= this.session.on('call', (call) => {
      const talker = talkerOf(call);
      if (talker !== undefined) this.answer(call, talker);
    });
  }

  /** Hangs up on the talking viewer and stops answering. */
  stop(): void {
    this.offCall?.();
    this.offCall = null;
    if (this.talk) this.end(this.talk);
  }

  /** Hangs up the talk call of user `userId`, if they are the one talking (the server said they may no longer use this camera). */
  endTalkOf(userId: string): void {
    if (this.talk && viewerUserOf(this.talk.call.peer) === userId) this.end(this.talk);
  }

  /** Plays the waiting voice; call it from a tap (a user activation), when `state` is `needs-tap`. */
  allowSound(): void {
    const talk = this.talk;
    if (talk && this.currentState.kind === 'needs-tap') this.play(talk);
  }

  private answer(call: MediaConnection, talker: string): void {
    if (!isViewerOfHousehold(this.session.peerId, call.peer)) {
      call.close();
      return;
    }
    call.answer();
    const channel = openTalkChannel(call.peerConnection);
    if (this.talk) {
      this.refuse(call, channel, this.talk.talker);
      return;
    }
    const talk: Talk = { call, channel, talker };
    this.talk = talk;
    this.setState({ kind: 'connecting', talker });
    channel.addEventListener('open', () => this.report(talk));
    call.on('stream', (stream) => {
      if (this.talk !== talk) return;
      this.element.srcObject = stream;
      this.play(talk);
    });
    const end = () => this.end(talk);
    call.on('close', end);
    call.on('error', end);
    let grace: ReturnType<typeof setTimeout> | undefined;
    const pc = call.peerConnection;
    pc.addEventListener('connectionstatechange', () => {
      clearTimeout(grace);
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') end();
      else if (pc.connectionState === 'disconnected') grace = setTimeout(end, DISCONNECTED_GRACE_MS);
    });
  }

  /** Tells a second viewer who is talking; it hangs up itself, or is hung up on after 5 000 ms. */
  private refuse(call: MediaConnection, channel: RTCDataChannel, talker: string): void {
    const timer = setTimeout(() => call.close(), REFUSED_HANG_UP_MS);
    call.on('close', () => clearTimeout(timer));
    channel.addEventListener('open', () => send(channel, { type: 'busy', talker }));
  }

  private play(talk: Talk): void {
    this.element.play().then(
      () => {
        if (this.talk !== talk) return;
        this.setState({ kind: 'playing', talker: talk.talker });
        this.report(talk);
      },
      (error: unknown) => {
        if (this.talk !== talk) return; // ended meanwhile: play() was aborted by the pause
        if (error instanceof DOMException && error.name === 'NotAllowedError') {
          this.setState({ kind: 'needs-tap', talker: talk.talker });
          this.report(talk);
          return;
        }
        log.warn('talk-back: the voice could not be played', error);
        this.end(talk);
      },
    );
  }

  /** Tells the talking viewer the state it should show, once the channel is open. */
  private report(talk: Talk): void {
    if (this.talk !== talk || talk.channel.readyState !== 'open') return;
    if (this.currentState.kind === 'playing') send(talk.channel, { type: 'talking' });
    if (this.currentState.kind === 'needs-tap') send(talk.channel, { type: 'cannot-play' });
  }

  private end(talk: Talk): void {
    if (this.talk !== talk) return;
    this.talk = null;
    this.element.pause();
    this.element.srcObject = null;
    talk.call.close();
    this.setState({ kind: 'idle' });
  }

  private setState(state: TalkBackState): void {
    this.currentState = state;
    this.emit('change');
  }
}

function send(channel: RTCDataChannel, message: TalkMessage): void {
  try {
    channel.send(JSON.stringify(message));
  } catch (error) {
    // The channel closed between the check and the send: the call is ending, the viewer sees that.
    log.debug('talk-back: a report could not be sent', error);
  }
}
