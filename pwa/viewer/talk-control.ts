import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { uiStyles } from '../app/ui-styles.js';
import type { PeerSession } from '../shared/peer-session.js';
import { TalkCall, type TalkState } from './talk-call.js';

/**
 * A live tile's push-to-talk (`TalkCall`, made while the element is on the
 * page): the "Talk" button, held with a mouse, a finger or a pen (pointer
 * captured, so letting go anywhere ends it), and a line saying how the talk
 * goes ("Talking…", "Another viewer is talking (…)", …). The tile forwards
 * the space bar through `press()` / `release()`. Talking stops when it is
 * let go, when `live` turns false, when the window loses focus (a key or
 * pointer may come up outside it) and when the element leaves the page.
 */
@customElement('pw-talk-control')
export class PwTalkControl extends LitElement {
  static override styles = [
    uiStyles,
    css`
      :host {
        display: contents;
      }
      button {
        flex: 1 1 auto;
        touch-action: none;
        user-select: none;
        -webkit-user-select: none;
      }
      button[aria-pressed='true'] {
        background: var(--pw-live);
        color: #fff;
      }
      p {
        flex-basis: 100%;
      }
      p:empty {
        display: none;
      }
    `,
  ];

  @property({ attribute: false }) session!: PeerSession;
  @property({ attribute: false }) cameraPeerId!: string;
  /** Who talks (the signed-in user's email), shown on the camera and to other viewers. */
  @property({ attribute: false }) talker = '';
  /** Whether the camera's live call is up; talking needs it. */
  @property({ attribute: false }) live = false;

  @state() private talkState: TalkState = { kind: 'idle' };
  private talk: TalkCall | null = null;
  private readonly onWindowBlur = () => this.release();

  override connectedCallback(): void {
    super.connectedCallback();
    const talk = new TalkCall(this.session, this.cameraPeerId, this.talker);
    talk.on('change', () => (this.talkState = talk.state));
    this.talk = talk;
    window.addEventListener('blur', this.onWindowBlur);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('blur', this.onWindowBlur);
    this.talk?.release();
    this.talk = null;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('live') && !this.live) this.release();
  }

  /** Starts talking while live (the space bar went down on the tile). */
  press(): void {
    if (this.live) this.talk?.press();
  }

  /** Stops talking. */
  release(): void {
    this.talk?.release();
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.press();
  }

  override render() {
    const { kind } = this.talkState;
    const holding = kind === 'connecting' || kind === 'talking' || kind === 'camera-cannot-play';
    return html`<button
        aria-pressed=${holding ? 'true' : 'false'}
        ?disabled=${!this.live}
        @pointerdown=${this.onPointerDown}
        @pointerup=${this.release}
        @pointercancel=${this.release}
        @contextmenu=${(event: Event) => event.preventDefault()}
      >
        Talk
      </button>
      <p role="status">${talkText(this.talkState)}</p>`;
  }
}

/** What the control says about the talk; empty while idle. */
function talkText(state: TalkState): string {
  switch (state.kind) {
    case 'idle':
      return '';
    case 'connecting':
      return 'Connecting to the camera’s speaker…';
    case 'talking':
      return 'Talking…';
    case 'camera-cannot-play':
      return 'The camera cannot play your voice yet: someone must tap “Allow talk-back sound” on the camera.';
    case 'busy':
      return `Another viewer is talking (${state.talker}).`;
    case 'failed':
      return state.failure === 'microphone'
        ? 'Your microphone could not be opened: allow it for this site to talk.'
        : 'The talk to the camera was cut off.';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-talk-control': PwTalkControl;
  }
}
