/**
 * Prints, as one JSON line, every `"<METHOD> <path>"` the composed Peerwatch
 * app (the real `createPeerwatchServer`, a real SQLite store, nothing
 * listening) mounts, read from Express's router stack; then exits. A process
 * of its own because the `peer` package's PeerServer keeps timers that
 * nothing can stop, which would keep a test process alive.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createPeerwatchServer } from '../../signal-server/app.js';
import { loadConfig } from '../../signal-server/config.js';
import { createLogger } from '../../signal-server/logger.js';
import { openSqliteStore } from '../../signal-server/store/sqlite-store.js';

/** Express 5 (router 2) layers, as far as the walk below reads them. */
interface Layer {
  rawPath?: string | RegExp;
  slash?: boolean;
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `"<METHOD> <path>"` mounted in a router stack, nested routers included. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const { path: routePath, methods } = layer.route;
      return Object.keys(methods).map((method) => `${method.toUpperCase()} ${prefix}${String(routePath)}`);
    }
    if (!layer.handle.stack) return [];
    const mountPath = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath;
    return mountedRoutes(layer.handle.stack, prefix + mountPath);
  });
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'peerwatch-routes-'));
const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'routes' });
const server = createPeerwatchServer(config, openSqliteStore(path.join(dataDir, 'peerwatch.sqlite')), createLogger('silent'));
const routes = mountedRoutes((server.app as Express & { router: { stack: Layer[] } }).router.stack);
await server.close();
process.stdout.write(`${JSON.stringify(routes)}\n`);
process.exit(0);
