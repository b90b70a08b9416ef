import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuthSession } from '../../protocol/index.js';
import { spawnListening, stopChild, type ListeningProcess } from './listening-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerOptions {
  /** Reuse a data folder (e.g. to restart a server over the same SQLite file). */
  dataDir?: string;
  /** Fixed port (needed to restart on the same origin); default: a free one. */
  port?: number;
  /** Fixed HTTPS port; default: a free one. */
  httpsPort?: number;
  /** Settings (environment variables) on top of the defaults, e.g. those several instances share. */
  env?: Record<string, string>;
  /** What its log lines are marked with when TEST_SERVER_LOG is set (default `server`). */
  label?: string;
  /** Called with every line the process writes (its JSON log), e.g. to wait for one. */
  onLogLine?: (line: string) => void;
}

/** The Authorization header value of a user's session. */
export const bearer = (session: AuthSession): string => `Bearer ${session.accessToken}`;

/** pino's level number of `error` (pino `levels.values.error`). */
const PINO_ERROR_LEVEL = 50;

/** The password `TestServer.register` gives every user it creates. */
export const TEST_PASSWORD = 'correct horse 1';

/**
 * A real Peerwatch server process (`tsx signal-server/main.ts`) on loopback,
 * with its own DATA_DIR, serving the built PWA from ./dist over HTTP and
 * (unless `env.HTTPS` is `off`) over HTTPS with its self-signed certificate.
 */
export class TestServer {
  private constructor(
    private child: ChildProcess,
    readonly port: number,
    /** The HTTPS port, or null when HTTPS is off. */
    readonly httpsPort: number | null,
    readonly dataDir: string,
    private readonly options: ServerOptions,
    /** The log lines at level error or above that the process wrote (all its runs). */
    private readonly errorLines: string[],
  ) {}

  /** Process id of the running server (e.g. to read its memory and CPU time from /proc). */
  get pid(): number {
    return this.child.pid!;
  }

  get baseURL(): string {
    return `http://localhost:${this.port}`;
  }

  /** `https://localhost:<httpsPort>`. @throws Error when HTTPS is off. */
  get httpsBaseURL(): string {
    if (this.httpsPort === null) throw new Error('HTTPS is off on this server');
    return `https://localhost:${this.httpsPort}`;
  }

  /** Starts a server and resolves once it logs that it is listening. */
  static async start(options: ServerOptions = {}): Promise<TestServer> {
    const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'peerwatch-test-'));
    const errorLines: string[] = [];
    const { child, port, httpsPort } = await launch(dataDir, options, errorLines);
    return new TestServer(child, port, httpsPort, dataDir, options, errorLines);
  }

  /** The JSON log entries at level error or above logged so far (e.g. "uncaught exception", "request failed"). */
  loggedErrors(): { msg?: string; err?: unknown }[] {
    return this.errorLines.map((line) => JSON.parse(line) as { msg?: string; err?: unknown });
  }

  /** Stops the process: SIGTERM (clean) by default, or SIGKILL to simulate a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await stopChild(this.child, signal);
  }

  /** Stops the server and starts it again on the same ports and data folder. */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.startAgain();
  }

  /** Starts the stopped server again on the same ports and data folder. */
  async startAgain(): Promise<void> {
    const { child } = await launch(
      this.dataDir,
      { ...this.options, port: this.port, httpsPort: this.httpsPort ?? undefined },
      this.errorLines,
    );
    this.child = child;
  }

  /** fetch against this server with a JSON body and optional Authorization header. */
  request(method: string, urlPath: string, init: TestRequest = {}) {
    return requestJson(this.baseURL, method, urlPath, init);
  }

  /** Registers a fresh account and returns its session. */
  register(email?: string): Promise<AuthSession> {
    return registerAt(this, email);
  }
}

/** What a test request sends: a JSON body (or `raw` text), an Authorization header. */
export interface TestRequest {
  body?: unknown;
  auth?: string;
  raw?: string;
}

/** A Peerwatch server the tests talk to over HTTP on loopback (a `TestServer` process, or one in the test's process). */
export interface ApiServer {
  readonly port: number;
  request(method: string, urlPath: string, init?: TestRequest): Promise<{ status: number; body: any }>;
}

/** fetch against `baseURL` with a JSON body and optional Authorization header; the JSON answer parsed. */
export async function requestJson(baseURL: string, method: string, urlPath: string, init: TestRequest = {}) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = 'application/json';
  if (init.auth) headers.authorization = init.auth;
  const res = await fetch(baseURL + urlPath, {
    method,
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
}

/** Registers a fresh account on `server` and returns its session. */
export async function registerAt(server: ApiServer, email = `user-${Math.random().toString(16).slice(2)}@example.com`): Promise<AuthSession> {
  const res = await server.request('POST', '/api/auth/register', { body: { email, password: TEST_PASSWORD } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AuthSession;
}

/** Starts the server process; its log lines at level error or above go into `errorLines`. */
async function launch(dataDir: string, options: ServerOptions, errorLines: string[]): Promise<ListeningProcess> {
  return spawnListening(path.join(ROOT, 'signal-server/main.ts'), {
    cwd: ROOT,
    label: options.label ?? 'server',
    onLine: (line) => {
      options.onLogLine?.(line);
      if (isErrorLine(line)) errorLines.push(line);
    },
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HTTPS_PORT: String(options.httpsPort ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STUN_URLS: '',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      ...options.env,
    },
  });
}

function isErrorLine(line: string): boolean {
  try {
    return ((JSON.parse(line) as { level?: unknown }).level as number) >= PINO_ERROR_LEVEL;
  } catch {
    return false;
  }
}
