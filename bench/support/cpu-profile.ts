import type { InspectorSession } from './inspector.js';

/** A V8 CPU profile (Chrome DevTools Protocol `Profiler.Profile`; the fields read here). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    /** Samples taken while this node was on top of the stack. */
    hitCount?: number;
  }[];
  /** Start and end of the profile, µs. */
  startTime: number;
  endTime: number;
}

/** One row of a profile summary: a function or a module and its share of the busy samples. */
export interface SelfTime {
  name: string;
  /** Share of the samples not idle, %. */
  percent: number;
}

/** Where a process's CPU time went: the functions and modules with the most self time. */
export interface ProfileSummary {
  functions: SelfTime[];
  modules: SelfTime[];
  /** Share of all samples the process was idle, %. */
  idlePercent: number;
}

/** Sampling interval of the profiles taken here, µs (CDP `Profiler.setSamplingInterval`). */
const SAMPLING_INTERVAL_US = 200;

/**
 * Profiles the CPU of the process behind `inspector` while `during` runs
 * (CDP `Profiler.start` / `Profiler.stop`, V8's sampling profiler).
 * @throws Error when the profiler cannot be started or stopped, or what `during` throws.
 */
export async function profileCpu(inspector: InspectorSession, during: () => Promise<void>): Promise<CpuProfile> {
  await inspector.call('Profiler.enable');
  await inspector.call('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await inspector.call('Profiler.start');
  const stop = async () => {
    const { profile } = (await inspector.call('Profiler.stop')) as { profile: CpuProfile };
    await inspector.call('Profiler.disable');
    return profile;
  };
  try {
    await during();
  } catch (error) {
    await stop();
    throw error;
  }
  return stop();
}

/**
 * The module a script URL belongs to: an npm package (`express`,
 * `@scope/name`), a Node built-in (`node:internal/streams`), Peerwatch's own
 * code (`peerwatch signal-server/auth`), or V8's own entries (`(garbage collector)`, `(program)`).
 */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const packages = url.split('/node_modules/');
  if (packages.length > 1) {
    const [first, second] = packages.at(-1)!.split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  const own = /\/(signal-server|protocol|pwa)\/(.+)$/.exec(url);
  if (own) {
    const folders = own[2]!.split('/');
    return `peerwatch ${own[1]}${folders.length > 1 ? `/${folders[0]}` : ''}`;
  }
  return url;
}

/** The `top` functions and modules by self time in `profile` (V8's `(idle)` samples left out of the shares). */
export function summarizeProfile(profile: CpuProfile, top: number): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const { callFrame, hitCount = 0 } of profile.nodes) {
    if (hitCount === 0) continue;
    if (callFrame.functionName === '(idle)') {
      idle += hitCount;
      continue;
    }
    busy += hitCount;
    const module = moduleOf(callFrame.url, callFrame.functionName);
    const where = callFrame.url ? ` ${module}:${callFrame.lineNumber + 1}` : '';
    const name = `${callFrame.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hitCount);
    byModule.set(module, (byModule.get(module) ?? 0) + hitCount);
  }
  const ranked = (counts: Map<string, number>): SelfTime[] =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, percent: busy === 0 ? 0 : (100 * hits) / busy }));
  return { functions: ranked(byFunction), modules: ranked(byModule), idlePercent: (100 * idle) / (idle + busy || 1) };
}
