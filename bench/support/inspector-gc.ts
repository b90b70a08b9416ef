import { openInspector } from './inspector.js';

/**
 * Runs full garbage collections in another Node process (`pid`), so that a
 * memory figure read afterwards counts what the process holds, not garbage
 * a later major GC would free. The collection is the Chrome DevTools
 * Protocol's `HeapProfiler.collectGarbage` over the process's inspector
 * (`openInspector`), run `rounds` times (a second round frees what
 * finalizers of the first released).
 * @throws Error when the inspector does not answer within 5 s, belongs to
 *   another process, or the collection fails.
 */
export async function collectGarbage(pid: number, rounds = 2): Promise<void> {
  const inspector = await openInspector(pid);
  try {
    for (let round = 0; round < rounds; round++) await inspector.call('HeapProfiler.collectGarbage');
  } finally {
    inspector.close();
  }
}
