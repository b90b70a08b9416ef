import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Gauge, collectDefaultMetrics } from 'prom-client';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { SignalingServer } from '../signaling/signaling-server.js';
import type { ServerCounters } from './server-counters.js';

/** What the metrics read when Prometheus scrapes. */
export interface MetricSources {
  signaling: SignalingServer;
  presence: PresenceTracker;
  /** The counters the features keep; their registry is the one scraped. */
  counters: ServerCounters;
}

/**
 * The server's Prometheus metrics (the maintained `prom-client`): Node's
 * process metrics, the open signaling sockets, the cameras online, HTTP
 * requests by route (the route table's `<METHOD> <path>`, or `unmatched`) and
 * status, and what `ServerCounters` counts (calls relayed, chunks and bytes
 * stored, camera events, push messages by outcome). `countRequests` is the middleware that counts; `scrape` answers
 * `GET /metrics` in the text exposition format (Prometheus "Exposition
 * formats", text 0.0.4) to `Authorization: Bearer <METRICS_TOKEN>` only (401
 * otherwise); with no token set it answers 404, as if there were no metrics.
 */
export function createMetrics(sources: MetricSources, metricsToken: string | null): { countRequests: RequestHandler; scrape: RequestHandler } {
  const registry = sources.counters.registry;
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'peerwatch_signaling_sockets',
    help: 'Open PeerJS signaling sockets (cameras and viewer pages).',
    registers: [registry],
    collect() {
      this.set(sources.signaling.socketCount);
    },
  });
  new Gauge({
    name: 'peerwatch_cameras_online',
    help: 'Cameras with an open signaling socket (on any instance, with REDIS_URL).',
    registers: [registry],
    collect() {
      this.set(sources.presence.onlineCount);
    },
  });
  const requests = new Counter({
    name: 'peerwatch_http_requests_total',
    help: 'HTTP requests answered, by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });

  const countRequests: RequestHandler = (req, res, next) => {
    res.once('close', () => {
      // Express sets `req.route` for a matched route: its path is the table's, relative to the router's mount.
      const path = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' ? `${req.method} ${req.baseUrl}${path}` : 'unmatched';
      requests.inc({ route, status: String(res.statusCode) });
    });
    next();
  };

  const expected = metricsToken === null ? null : digest(`Bearer ${metricsToken}`);
  const scrape: RequestHandler = async (req, res) => {
    if (expected === null) {
      res.status(404).json({ error: { code: 'not_found', message: 'Metrics are off: set METRICS_TOKEN.' } });
      return;
    }
    if (!timingSafeEqual(digest(req.get('authorization') ?? ''), expected)) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' } });
      return;
    }
    res.set({ 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).send(await registry.metrics());
  };
  return { countRequests, scrape };
}

/** SHA-256 of a header value: equal-length inputs for `timingSafeEqual`, whatever was sent. */
const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
