import { css } from 'lit';

/**
 * An on/off switch: `<label class="switch"><input type="checkbox" role="switch"><span>Name</span></label>`.
 * The checkbox stays a real, focusable control (keyboard and screen readers);
 * the track and knob are drawn on it. At least 44 px tall.
 */
export const switchStyles = css`
  .switch {
    display: inline-flex;
    align-items: center;
    gap: 0.6rem;
    min-height: 44px;
    cursor: pointer;
    font-weight: 650;
  }
  .switch input {
    appearance: none;
    position: relative;
    flex: none;
    width: 3rem;
    height: 1.75rem;
    min-height: 0;
    margin: 0;
    padding: 0;
    border: none;
    border-radius: 999px;
    background: var(--pw-border);
    cursor: pointer;
    transition: background 0.15s;
  }
  .switch input::after {
    content: '';
    position: absolute;
    top: 0.2rem;
    left: 0.2rem;
    width: 1.35rem;
    height: 1.35rem;
    border-radius: 50%;
    background: #fff;
    box-shadow: 0 1px 3px rgb(0 0 0 / 30%);
    transition: transform 0.15s;
  }
  .switch input:checked {
    background: var(--pw-live);
  }
  .switch input:checked::after {
    transform: translateX(1.25rem);
  }
  .switch input:disabled {
    opacity: 0.55;
    cursor: default;
  }
`;
