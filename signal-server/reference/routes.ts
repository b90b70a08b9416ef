import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractRouter } from '../http/contract-router.js';
import { openApiDocument } from './openapi.js';

/** Where swagger-ui-dist keeps its built files. */
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of the reference page: Swagger UI's (from its npm package) and the script that starts it. */
const ASSETS = {
  'swagger-ui.css': { file: path.join(SWAGGER_UI_DIR, 'swagger-ui.css'), type: 'text/css' },
  'swagger-ui-bundle.js': { file: path.join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js'), type: 'text/javascript' },
  'docs.js': { file: fileURLToPath(new URL('./docs.js', import.meta.url)), type: 'text/javascript' },
} as const;

/** The reference page: no inline script or style, so the server's Content-Security-Policy holds as it is. */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Peerwatch API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  </head>
  <body>
    <main id="swagger-ui"></main>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/docs.js"></script>
  </body>
</html>
`;

/**
 * The API reference: `GET /api/openapi.json` (the OpenAPI 3.1 document of the
 * route table, made once) and `GET /api/docs` (Swagger UI over it, served from
 * the `swagger-ui-dist` package, not part of the PWA).
 */
export function referenceRoutes(api: ContractRouter): void {
  const document = openApiDocument();
  api.handle('GET /api/openapi.json', ({ reply }, _req, res) => {
    res.set('Cache-Control', 'no-cache');
    reply(200, document);
  });
  api.handle('GET /api/docs', (_ctx, _req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/html').send(PAGE);
  });
  api.handle('GET /api/docs/:asset', ({ params }, _req, res) => {
    const asset = ASSETS[params.asset];
    res.type(asset.type).sendFile(asset.file, { maxAge: '1h' });
  });
}
