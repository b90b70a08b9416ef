/// <reference lib="webworker" />
/**
 * Peerwatch's service worker, built by vite-plugin-pwa (injectManifest) to
 * `/sw.js`. It makes the app open with no network:
 * - precaches the app shell: every built file (HTML, JS and CSS chunks,
 *   including the lazily loaded ZXing and hls.js chunks, icons, manifest),
 *   listed with revisions in `self.__WB_MANIFEST` at build time;
 * - answers page navigations (`/`, `/viewer`, `/camera`, `/pair`) with the
 *   cached `index.html`, except under `/api/` and `/peerjs/`;
 * - keeps the camera's person model files (MoveNet's weights, TensorFlow.js's
 *   `.wasm`; too big to precache for every viewer) once a camera fetched
 *   them (cache first: their names carry a content hash), so a camera
 *   reloaded with no network still finds people;
 * - caches nothing else: API answers, the event stream (SSE), recordings and
 *   signaling always go to the network.
 *
 * It also shows Web Push messages as notifications (`handlePushNotifications`).
 *
 * A new version installs and then waits; it takes over only when the page
 * sends `{type: 'SKIP_WAITING'}` (the user pressed "Reload"), so the app
 * never swaps versions under the user.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { ExpirationPlugin } from 'workbox-expiration';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { handlePushNotifications } from './sw-notifications.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] };

/** Paths that are never answered with the app shell: the API (JSON, SSE, HLS) and PeerJS signaling. */
const NETWORK_ONLY_PATHS = [/^\/api(\/|$)/, /^\/peerjs(\/|$)/];

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: NETWORK_ONLY_PATHS }));

/** The person model's files in the build (`pwa/camera/motion/person-model.ts`). */
const PERSON_MODEL_FILES = /^\/assets\/(movenet-lightning|tfjs-backend-wasm)[\w-]*\.(bin|json|wasm)$/;
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && PERSON_MODEL_FILES.test(url.pathname),
  // Room for one build's files (model, weights, three .wasm) and the next's, while both may be in use.
  new CacheFirst({ cacheName: 'peerwatch-person-model', plugins: [new ExpirationPlugin({ maxEntries: 10 })] }),
);

// The first version controls the page that installed it at once; later versions wait for SKIP_WAITING.
clientsClaim();

handlePushNotifications(self);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
