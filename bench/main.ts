/**
 * `npm run bench`: Peerwatch's benchmarks. Prints the machine, the versions
 * under test and every figure with its unit (and target, where there is one)
 * as a table. Measures only: exits 0 unless a section crashed.
 *
 *   tsx bench/main.ts [--only signaling,presence] [--peers 1000,5000]
 *                     [--trials 20] [--api-seconds 10] [--cluster-peers 1000]
 *                     [--json out.json]
 */
import { parseArgs } from 'node:util';
import { apiSection } from './api/section.js';
import { bundleSection } from './bundle/section.js';
import { clusterSection } from './cluster/section.js';
import { cameraLoadSection } from './camera-load/section.js';
import { firstFrameSection } from './first-frame/section.js';
import { describeMachine } from './machine.js';
import { motionSection } from './motion/section.js';
import { notificationsSection } from './notifications/section.js';
import { glassToGlassSection } from './glass-to-glass/section.js';
import { livePauseSection } from './live-pause/section.js';
import { presenceSection } from './presence/section.js';
import { cameraBacklogSection } from './recordings/backlog-section.js';
import { recordingsSection } from './recordings/section.js';
import { formatReport, writeJsonReport, type BenchReport } from './report.js';
import type { BenchOptions, Section } from './section.js';
import { signalingSection } from './signaling/section.js';

const SECTIONS: Section[] = [
  bundleSection,
  signalingSection,
  presenceSection,
  apiSection,
  firstFrameSection,
  glassToGlassSection,
  livePauseSection,
  recordingsSection,
  cameraBacklogSection,
  motionSection,
  notificationsSection,
  cameraLoadSection,
  clusterSection,
];

const DEFAULTS = { peers: '1000,5000,10000', trials: '20', apiSeconds: '10', clusterPeers: '1000' };

function usage(): string {
  return [
    'Usage: tsx bench/main.ts [options]',
    `  --only <names>        sections, comma-separated (default: all): ${SECTIONS.map((s) => s.name).join(', ')}`,
    `  --peers <n,n,...>     signaling sockets per run (default ${DEFAULTS.peers})`,
    `  --trials <n>          presence trials per case and first-frame calls (default ${DEFAULTS.trials})`,
    `  --api-seconds <s>     duration of the API load (default ${DEFAULTS.apiSeconds})`,
    `  --cluster-peers <n>   signaling sockets over the cluster's instances (default ${DEFAULTS.clusterPeers})`,
    '  --json <file>         also write all figures as JSON',
    '',
    'Sections:',
    ...SECTIONS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`),
  ].join('\n');
}

function positiveInts(name: string, raw: string): number[] {
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`--${name} needs positive integers, got "${raw}"`);
  }
  return values;
}

function parseOptions(): { sections: Section[]; options: BenchOptions; jsonFile?: string } | undefined {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      peers: { type: 'string', default: DEFAULTS.peers },
      trials: { type: 'string', default: DEFAULTS.trials },
      'api-seconds': { type: 'string', default: DEFAULTS.apiSeconds },
      'cluster-peers': { type: 'string', default: DEFAULTS.clusterPeers },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage());
    return undefined;
  }
  const names = values.only?.split(',').map((n) => n.trim()) ?? SECTIONS.map((s) => s.name);
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')}\n\n${usage()}`);
  return {
    sections: SECTIONS.filter((s) => names.includes(s.name)),
    options: {
      peers: positiveInts('peers', values.peers),
      trials: positiveInts('trials', values.trials)[0]!,
      apiSeconds: positiveInts('api-seconds', values['api-seconds'])[0]!,
      clusterPeers: positiveInts('cluster-peers', values['cluster-peers'])[0]!,
      log: (message) => process.stderr.write(`[bench] ${message}\n`),
    },
    jsonFile: values.json,
  };
}

async function main(): Promise<number> {
  const parsed = parseOptions();
  if (!parsed) return 0;
  const { sections, options, jsonFile } = parsed;
  const startedAt = new Date();
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    machine: describeMachine(),
    sections: sections.map((s) => s.name),
    figures: [],
    notes: [],
    crashes: [],
  };
  for (const section of sections) {
    options.log(`section ${section.name}`);
    try {
      const result = await section.run(options);
      report.figures.push(...result.figures);
      report.notes.push(...result.notes.map((n) => `${section.name}: ${n}`));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      options.log(`section ${section.name} crashed: ${message}`);
      report.crashes.push({ section: section.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  report.durationMs = Date.now() - startedAt.getTime();
  console.log(formatReport(report));
  if (jsonFile) writeJsonReport(jsonFile, report);
  return report.crashes.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
