import path from 'node:path';
import { existsSync } from 'node:fs';
import express, { Router } from 'express';

/**
 * Serves the built PWA from `publicDir`: hashed assets cached for a year,
 * everything else revalidated, and the app shell (`index.html`) for any other
 * GET path that is not an API or signaling path, so deep links like
 * `/pair#<token>` and `/camera` open the app. The service worker `/sw.js`
 * is sent with `Cache-Control: no-cache`, so a new version is seen at once.
 */
export function staticPwa(publicDir: string): Router {
  const router = Router();
  const indexFile = path.join(publicDir, 'index.html');
  const serviceWorkerFile = path.resolve(publicDir, 'sw.js');
  router.use(
    '/assets',
    express.static(path.join(publicDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  router.use(
    express.static(publicDir, {
      maxAge: 0,
      index: 'index.html',
      setHeaders: (res, filePath) => {
        if (filePath === serviceWorkerFile) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.get(/^\/(?!api\/|peerjs\/).*/, (_req, res, next) => {
    if (!existsSync(indexFile)) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(indexFile);
  });
  return router;
}
