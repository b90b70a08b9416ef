import { TestServer } from '../../tests/support/server.js';
import { CpuMeter, rssBytes } from '../processes.js';
import type { Figure, SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';
import { percentile } from '../stats.js';
import { StockPeerServer } from '../support/stock-peer.js';
import { collectGarbage } from '../support/inspector-gc.js';
import { GeneratorProcess } from './generator-process.js';
import type { ErrorCounts, GeneratorConfig, SignalingTarget } from './protocol.js';

/** Sockets opened at a time. */
const BATCH_SIZE = 500;
/** OFFERs relayed in the measurement window (each answered), and their rate. */
const OFFERS = 2_000;
const OFFERS_PER_S = 200;
/** Wait after opening, before reading RSS: more than one heartbeat round, ms. */
const SETTLE_MS = 6_000;
/** Sockets opened, used and closed before the idle RSS is read. */
const WARM_UP_PEERS = 200;
/** PeerServer's default `concurrent_limit`. */
const STOCK_DEFAULT_LIMIT = 5_000;

/**
 * Targets: no errors at any size; memory per peer and the
 * Peerwatch/stock ratios at the target's scale (at a few thousand sockets the
 * growth of V8's heap, a few MiB either way, swamps the per-peer figure).
 */
const MAX_KB_PER_PEER = 30;
const MAX_RATIO = 1.5;
const TARGET_SCALE_PEERS = 10_000;

interface ServerUnderLoad {
  pid: number;
  target: SignalingTarget;
  stop(): Promise<void>;
}

/** What one load run measured on one server. */
interface LoadRun {
  opened: number;
  openMs: number;
  /** After the warm-up and a full GC, bytes. */
  idleRssBytes: number;
  /** With the sockets open, before a full GC (garbage of opening them included), bytes. */
  uncollectedRssBytes: number;
  /** With the sockets open, after a full GC, bytes. */
  loadedRssBytes: number;
  heartbeatCpuPercent: number;
  relayCpuPercent: number;
  latenciesMs: number[];
  relayed: number;
  errors: ErrorCounts;
  failures: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startPeerwatch(): Promise<ServerUnderLoad> {
  const server = await TestServer.start();
  const session = await server.register();
  return {
    pid: server.pid,
    target: {
      kind: 'peerwatch',
      baseURLs: [`http://127.0.0.1:${server.port}`],
      authorization: `Bearer ${session.accessToken}`,
    },
    stop: () => server.stop(),
  };
}

async function startStock(peers: number): Promise<ServerUnderLoad> {
  const server = await StockPeerServer.start(peers > STOCK_DEFAULT_LIMIT ? peers : undefined);
  return { pid: server.pid, target: { kind: 'stock', port: server.port }, stop: () => server.stop() };
}

function generatorConfig(target: SignalingTarget, peers: number, offers: number): GeneratorConfig {
  return {
    target,
    peers,
    batchSize: BATCH_SIZE,
    openTimeoutMs: 30_000,
    offers,
    offersPerS: OFFERS_PER_S,
    graceMs: 5_000,
  };
}

/**
 * Opens, uses and closes a few sockets, so that code compiled on first use
 * does not count as memory per peer.
 */
async function warmUp(server: ServerUnderLoad): Promise<void> {
  const generator = GeneratorProcess.spawn();
  try {
    await generator.ask({ type: 'start', config: generatorConfig(server.target, WARM_UP_PEERS, WARM_UP_PEERS) }, 'opened', 60_000);
    await generator.ask({ type: 'relay' }, 'relayed', 60_000);
    await generator.ask({ type: 'close' }, 'closed', 60_000);
  } finally {
    await generator.exit();
  }
}

/** Opens `peers` sockets on a warmed-up server, measures memory, CPU and relay latency, closes them. */
async function loadRun(server: ServerUnderLoad, peers: number): Promise<LoadRun> {
  await warmUp(server);
  await sleep(1_000);
  await collectGarbage(server.pid);
  const idleRssBytes = rssBytes(server.pid);
  const generator = GeneratorProcess.spawn();
  try {
    const config = generatorConfig(server.target, peers, OFFERS);
    const opened = await generator.ask({ type: 'start', config }, 'opened', 300_000);
    const cpu = new CpuMeter(server.pid);
    cpu.start();
    await sleep(SETTLE_MS);
    const heartbeatCpuPercent = cpu.stop();
    const uncollectedRssBytes = rssBytes(server.pid);
    await collectGarbage(server.pid);
    const loadedRssBytes = rssBytes(server.pid);
    cpu.start();
    const relayed = await generator.ask({ type: 'relay' }, 'relayed', 120_000);
    const relayCpuPercent = cpu.stop();
    const closed = await generator.ask({ type: 'close' }, 'closed', 60_000);
    return {
      opened: opened.opened,
      openMs: opened.openMs,
      idleRssBytes,
      uncollectedRssBytes,
      loadedRssBytes,
      heartbeatCpuPercent,
      relayCpuPercent,
      latenciesMs: relayed.latenciesMs,
      relayed: relayed.sent,
      errors: closed.errors,
      failures: opened.failures,
    };
  } finally {
    await generator.exit();
  }
}

function errorTotal(errors: ErrorCounts): number {
  return Object.values(errors).reduce((a, b) => a + b, 0);
}

/** RSS a socket holds, KB: growth from idle to loaded, both after a full GC. */
function kbPerPeer(run: LoadRun, peers: number): number {
  return (run.loadedRssBytes - run.idleRssBytes) / 1024 / peers;
}

/** The same with the garbage of opening the sockets that no GC has freed yet, KB. */
function uncollectedKbPerPeer(run: LoadRun, peers: number): number {
  return (run.uncollectedRssBytes - run.idleRssBytes) / 1024 / peers;
}

function runFigures(label: string, peers: number, run: LoadRun, targets: boolean): Figure[] {
  const at = `${label}, ${peers} peers`;
  const figure = (name: string, value: number, unit: string, targetMax?: number): Figure => ({
    section: 'signaling',
    name: `${name}, ${at}`,
    value,
    unit,
    ...(targets && targetMax !== undefined ? { targetMax } : {}),
  });
  return [
    figure('sockets opened', run.opened, 'count'),
    figure('time to open all sockets', run.openMs / 1000, 's'),
    figure('server RSS idle', run.idleRssBytes / 2 ** 20, 'MiB'),
    figure('server RSS with sockets', run.loadedRssBytes / 2 ** 20, 'MiB'),
    figure('server RSS per peer', kbPerPeer(run, peers), 'KB', peers >= TARGET_SCALE_PEERS ? MAX_KB_PER_PEER : undefined),
    figure('server RSS per peer before a full GC', uncollectedKbPerPeer(run, peers), 'KB'),
    figure('server CPU, heartbeats only', run.heartbeatCpuPercent, '% of a core'),
    figure('server CPU, relaying', run.relayCpuPercent, '% of a core'),
    figure('relay latency p50', percentile(run.latenciesMs, 50), 'ms'),
    figure('relay latency p99', percentile(run.latenciesMs, 99), 'ms'),
    figure('relayed messages', run.relayed, 'count'),
    figure('errors', errorTotal(run.errors), 'count', 0),
  ];
}

function errorNote(label: string, peers: number, run: LoadRun): string | undefined {
  if (errorTotal(run.errors) === 0) return undefined;
  const kinds = Object.entries(run.errors)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const samples = run.failures.length ? `; first failures: ${run.failures.join(' | ')}` : '';
  return `${label}, ${peers} peers: errors ${kinds}${samples}`;
}

/**
 * Signaling scale: N authenticated PeerJS sockets on Peerwatch
 * and the same load on a stock PeerServer; memory per peer, CPU, relay
 * latency of OFFER/ANSWER and errors, and the Peerwatch/stock ratios.
 */
export const signalingSection: Section = {
  name: 'signaling',
  description: 'N signaling sockets (--peers): RSS per peer, CPU, relay latency, errors; Peerwatch vs stock PeerServer',
  async run(options: BenchOptions): Promise<SectionResult> {
    const figures: Figure[] = [];
    const notes = [
      `Load: each server is warmed up first (${WARM_UP_PEERS} sockets opened, used, closed) and then its idle RSS read; ` +
        `sockets opened ${BATCH_SIZE} at a time, HEARTBEAT every 5 s each; RSS read ${SETTLE_MS / 1000} s after the last socket opened; ` +
        'idle RSS and RSS per peer are read after full GCs (HeapProfiler.collectGarbage over the inspector, both servers alike), ' +
        'so they count what the sockets hold; "before a full GC" also counts the garbage of opening them, which V8 frees at its next ' +
        'major GC (seen here 20–25 s later) and so depends on when that comes; ' +
        `then ${OFFERS} OFFERs (~3.3 KB SDP payload) at ${OFFERS_PER_S}/s between fixed pairs, each answered by an ANSWER; ` +
        'relay latency = send to arrival at the destination socket, both in the load generator process.',
      `Stock PeerServer: default settings, except concurrent_limit raised to N when N > ${STOCK_DEFAULT_LIMIT} (its default, which refuses further sockets).`,
    ];
    for (const peers of options.peers) {
      const runs: Record<'Peerwatch' | 'stock peer', LoadRun> = {} as never;
      for (const [label, start] of [
        ['Peerwatch', startPeerwatch],
        ['stock peer', () => startStock(peers)],
      ] as const) {
        options.log(`signaling: ${label}, ${peers} peers`);
        const server = await start();
        try {
          runs[label] = await loadRun(server, peers);
        } finally {
          await server.stop();
        }
        figures.push(...runFigures(label, peers, runs[label], label === 'Peerwatch'));
        const note = errorNote(label, peers, runs[label]);
        if (note) notes.push(note);
      }
      const pw = runs.Peerwatch;
      const stock = runs['stock peer'];
      const ratio = (name: string, value: number, hasTarget = true): Figure => ({
        section: 'signaling',
        name: `${name} Peerwatch/stock, ${peers} peers`,
        value,
        unit: 'ratio',
        ...(hasTarget && peers >= TARGET_SCALE_PEERS ? { targetMax: MAX_RATIO } : {}),
      });
      figures.push(
        ratio('RSS per peer', kbPerPeer(pw, peers) / kbPerPeer(stock, peers)),
        ratio('RSS per peer before a full GC', uncollectedKbPerPeer(pw, peers) / uncollectedKbPerPeer(stock, peers), false),
        ratio('relay latency p50', percentile(pw.latenciesMs, 50) / percentile(stock.latenciesMs, 50)),
        ratio('relay latency p99', percentile(pw.latenciesMs, 99) / percentile(stock.latenciesMs, 99)),
      );
    }
    return { figures, notes };
  },
};
