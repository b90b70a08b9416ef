import path from 'node:path';
import autocannon from 'autocannon';
import type { Device } from '../../protocol/index.js';
import { spawnListening, stopChild } from '../../tests/support/listening-process.js';
import { pairCamera } from '../../tests/support/recording-client.js';
import { TestServer } from '../../tests/support/server.js';
import { cpuTimeMs } from '../processes.js';
import { profileCpu, summarizeProfile } from '../support/cpu-profile.js';
import { openInspector } from '../support/inspector.js';
import { figureMaker, type Figure, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';

/** Concurrent connections of the load. */
export const CONNECTIONS = 100;
/** Cameras in the household listed. */
export const CAMERAS = 3;
/** Goal for Peerwatch's requests/s as a share of the bare node:http baseline's. */
const MIN_RATIO = 0.5;
/** Length of the load run under the CPU profiler, s (shorter than the measured runs: the profiler slows the server). */
const PROFILE_SECONDS = 5;
/** Functions and modules listed from the profile. */
const PROFILE_TOP = 8;

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One autocannon run of `GET url` with the section's connections and the caller's Authorization header. */
export function load(url: string, authorization: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { authorization } });
}

/** A load run against a server process, and the CPU time that process spent per request answered. */
interface LoadRun {
  result: autocannon.Result;
  /** Server CPU time (user + system, /proc) over the run ÷ requests completed, µs. */
  cpuUsPerRequest: number;
}

/** `load` against the server process `pid`, with its CPU time per request. */
async function measuredLoad(pid: number, url: string, authorization: string, seconds: number): Promise<LoadRun> {
  const startCpuMs = cpuTimeMs(pid);
  const result = await load(url, authorization, seconds);
  return { result, cpuUsPerRequest: ((cpuTimeMs(pid) - startCpuMs) * 1_000) / result.requests.total };
}

/** Figures of one load run. */
function runFigures(subject: string, { result, cpuUsPerRequest }: LoadRun): Figure[] {
  const figure = figureMaker('api', (name) => `GET /api/devices, ${CONNECTIONS} connections, ${subject}: ${name}`);
  return [
    figure('requests per second (mean)', result.requests.average, 'req/s'),
    figure('server CPU time per request', cpuUsPerRequest, 'µs'),
    figure('latency p50', result.latency.p50, 'ms'),
    figure('latency p99', result.latency.p99, 'ms'),
    figure('requests completed', result.requests.total, 'count'),
    figure('non-2xx answers', result.non2xx, 'count', 0),
    figure('errors (connection errors and timeouts)', result.errors, 'count', 0),
  ];
}

/**
 * A bare `node:http` server process answering every request with `body`
 * (bench/api/bare-server.ts), under the same load; resolves with the load's result.
 */
async function loadBareServer(body: string, authorization: string, seconds: number): Promise<LoadRun> {
  const { child, port } = await spawnListening(path.join(ROOT, 'bench/api/bare-server.ts'), {
    cwd: ROOT,
    label: 'bare node:http',
    env: { ...process.env, BARE_BODY: body },
  });
  try {
    return await measuredLoad(child.pid!, `http://127.0.0.1:${port}/api/devices`, authorization, seconds);
  } finally {
    await stopChild(child, 'SIGTERM');
  }
}

/**
 * API under load: `GET /api/devices` with a Bearer token, for a
 * household with a few cameras, from 100 concurrent connections (autocannon);
 * requests/s, latency, and every answer that is not a 2xx. The same load then
 * goes to a bare `node:http` server answering the same JSON bytes (the
 * baseline: what Node's HTTP alone costs), and Peerwatch's requests/s is
 * given as a ratio to it, as is the servers' CPU time per request. Last, a shorter run under V8's CPU profiler (over
 * the server's inspector) shows where Peerwatch's time goes: the modules and
 * functions with the most self time.
 */
export const apiSection: Section = {
  name: 'api',
  description:
    `GET /api/devices, ${CONNECTIONS} connections for --api-seconds: requests/s, latency p50/p99, non-2xx and errors, ` +
    'ratio to a bare node:http server, CPU profile',
  async run(options: BenchOptions): Promise<SectionResult> {
    const server = await TestServer.start();
    try {
      const session = await server.register();
      for (let i = 0; i < CAMERAS; i++) await pairCamera(server, session.accessToken, `Bench camera ${i + 1}`);
      const authorization = `Bearer ${session.accessToken}`;
      const url = `http://127.0.0.1:${server.port}/api/devices`;
      const check = await fetch(url, { headers: { authorization } });
      const body = await check.text();
      const devices = JSON.parse(body) as Device[];
      if (check.status !== 200 || devices.length !== CAMERAS) {
        throw new Error(`GET /api/devices answered ${check.status} with ${devices.length} devices before the load`);
      }
      options.log(`api: Peerwatch, ${CONNECTIONS} connections for ${options.apiSeconds} s`);
      const peerwatch = await measuredLoad(server.pid, url, authorization, options.apiSeconds);
      options.log(`api: bare node:http, ${CONNECTIONS} connections for ${options.apiSeconds} s`);
      const bare = await loadBareServer(body, authorization, options.apiSeconds);

      options.log(`api: Peerwatch under the CPU profiler for ${PROFILE_SECONDS} s`);
      const inspector = await openInspector(server.pid);
      const profile = await profileCpu(inspector, async () => {
        await load(url, authorization, PROFILE_SECONDS);
      }).finally(() => inspector.close());
      const summary = summarizeProfile(profile, PROFILE_TOP);

      const ratio = figureMaker('api', (name) => `GET /api/devices, ${CONNECTIONS} connections: ${name}`);
      const cpu = figureMaker('api', (name) => `Peerwatch CPU self time under load, module ${name}`);
      return {
        figures: [
          ...runFigures('Peerwatch', peerwatch),
          ...runFigures('bare node:http, same bytes', bare),
          {
            ...ratio("Peerwatch requests/s ÷ bare node:http's", peerwatch.result.requests.average / bare.result.requests.average, 'ratio'),
            targetMin: MIN_RATIO,
          },
          ratio("bare node:http's CPU time per request ÷ Peerwatch's", bare.cpuUsPerRequest / peerwatch.cpuUsPerRequest, 'ratio'),
          ...summary.modules.map((m) => cpu(m.name, m.percent, '% of busy')),
        ],
        notes: [
          `API load: autocannon ${options.apiSeconds} s per server in the benchmark process on the same cores as the servers. ` +
            `Baseline: a bare node:http server process (bench/api/bare-server.ts) answering every request with the ${body.length} bytes ` +
            'Peerwatch answered, nothing else (no routing, headers, auth, logging). CPU time per request: the server ' +
            "process's user + system time over the run (/proc) ÷ requests completed; its ratio is the requests/s ratio " +
            'the servers would reach on cores of their own, less swayed by other load on the machine.',
          `API CPU profile: V8 sampling profiler over the Peerwatch server's inspector during a ${PROFILE_SECONDS} s run of the ` +
            `same load (idle ${summary.idlePercent.toFixed(0)} % of the samples); self time, % of the busy samples. Top functions: ` +
            summary.functions.map((f) => `${f.name} ${f.percent.toFixed(1)} %`).join('; '),
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
