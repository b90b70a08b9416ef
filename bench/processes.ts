import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat (proc(5)). */
const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * Resident set size of a process, bytes: `VmRSS` of /proc/<pid>/status (proc(5)).
 * @throws Error when the process does not exist or the field is missing.
 */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * CPU time a process has used so far (user + system), ms: fields 14 and 15
 * (utime, stime) of /proc/<pid>/stat (proc(5)).
 */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/**
 * Measures a process's CPU use over a window: `start()` then `stop()` gives
 * the share of one core used in between, % (100 = one core fully busy).
 */
export class CpuMeter {
  private startCpuMs = 0;
  private startWallMs = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    this.startCpuMs = cpuTimeMs(this.pid);
    this.startWallMs = performance.now();
  }

  /** @returns CPU use since `start()`, % of one core. */
  stop(): number {
    const cpuMs = cpuTimeMs(this.pid) - this.startCpuMs;
    const wallMs = performance.now() - this.startWallMs;
    return (cpuMs / wallMs) * 100;
  }
}
