import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { PostgresServer } from '../../tests/support/postgres-server.js';
import { RedisServer } from '../../tests/support/redis-server.js';
import { spawnListening, stopChild, type ListeningProcess } from '../../tests/support/listening-process.js';
import { registerAt, requestJson } from '../../tests/support/server.js';
import { rssBytes } from '../processes.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import { percentile } from '../stats.js';
import { GeneratorProcess } from '../signaling/generator-process.js';
import type { ErrorCounts, GeneratorConfig, PairScheme } from '../signaling/protocol.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Peerwatch instances of the cluster. */
const INSTANCES = 3;
/** OFFERs per relay phase (each answered), and their rate. */
const OFFERS = 2_000;
const OFFERS_PER_S = 200;
/** Goal for the cross-instance relay latency p50 on loopback, ms. */
const MAX_CROSS_P50_MS = 2;
/** Wait after opening, before reading RSS: more than one heartbeat round, ms. */
const SETTLE_MS = 6_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The relay phases, each on the same open sockets: pairs within one instance, then pairs on two different instances. */
const PHASES: { scheme: PairScheme; label: string }[] = [
  { scheme: 'same-instance', label: 'within one instance' },
  { scheme: 'cross-instance', label: 'across instances' },
];

/** A Peerwatch instance process of the run (bench/cluster/instance-main.ts). */
type Instance = ListeningProcess & { baseURL: string };

/** Starts the instances one after the other (the first runs the shared database's migrations). */
async function startInstances(root: string, databaseUrl: string, redisUrl: string): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const started = await spawnListening(path.join(ROOT, 'bench/cluster/instance-main.ts'), {
      cwd: ROOT,
      label: `instance ${i}`,
      env: {
        ...process.env,
        PORT: '0',
        HTTPS: 'off',
        LOG_LEVEL: 'warn',
        DATA_DIR: path.join(root, `instance-${i}`),
        DATABASE_URL: databaseUrl,
        JWT_SECRET: 'cluster bench',
        REDIS_URL: redisUrl,
      },
    });
    instances.push({ ...started, baseURL: `http://127.0.0.1:${started.port}` });
  }
  return instances;
}

/**
 * Resident memory of all instances together, bytes, without forcing a GC
 * (the inspector that `collectGarbage` opens listens on one fixed port,
 * which a second process cannot take while the first keeps it).
 */
function totalRss(instances: Instance[]): number {
  return instances.reduce((total, { child }) => total + rssBytes(child.pid!), 0);
}

function errorTotal(errors: ErrorCounts): number {
  return Object.values(errors).reduce((a, b) => a + b, 0);
}

/**
 * Signaling relay across Peerwatch instances: a Redis server and `INSTANCES` (3)
 * instance processes (signaling across instances on that Redis, one shared
 * throwaway PostgreSQL database), `peers` viewer sockets of one household spread over them
 * (HEARTBEAT every 5 s each), then OFFER/ANSWER between sockets of the same
 * instance and between sockets of different instances; relay latency
 * p50/p99 of each, RSS per peer and errors (EXPIREs among them: a false
 * "peer unavailable" would count there).
 */
export async function measureSignalingRelay(peers: number, log: (message: string) => void): Promise<SectionResult> {
  const loadAtStart = loadavg()[0]!;
  const root = mkdtempSync(path.join(tmpdir(), 'peerwatch-bench-cluster-'));
  const [postgres, redis] = await Promise.all([PostgresServer.start(), RedisServer.start()]);
  const instances: Instance[] = [];
  const generator = GeneratorProcess.spawn();
  try {
    instances.push(...(await startInstances(root, await postgres.newDatabase(), redis.url)));
    const first = instances[0]!;
    const session = await registerAt({ port: first.port, request: (method, urlPath, init) => requestJson(first.baseURL, method, urlPath, init) });
    const idleRssBytes = totalRss(instances);
    const config: GeneratorConfig = {
      target: { kind: 'peerwatch', baseURLs: instances.map((instance) => instance.baseURL), authorization: `Bearer ${session.accessToken}` },
      peers,
      batchSize: 500,
      openTimeoutMs: 30_000,
      offers: OFFERS,
      offersPerS: OFFERS_PER_S,
      graceMs: 5_000,
    };
    log(`cluster: ${peers} signaling peers over ${INSTANCES} instances`);
    const opened = await generator.ask({ type: 'start', config }, 'opened', 300_000);
    await sleep(SETTLE_MS);
    const loadedRssBytes = totalRss(instances);
    const figure = figureMaker('cluster', (name) => `signaling ${name}, ${INSTANCES} instances, ${peers} peers`);
    const figures: Figure[] = [
      figure('sockets opened', opened.opened, 'count'),
      figure('instances RSS per peer, before a full GC', (loadedRssBytes - idleRssBytes) / 1024 / peers, 'KB'),
    ];
    for (const { scheme, label } of PHASES) {
      log(`cluster: relay ${label}`);
      const relayed = await generator.ask({ type: 'relay', pairs: scheme }, 'relayed', 120_000);
      figures.push(
        figure(`relay latency p50 ${label}`, percentile(relayed.latenciesMs, 50), 'ms', scheme === 'cross-instance' ? MAX_CROSS_P50_MS : undefined),
        figure(`relay latency p99 ${label}`, percentile(relayed.latenciesMs, 99), 'ms'),
        figure(`relayed messages ${label}`, relayed.sent, 'count'),
      );
    }
    const { errors } = await generator.ask({ type: 'close' }, 'closed', 60_000);
    figures.push(figure('errors', errorTotal(errors), 'count', 0));
    const kinds = Object.entries(errors).filter(([, n]) => n > 0);
    const notes = [
      `Signaling relay: ${INSTANCES} Peerwatch processes on one Redis and one PostgreSQL database (loopback); ` +
        `sockets opened alternately on each; per phase ${OFFERS} OFFERs (~3.3 KB SDP) at ${OFFERS_PER_S}/s, each answered; ` +
        'latency = send to arrival at the destination socket, both in the load generator; across instances a message goes ' +
        'sender → its instance → Redis PUBLISH → the other instance → addressee. RSS per peer: growth of all instances together ' +
        `from before the sockets opened to ${SETTLE_MS / 1000} s after, with no GC forced (garbage of opening them included). ` +
        `1-minute load average at the start: ${loadAtStart.toFixed(1)} (on a busy machine p99 mostly shows scheduling delays).`,
      ...(kinds.length ? [`signaling relay errors: ${kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}; ${opened.failures.join(' | ')}`] : []),
    ];
    return { figures, notes };
  } finally {
    await generator.exit();
    for (const instance of instances) await stopChild(instance.child, 'SIGTERM');
    await Promise.all([redis.stop(), postgres.stop()]);
  }
}
