import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { uiStyles } from '../app/ui-styles.js';
import { WhileConnected } from '../shared/while-connected.js';
import type { TalkBack } from './talk-back.js';

/**
 * The camera page's talk-back line: holds `talkBack`'s `<audio>` element,
 * says "Talking…" with who talks while a viewer's voice plays, and, when the
 * browser will not play sound before a tap, says so and offers the tap
 * ("Allow talk-back sound"). Shows nothing while nobody talks.
 */
@customElement('pw-talk-back')
export class PwTalkBack extends LitElement {
  static override styles = [
    uiStyles,
    css`
      .talk {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) talkBack!: TalkBack;

  constructor() {
    super();
    new WhileConnected(this, () => this.talkBack.on('change', () => this.requestUpdate()));
  }

  override render() {
    const { state, element } = this.talkBack;
    return html`${element}
      <div class="talk" role="status">
        ${state.kind === 'connecting' ? html`<span>${state.talker} is about to talk…</span>` : nothing}
        ${state.kind === 'playing' ? html`<span>Talking… ${state.talker}</span>` : nothing}
        ${state.kind === 'needs-tap'
          ? html`<span>${state.talker} is talking. This browser plays sound only after a tap on this page.</span>
              <button class="primary" @click=${() => this.talkBack.allowSound()}>Allow talk-back sound</button>`
          : nothing}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pw-talk-back': PwTalkBack;
  }
}
