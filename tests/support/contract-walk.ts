import { expect } from '@playwright/test';
import {
  API_ERRORS,
  apiErrorBodySchema,
  errorCodesOf,
  routes,
  splitRouteKey,
  type ApiRoute,
  type RouteSpec,
} from '../../protocol/index.js';
import type { TestServer } from './server.js';

/** One request of the walk: the route's parts, and how it is sent. */
export interface WalkRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** A body sent as is (malformed JSON, chunk bytes). */
  raw?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** The Authorization header; none when absent. */
  auth?: string;
}

/** What an answer was, once checked against the contract. */
export interface WalkAnswer {
  status: number;
  /** Parsed JSON for JSON answers, the text of others (bytes as their length). */
  body: any;
  contentType: string;
}

/**
 * Calls a real server route by route and checks every answer against the
 * route table: a declared success status with a body its schema accepts (JSON
 * parsed strictly, bytes of a declared media type, no body for 204), or an
 * error `{error: {code, message}}` whose code the route may answer, sent with
 * that code's status. Records what it saw, so a test can require that every
 * route was walked, with a success and (where it has one) an error.
 */
export class ContractWalk {
  private readonly successes = new Set<ApiRoute>();
  private readonly errors = new Set<ApiRoute>();

  constructor(private readonly server: TestServer) {}

  /** Sends one request and checks the answer. @throws when it breaks the contract */
  async call(route: ApiRoute, request: WalkRequest = {}): Promise<WalkAnswer> {
    const { method, path } = splitRouteKey(route);
    const filled = path.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(request.params?.[name] ?? ''));
    const search = new URLSearchParams(request.query ?? {}).toString();
    const headers: Record<string, string> = { ...request.headers };
    if (request.auth) headers.authorization = request.auth;
    if (request.body !== undefined || request.raw !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
    }
    const res = await fetch(`${this.server.baseURL}${filled}${search ? `?${search}` : ''}`, {
      method,
      headers,
      body: (request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body))) as BodyInit | undefined,
    });
    const contentType = res.headers.get('content-type') ?? '';
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const body = contentType.startsWith('application/json') ? (text ? JSON.parse(text) : undefined) : text;
    this.check(route, res.status, contentType, body, bytes.length);
    return { status: res.status, body, contentType };
  }

  /** Records that a route's stream opened (its events are checked by the caller with the route's schema). */
  streamOpened(route: ApiRoute): void {
    this.successes.add(route);
  }

  /** The routes not yet seen answering a success, and those with error codes not yet seen answering one. */
  unwalked(): { withoutSuccess: ApiRoute[]; withoutError: ApiRoute[] } {
    const all = Object.keys(routes) as ApiRoute[];
    return {
      withoutSuccess: all.filter((route) => !this.successes.has(route)),
      withoutError: all.filter(
        (route) => !this.errors.has(route) && errorCodesOf(routes[route]).some((code) => code !== 'internal'),
      ),
    };
  }

  private check(route: ApiRoute, status: number, contentType: string, body: unknown, sizeBytes: number): void {
    const spec: RouteSpec = routes[route];
    const success = spec.responses[status as 200 | 201 | 204];
    const where = `${route} answered ${status}`;
    if (success) {
      this.successes.add(route);
      if (success.kind === 'json') {
        expect(contentType, where).toMatch(/^application\/json/);
        const parsed = success.schema.safeParse(body);
        expect(parsed.success, `${where}: ${parsed.error?.message}`).toBe(true);
      } else if (success.kind === 'empty') {
        expect(sizeBytes, where).toBe(0);
      } else if (success.kind === 'bytes') {
        expect(success.contentTypes.some((type) => contentType.startsWith(type)), `${where}: ${contentType}`).toBe(true);
      } else {
        throw new Error(`${where}: read event streams with a stream reader`);
      }
      return;
    }
    this.errors.add(route);
    expect(status, where).toBeGreaterThanOrEqual(400);
    const parsed = apiErrorBodySchema.safeParse(body);
    expect(parsed.success, `${where}: ${JSON.stringify(body)}`).toBe(true);
    const code = parsed.data!.error.code;
    expect(errorCodesOf(spec), `${where}: code ${code} is not in the route's table entry`).toContain(code);
    expect(API_ERRORS[code].status, `${where}: ${code} has another status`).toBe(status);
  }
}
