import { html } from 'lit';

/**
 * The heading row of a viewer panel: its `<h2 id=${id}>` (the panel's
 * section is `aria-labelledby` it) and a "Close" button that fires `close`
 * on `panel`.
 */
export function panelHeading(panel: EventTarget, id: string, title: string) {
  return html`<div class="head">
    <h2 id=${id}>${title}</h2>
    <button @click=${() => panel.dispatchEvent(new Event('close'))}>Close</button>
  </div>`;
}
