import type autocannon from 'autocannon';
import type { Device } from '../../protocol/index.js';
import { Cluster } from '../../tests/support/cluster.js';
import { pairCamera } from '../../tests/support/recording-client.js';
import { bearer } from '../../tests/support/server.js';
import { CAMERAS, CONNECTIONS, load } from '../api/section.js';
import { cpuTimeMs } from '../processes.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';

/** Peerwatch instances behind haproxy. */
const INSTANCES = 3;
/** Load through haproxy before the measured runs, so that every instance has warmed up (JIT-compiled its routes), s. */
const WARM_UP_SECONDS = 2;

/** A load run and the CPU time each instance spent during it. */
interface ClusterLoadRun {
  result: autocannon.Result;
  /** CPU time (user + system, /proc) of each instance over the run, ms, in instance order. */
  instanceCpuMs: number[];
}

/** `load` against `url`, with the CPU time every instance of `cluster` spent meanwhile. */
async function measuredLoad(cluster: Cluster, url: string, authorization: string, seconds: number): Promise<ClusterLoadRun> {
  const startCpuMs = cluster.instances.map((instance) => cpuTimeMs(instance.pid));
  const result = await load(url, authorization, seconds);
  return { result, instanceCpuMs: cluster.instances.map((instance, i) => cpuTimeMs(instance.pid) - startCpuMs[i]!) };
}

/** Figures of one run, named after the way it reached the instances. */
function runFigures(subject: string, { result, instanceCpuMs }: ClusterLoadRun): Figure[] {
  const figure = figureMaker('cluster', (name) => `API GET /api/devices, ${CONNECTIONS} connections, ${subject}: ${name}`);
  const cpuMs = instanceCpuMs.reduce((a, b) => a + b, 0);
  return [
    figure('requests per second (mean)', result.requests.average, 'req/s'),
    figure("instances' CPU time per request", (cpuMs * 1_000) / result.requests.total, 'µs'),
    figure('latency p50', result.latency.p50, 'ms'),
    figure('latency p99', result.latency.p99, 'ms'),
    figure('requests completed', result.requests.total, 'count'),
    figure('non-2xx answers', result.non2xx, 'count', 0),
    figure('errors (connection errors and timeouts)', result.errors, 'count', 0),
  ];
}

/** Each instance's share of the instances' CPU time over a run, as `42 %, 30 %, 28 %`. */
function cpuShares({ instanceCpuMs }: ClusterLoadRun): string {
  const total = instanceCpuMs.reduce((a, b) => a + b, 0);
  return instanceCpuMs.map((ms) => `${((ms / total) * 100).toFixed(0)} %`).join(', ');
}

/**
 * API requests/s of a cluster: three Peerwatch instances on one throwaway
 * PostgreSQL database and one Redis (tests/support/cluster.ts, as
 * deploy/README.md runs them) with haproxy in front (the deployment's
 * deploy/haproxy/haproxy.cfg, leastconn). The API section's load
 * (`GET /api/devices` with a Bearer token for a household of a few cameras,
 * autocannon with its connections for `seconds`), after a short warm-up, goes first to one instance
 * directly, then through haproxy; requests/s, latency, non-2xx and errors of
 * each, the instances' CPU time per request, and the ratio of the two
 * requests/s figures.
 * @throws Error when the cluster does not start or the household's device list is wrong before the load
 */
export async function measureApiThroughHaproxy(seconds: number, log: (message: string) => void): Promise<SectionResult> {
  const cluster = await Cluster.start({ instances: INSTANCES });
  try {
    const direct = cluster.instance(1);
    const session = await direct.register();
    for (let i = 0; i < CAMERAS; i++) await pairCamera(direct, session.accessToken, `Bench camera ${i + 1}`);
    const authorization = bearer(session);
    const directURL = `http://127.0.0.1:${direct.port}/api/devices`;
    const proxiedURL = `http://127.0.0.1:${cluster.haproxy.port}/api/devices`;
    for (const url of [directURL, proxiedURL]) {
      const check = await fetch(url, { headers: { authorization } });
      const devices = (await check.json()) as Device[];
      if (check.status !== 200 || devices.length !== CAMERAS) {
        throw new Error(`GET ${url} answered ${check.status} with ${devices.length} devices before the load`);
      }
    }
    log(`cluster: API warm-up through haproxy for ${WARM_UP_SECONDS} s`);
    await load(proxiedURL, authorization, WARM_UP_SECONDS);
    log(`cluster: API, one instance directly, ${CONNECTIONS} connections for ${seconds} s`);
    const alone = await measuredLoad(cluster, directURL, authorization, seconds);
    log(`cluster: API through haproxy to ${INSTANCES} instances, ${CONNECTIONS} connections for ${seconds} s`);
    const proxied = await measuredLoad(cluster, proxiedURL, authorization, seconds);
    const ratio = figureMaker('cluster', (name) => `API GET /api/devices, ${CONNECTIONS} connections: ${name}`);
    return {
      figures: [
        ...runFigures('one instance directly', alone),
        ...runFigures(`haproxy to ${INSTANCES} instances`, proxied),
        ratio(`requests/s through haproxy to ${INSTANCES} instances ÷ one instance directly`, proxied.result.requests.average / alone.result.requests.average, 'ratio'),
      ],
      notes: [
        `API through haproxy: ${INSTANCES} Peerwatch processes on one PostgreSQL database and one Redis (loopback), haproxy 2.6 with ` +
          `deploy/haproxy/haproxy.cfg (leastconn, health checks on /healthz); the API section's load (autocannon, ${CONNECTIONS} connections, ` +
          `${seconds} s per run) from the benchmark process, after ${WARM_UP_SECONDS} s of it through haproxy to warm every instance up, first to instance 1 directly, then through haproxy. All of it shares the ` +
          "machine's cores, so haproxy and two more instances compete with the load generator rather than add cores: the ratio shows the " +
          "cost of the extra hop here, not how far more machines would scale. Instances' CPU time: user + system (/proc) of all instances " +
          `over the run ÷ requests completed (haproxy's own not included). Share of that CPU time per instance, directly: ${cpuShares(alone)}; ` +
          `through haproxy: ${cpuShares(proxied)}.`,
      ],
    };
  } finally {
    await cluster.stop();
  }
}
