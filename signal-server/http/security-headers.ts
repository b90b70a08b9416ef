import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * HTTP security headers (helmet) with a Content-Security-Policy that fits the
 * PWA: own scripts only (and WebAssembly compiled from them:
 * `'wasm-unsafe-eval'`, CSP Level 3, for the camera's person model), WebSocket and fetch to the own origin, camera video
 * and recordings from blob: URLs, QR codes and snapshots as data:/blob: images.
 * `upgrade-insecure-requests` and HSTS stay off so plain HTTP on the LAN works.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", "'wasm-unsafe-eval'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'media-src': ["'self'", 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'worker-src': ["'self'", 'blob:'],
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
