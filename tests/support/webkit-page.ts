import type { WebDriver, WebElement } from 'selenium-webdriver';

/**
 * Reading and driving a Peerwatch page under WebDriver (W3C WebDriver
 * classic, e.g. WebKitWebDriver), through the open shadow roots of its Lit
 * elements: WebDriver's own element search stops at each shadow root, so
 * elements are found by a script and then clicked and typed into by
 * WebDriver itself (a found element's reference works across shadow roots,
 * W3C WebDriver §12.1).
 */

/** Every text the page shows, shadow roots included, with runs of white space folded to one space. */
export async function pageText(driver: WebDriver): Promise<string> {
  return driver.executeScript<string>(() => {
    const text = (node: Node): string => {
      let out = '';
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out += child.textContent ?? '';
        else if (child instanceof HTMLElement && !['STYLE', 'SCRIPT'].includes(child.tagName)) out += ` ${text(child)} `;
      }
      if (node instanceof Element && node.shadowRoot) out += ` ${text(node.shadowRoot)} `;
      return out;
    };
    return text(document.body).replace(/\s+/g, ' ');
  });
}

/** Waits until the page shows `expected` (a substring or a pattern). @throws Error with the page's text after `timeoutMs` */
export async function waitForText(driver: WebDriver, expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await pageText(driver);
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the page did not show ${String(expected)} within ${timeoutMs} ms; it shows: ${last}`);
}

/**
 * The first element matching the CSS `selector` whose accessible-name-like
 * text (`aria-label`, `alt`, its label's text, or its own text, trimmed) is `name` (or matches it),
 * searched through every open shadow root, and scrolls it to the middle of
 * the viewport. Waits for it up to `timeoutMs`.
 * @throws Error when there is none by then
 */
export async function findByName(
  driver: WebDriver,
  selector: string,
  name: string | RegExp,
  timeoutMs = 15_000,
): Promise<WebElement> {
  const wanted = typeof name === 'string' ? { exact: name } : { pattern: name.source, flags: name.flags };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await driver.executeScript<WebElement | null>(
      (css: string, wanted: { exact?: string; pattern?: string; flags?: string }) => {
        const pattern = wanted.pattern === undefined ? null : new RegExp(wanted.pattern, wanted.flags);
        const matches = (text: string) => (pattern ? pattern.test(text) : text === wanted.exact);
        const nameOf = (el: Element): string => {
          const label = el.getAttribute('aria-label') ?? el.getAttribute('alt');
          if (label) return label.trim();
          const id = el.getAttribute('id');
          const root = el.getRootNode() as Document | ShadowRoot;
          const byFor = id ? root.querySelector(`label[for="${id}"]`) : null;
          const wrapping = el.closest('label');
          return (byFor ?? wrapping ?? el).textContent?.replace(/\s+/g, ' ').trim() ?? '';
        };
        const search = (root: Document | ShadowRoot): Element | null => {
          for (const el of root.querySelectorAll(css)) if (matches(nameOf(el))) return el;
          for (const host of root.querySelectorAll('*')) {
            if (host.shadowRoot) {
              const inner = search(host.shadowRoot);
              if (inner) return inner;
            }
          }
          return null;
        };
        const found = search(document);
        // In the middle of the viewport, where a click reaches it (not under a sticky header).
        found?.scrollIntoView({ block: 'center' });
        return found;
      },
      selector,
      wanted,
    );
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${selector} named ${String(name)} within ${timeoutMs} ms; the page shows: ${await pageText(driver)}`);
}
