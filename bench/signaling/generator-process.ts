import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { GeneratorMessage, ParentMessage } from './protocol.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'bench/signaling/load-generator.ts');

type Reply<T extends GeneratorMessage['type']> = Extract<GeneratorMessage, { type: T }>;

/**
 * The load generator (load-generator.ts) as a child process with an IPC
 * channel. It runs under `bash -c 'ulimit -n <hard limit>'` so it may hold
 * as many sockets as the machine allows.
 */
export class GeneratorProcess {
  private readonly replies: GeneratorMessage[] = [];
  private waiting?: () => void;
  private exitCode: number | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: GeneratorMessage) => {
      this.replies.push(message);
      this.waiting?.();
    });
    child.on('exit', (code) => {
      this.exitCode = code ?? 1;
      this.waiting?.();
    });
  }

  static spawn(): GeneratorProcess {
    const child = spawn(
      'bash',
      ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', process.execPath, '--import', 'tsx', SCRIPT],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    return new GeneratorProcess(child);
  }

  /**
   * Sends `message` and waits for the reply of type `type`.
   * @throws Error when the generator exits first or `timeoutMs` passes
   */
  async ask<T extends GeneratorMessage['type']>(message: ParentMessage, type: T, timeoutMs: number): Promise<Reply<T>> {
    this.child.send(message);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.replies.findIndex((r) => r.type === type);
      if (index >= 0) return this.replies.splice(index, 1)[0] as Reply<T>;
      if (this.exitCode !== null) throw new Error(`load generator exited with ${this.exitCode} before '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`load generator sent no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Waits for the process to exit (killing it after `timeoutMs`). */
  async exit(timeoutMs = 10_000): Promise<void> {
    if (this.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
