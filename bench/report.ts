import { writeFileSync } from 'node:fs';
import type { MachineInfo } from './machine.js';

/** One measured figure. */
export interface Figure {
  /** Section that measured it, e.g. `signaling`. */
  section: string;
  /** What was measured, with its conditions, e.g. `relay latency p99, Peerwatch, 10000 peers`. */
  name: string;
  /** The value in `unit`; NaN when nothing could be measured. */
  value: number;
  /** e.g. `ms`, `KB/peer`, `%`, `req/s`, `count`, `ratio`. */
  unit: string;
  /** The goal, when there is one: the value should be at most this. */
  targetMax?: number;
  /** The goal, when the value should be at least this instead (e.g. a throughput ratio). */
  targetMin?: number;
}

/**
 * The figures of one section: `figure(name, value, unit, targetMax?)`, each
 * name passed through `nameOf` (e.g. to add the conditions they share).
 */
export function figureMaker(section: string, nameOf: (name: string) => string = (name) => name) {
  return (name: string, value: number, unit: string, targetMax?: number): Figure => ({
    section,
    name: nameOf(name),
    value,
    unit,
    ...(targetMax === undefined ? {} : { targetMax }),
  });
}

/** What a section hands back: its figures and notes on how they were taken. */
export interface SectionResult {
  figures: Figure[];
  notes: string[];
}

/** Everything a run measured, as written by `--json`. */
export interface BenchReport {
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  sections: string[];
  figures: Figure[];
  notes: string[];
  /** Sections that crashed, with their error message. */
  crashes: { section: string; error: string }[];
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
}

function verdict(figure: Figure): string {
  const { targetMax, targetMin, value } = figure;
  if (targetMax === undefined && targetMin === undefined) return '';
  if (!Number.isFinite(value)) return 'n/a';
  const met = (targetMax === undefined || value <= targetMax) && (targetMin === undefined || value >= targetMin);
  return met ? 'met' : 'MISSED';
}

function targetText(figure: Figure): string {
  if (figure.targetMax !== undefined) return `≤ ${figure.targetMax}`;
  if (figure.targetMin !== undefined) return `≥ ${figure.targetMin}`;
  return '';
}

/** Renders rows as a plain-text table with aligned columns. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The run's header (machine and versions) and its figures, as text for a terminal. */
export function formatReport(report: BenchReport): string {
  const { machine: m } = report;
  const v = m.versions;
  const header = [
    `Machine: ${m.cores} cores, ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB memory, ${m.os}, open files limit ${m.openFilesLimit}`,
    `Versions: node ${v.node}, chromium ${v.chromium}, peer ${v.peer}, peerjs ${v.peerjs}, autocannon ${v.autocannon}`,
    `Sections: ${report.sections.join(', ')} (${(report.durationMs / 1000).toFixed(0)} s)`,
  ];
  const rows = report.figures.map((f) => [
    f.section,
    f.name,
    formatValue(f.value),
    f.unit,
    targetText(f),
    verdict(f),
  ]);
  const parts = [header.join('\n'), '', table(['section', 'figure', 'value', 'unit', 'target', 'verdict'], rows)];
  if (report.notes.length) parts.push('', 'Notes:', ...report.notes.map((n) => `- ${n}`));
  if (report.crashes.length) {
    parts.push('', 'Crashed sections:', ...report.crashes.map((c) => `- ${c.section}: ${c.error}`));
  }
  return parts.join('\n');
}

/** Writes the report as JSON (NaN becomes null). */
export function writeJsonReport(file: string, report: BenchReport): void {
  writeFileSync(file, JSON.stringify(report, (_k, value) => (Number.isNaN(value) ? null : value), 2) + '\n');
}
