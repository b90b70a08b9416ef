/// <reference types="vite/client" />
import { Workbox } from 'workbox-window';
import { log } from '../shared/logger.js';

/** The service worker's URL (built from `pwa/sw.ts`); its scope is the whole origin. */
const SERVICE_WORKER_URL = '/sw.js';
/** How often a long-open page (e.g. a camera left running) asks the server for a new version, ms. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Registers the service worker that makes the app work offline (production
 * builds only; `npm run dev` has none) and reports new versions.
 *
 * A new version installs in the background and waits; `onUpdateWaiting`
 * receives `activate`, which tells the waiting worker to take over
 * (`SKIP_WAITING`) and reloads the page once it controls it. Nothing is
 * swapped until `activate` is called. Browsers check for a new `/sw.js` on
 * navigations; this also checks every `UPDATE_CHECK_INTERVAL_MS`.
 */
export function registerServiceWorker(onUpdateWaiting: (activate: () => void) => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const workbox = new Workbox(SERVICE_WORKER_URL);
  const activate = () => {
    workbox.addEventListener('controlling', () => location.reload());
    workbox.messageSkipWaiting();
  };
  workbox.addEventListener('waiting', () => onUpdateWaiting(activate));
  workbox.register().then(
    () =>
      setInterval(
        () => workbox.update().catch((error: unknown) => log.debug('service worker: update check failed', error)),
        UPDATE_CHECK_INTERVAL_MS,
      ),
    (error: unknown) => log.warn('Peerwatch could not register its service worker; it will not work offline.', error),
  );
}
