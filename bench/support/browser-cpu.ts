import type { CDPSession } from '@playwright/test';

/** One process as CDP `SystemInfo.getProcessInfo` reports it (`cpuTime`: s used since it started). */
interface ProcessInfo {
  type: string;
  id: number;
  cpuTime: number;
}

/** CPU time used so far by a browser's processes, ms, in total and by its renderer processes. */
async function cpuTimesMs(cdp: CDPSession): Promise<{ renderer: number; total: number }> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: ProcessInfo[] };
  const sum = (list: ProcessInfo[]) => list.reduce((ms, p) => ms + p.cpuTime * 1000, 0);
  return { renderer: sum(processInfo.filter((p) => p.type === 'renderer')), total: sum(processInfo) };
}

/**
 * Share of one core a browser's processes used over `windowMs`, % (100 = one
 * core busy), by its renderer processes and in total; `cdp` is a browser
 * session (`browser.newBrowserCDPSession()`).
 */
export async function cpuShare(cdp: CDPSession, windowMs: number): Promise<{ renderer: number; total: number }> {
  const before = await cpuTimesMs(cdp);
  const startMs = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await cpuTimesMs(cdp);
  const wallMs = performance.now() - startMs;
  return {
    renderer: ((after.renderer - before.renderer) / wallMs) * 100,
    total: ((after.total - before.total) / wallMs) * 100,
  };
}
