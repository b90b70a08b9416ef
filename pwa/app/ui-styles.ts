import { css } from 'lit';

/**
 * Styles every Peerwatch element shares (buttons, fields, cards, messages),
 * built on the design tokens of `styles.css`. Touch targets are at least 44 px.
 */
export const uiStyles = css`
  :host {
    display: block;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0;
  }
  p {
    margin: 0;
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border: 1px solid var(--pw-border);
    border-radius: 10px;
    background: var(--pw-surface);
    color: var(--pw-text);
    font: inherit;
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
    transition:
      background 0.15s,
      border-color 0.15s;
  }
  button:hover,
  .button:hover {
    background: var(--pw-surface-2);
  }
  button:focus-visible,
  .button:focus-visible,
  input:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--pw-accent) 45%, transparent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  .primary {
    background: var(--pw-accent);
    border-color: var(--pw-accent);
    color: #fff;
  }
  .primary:hover {
    background: var(--pw-accent-hover);
  }
  .danger {
    color: var(--pw-danger);
  }
  .danger.solid {
    background: var(--pw-danger);
    border-color: var(--pw-danger);
    color: #fff;
  }
  .card {
    background: var(--pw-surface);
    border: 1px solid var(--pw-border);
    border-radius: var(--pw-radius);
    box-shadow: var(--pw-shadow);
    padding: 1.25rem;
  }
  .muted {
    color: var(--pw-muted);
  }
  .field {
    display: grid;
    gap: 0.35rem;
  }
  label {
    font-weight: 600;
    font-size: 0.95rem;
  }
  input {
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--pw-border);
    border-radius: 10px;
    background: var(--pw-surface);
    color: var(--pw-text);
    font: inherit;
    width: 100%;
  }
  .error {
    padding: 0.75rem 1rem;
    border-radius: 10px;
    background: var(--pw-danger-soft);
    color: var(--pw-danger);
    font-weight: 500;
  }
  .notice {
    padding: 0.75rem 1rem;
    border-radius: 10px;
    background: var(--pw-accent-soft);
    color: var(--pw-text);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .brand {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 750;
    font-size: 1.15rem;
    letter-spacing: -0.01em;
    color: var(--pw-text);
    text-decoration: none;
  }
  .brand-mark {
    width: 1.6rem;
    height: 1.6rem;
    border-radius: 8px;
    background: var(--pw-accent);
    position: relative;
    flex: none;
  }
  .brand-mark::after {
    content: '';
    position: absolute;
    inset: 0.45rem;
    border-radius: 50%;
    background: #fff;
    box-shadow: 0 0 0 0.18rem color-mix(in srgb, var(--pw-accent) 60%, #000);
  }
  .stage {
    position: relative;
    border-radius: var(--pw-radius);
    overflow: hidden;
    background: #0b1015;
  }
  .stage video {
    width: 100%;
    height: 100%;
    object-fit: contain;
    display: block;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** Layout of a panel (add camera, recordings): a column of blocks under a heading row with its actions. */
export const panelStyles = css`
  section {
    display: grid;
    gap: 1rem;
  }
  h2 {
    font-size: 1.2rem;
  }
  .head {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 0.75rem;
    flex-wrap: wrap;
  }
`;

/**
 * A list (`ul`) shown as a grid of cards, as many columns as fit; a card is at
 * least `--card-min-width` wide (default 15rem), or the whole width when less fits.
 * `.facts` is a card's line of small facts (camera, time, duration).
 */
export const cardGridStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--card-min-width, 15rem)), 1fr));
    gap: 0.75rem;
  }
  .facts {
    display: flex;
    flex-wrap: wrap;
    gap: 0.15rem 0.75rem;
    font-size: 0.9rem;
    color: var(--pw-muted);
  }
`;

/** A page whose one `main` holds a card in the middle of the screen (sign-in, joining a household). */
export const centeredPageStyles = css`
  main {
    min-height: 100vh;
    display: grid;
    place-items: center;
    padding: 1.5rem 1rem;
  }
`;
