import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A spawned server process and the ports it reported. */
export interface ListeningProcess {
  child: ChildProcess;
  port: number;
  /** The HTTPS port, when the process reported one. */
  httpsPort: number | null;
}

/**
 * Spawns `node --import tsx <script>` and resolves once the process logs a
 * JSON line `{"msg":"listening","port":N,"httpsPort":M}` on stdout (the way
 * signal-server/main.ts announces itself). Its stdout keeps being read (each
 * line handed to `onLine`, and echoed with `[label]` when TEST_SERVER_LOG is
 * set); stderr is inherited.
 * @throws Error when the process exits or stays silent for `timeoutMs` (default 20 000 ms).
 */
export async function spawnListening(
  script: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; label: string; timeoutMs?: number; onLine?: (line: string) => void },
): Promise<ListeningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ports = await new Promise<{ port: number; httpsPort: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.label} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`${options.label} exited with ${code}`)));
    lines.on('line', (line) => {
      if (process.env.TEST_SERVER_LOG) process.stdout.write(`[${options.label}] ${line}\n`);
      options.onLine?.(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number; httpsPort?: number | null };
        if (entry.msg === 'listening' && entry.port) {
          clearTimeout(timer);
          resolve({ port: entry.port, httpsPort: entry.httpsPort ?? null });
        }
      } catch {
        /* not JSON */
      }
    });
  });
  return { child, ...ports };
}

/** Sends `signal` to `child` and resolves once it has exited (at once if it already had). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
