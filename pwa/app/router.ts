/**
 * The app's pages. `/pair#<token>` and `/invite#<token>` carry their token in
 * the fragment, which never reaches a server.
 */
export type Route =
  | { page: 'start' }
  | { page: 'viewer' }
  | { page: 'camera' }
  | { page: 'pair'; token: string }
  | { page: 'invite'; token: string }
  | { page: 'not-found' };

/** Fired on `window` after `navigate()` changed the URL. */
const NAVIGATE_EVENT = 'pw-navigate';

/** The route of a URL. */
export function routeOf(url: URL | Location): Route {
  switch (url.pathname.replace(/\/+$/, '') || '/') {
    case '/':
      return { page: 'start' };
    case '/viewer':
      return { page: 'viewer' };
    case '/camera':
      return { page: 'camera' };
    case '/pair':
      return { page: 'pair', token: decodeURIComponent(url.hash.slice(1)) };
    case '/invite':
      return { page: 'invite', token: decodeURIComponent(url.hash.slice(1)) };
    default:
      return { page: 'not-found' };
  }
}

/** Moves to an in-app path without reloading (History API). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * Calls `onChange` whenever the route changes (back/forward, `navigate()`),
 * and turns clicks on same-origin links (also inside shadow roots) into
 * `navigate()` calls. @returns a function that stops listening.
 */
export function watchRoute(onChange: (route: Route) => void): () => void {
  const changed = () => onChange(routeOf(location));
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!anchor || anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search + anchor.hash);
  };
  window.addEventListener('popstate', changed);
  window.addEventListener(NAVIGATE_EVENT, changed);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', changed);
    window.removeEventListener(NAVIGATE_EVENT, changed);
    document.removeEventListener('click', onClick);
  };
}
