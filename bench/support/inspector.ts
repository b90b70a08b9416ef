import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';

/** Where SIGUSR1 opens a Node process's inspector (Node.js docs, "Debugging guide": default host and port). */
const INSPECTOR_URL = 'http://127.0.0.1:9229/json/list';
/** Longest wait for the inspector to listen after SIGUSR1, ms. */
const INSPECTOR_WAIT_MS = 5_000;

/** A Chrome DevTools Protocol session with another Node process's main thread. */
export interface InspectorSession {
  /**
   * Calls a CDP method (e.g. `HeapProfiler.collectGarbage`, `Profiler.start`) and resolves with its result.
   * @throws Error carrying the method's name when the process answers with an error.
   */
  call(method: string, params?: object): Promise<unknown>;
  close(): void;
}

/**
 * Opens the inspector of another Node process (`pid`) and a CDP session with
 * it: SIGUSR1 opens the process's inspector on 127.0.0.1:9229 (Node.js docs,
 * "Debugging guide"). One process at a time: the inspector port is fixed (the
 * process behind it is checked).
 * @throws Error when the inspector does not answer within 5 s or belongs to another process.
 */
export async function openInspector(pid: number): Promise<InspectorSession> {
  process.kill(pid, 'SIGUSR1');
  const socket = new WebSocket(await debuggerUrl(pid));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let lastId = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++lastId;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
        if (reply.id !== id) return;
        socket.off('message', onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  const session = { call, close: () => socket.close() };
  try {
    const evaluated = (await call('Runtime.evaluate', { expression: 'process.pid', returnByValue: true })) as {
      result: { value: unknown };
    };
    if (evaluated.result.value !== pid) throw new Error(`the inspector on 9229 is process ${evaluated.result.value}'s, not ${pid}'s`);
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}

/** The inspector WebSocket URL of `pid`'s main thread, polled until it listens. */
async function debuggerUrl(pid: number): Promise<string> {
  const deadline = Date.now() + INSPECTOR_WAIT_MS;
  for (;;) {
    try {
      const targets = (await (await fetch(INSPECTOR_URL)).json()) as { webSocketDebuggerUrl: string }[];
      if (targets[0]) return targets[0].webSocketDebuggerUrl;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the inspector of process ${pid} did not open on ${INSPECTOR_URL}`);
    await sleep(50);
  }
}
