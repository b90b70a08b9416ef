import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The machine and software a benchmark ran on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  /** Soft limit of open files for this process and its children (`ulimit -n`). */
  openFilesLimit: number;
  versions: { node: string; chromium: string; peer: string; peerjs: string; autocannon: string };
}

function packageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function chromiumVersion(): string {
  try {
    const out = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /Chromium\s+([\d.]+)/.exec(out)?.[1] ?? out.trim();
  } catch {
    return 'not found';
  }
}

function openFilesLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  return Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1] ?? Number.NaN);
}

/** Describes this machine (cores, CPU model, memory) and the versions under test. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    openFilesLimit: openFilesLimit(),
    versions: {
      node: process.version,
      chromium: chromiumVersion(),
      peer: packageVersion('peer'),
      peerjs: packageVersion('peerjs'),
      autocannon: packageVersion('autocannon'),
    },
  };
}
