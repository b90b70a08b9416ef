/**
 * Entry point: defines the elements index.html uses (the app shell
 * `<pw-app>`, `<pw-offline-notice>`, `<pw-update-banner>`) and registers the
 * service worker that makes the app work offline.
 */
import './app/pw-app.js';
import './app/offline-notice.js';
import './app/update-banner.js';
import { registerServiceWorker } from './app/service-worker.js';

registerServiceWorker((activate) => {
  const banner = document.querySelector('pw-update-banner');
  if (banner) banner.activate = activate;
});
