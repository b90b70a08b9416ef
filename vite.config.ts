import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Where `npm run dev` forwards API and PeerJS signaling traffic (a server started with `npm run serve`). */
const DEV_SERVER_TARGET = 'http://localhost:8080';

/**
 * Builds the PWA from `pwa/` into `dist/`, which the Peerwatch server serves.
 * Large libraries (ZXing, hls.js, qrcode) are loaded with dynamic `import()`
 * where they are used, so they land in their own chunks off the first load.
 * `dist/.vite/manifest.json` lists the chunks (the bench reads the first load from it).
 * The service worker `pwa/sw.ts` is built to `dist/sw.js` with the precache list of
 * every built file injected (the web app manifest is `public/manifest.webmanifest`;
 * `pwa/app/service-worker.ts` registers the worker).
 * `person-model/` names the folder of model files in `@vladmandic/human` (its
 * package exports do not list them); the camera's person model
 * (`pwa/camera/motion/person-model.ts`) imports its files from there with `?url`,
 * so they are part of the build and never fetched from elsewhere.
 */
export default defineConfig({
  root: 'pwa',
  publicDir: '../public',
  resolve: {
    alias: { 'person-model': fileURLToPath(new URL('./node_modules/@vladmandic/human/models', import.meta.url)) },
  },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // The big chunks are the lazily loaded libraries (ZXing about 480 kB, hls.js about 580 kB);
    // the first load stays near 210 kB.
    chunkSizeWarningLimit: 600,
    manifest: true,
  },
  // The motion worker (pwa/camera/motion/motion-worker.ts) is an ES module worker.
  worker: { format: 'es' },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,png,svg,webmanifest}'],
      },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: DEV_SERVER_TARGET },
      '/peerjs': { target: DEV_SERVER_TARGET, ws: true },
    },
  },
});
