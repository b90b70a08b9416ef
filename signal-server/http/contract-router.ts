import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Caller, RouteSpec } from '../../protocol/route.js';
import { splitRouteKey } from '../../protocol/route.js';
import { PERMISSIONS, ROLES, roleMay, scopesAllow } from '../../protocol/permissions.js';
import { routes, type ApiRoute, type Routes } from '../../protocol/routes.js';
import type {
  BodyOut,
  HeadersOut,
  ParamsOut,
  QueryOut,
  ResponseBodyOf,
  SuccessStatus,
} from '../../protocol/route-types.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, unauthorized } from './errors.js';
import { tokenLimiter } from './rate-limit.js';
import { parsedRequest, validateRequest } from './validate.js';

type CallersOf<W> = W extends readonly Caller[] ? W[number] : never;

/**
 * The principal a route's handler gets: none for `anyone`, none for media
 * routes a playback token may open (the handler checks the token or header
 * itself), else the caller narrowed to the kinds the route admits.
 */
export type PrincipalFor<W> = W extends 'anyone'
  ? undefined
  : 'playback' extends CallersOf<W>
    ? undefined
    : Extract<Principal, { kind: CallersOf<W> }>;

/** What a route's handler gets: the caller and the request as the route's schemas read it. */
export interface RouteContext<K extends ApiRoute> {
  principal: PrincipalFor<Routes[K]['who']>;
  params: ParamsOut<K>;
  query: QueryOut<K>;
  headers: HeadersOut<K>;
  body: BodyOut<K>;
  /** Sends a JSON (or, for 204, empty) response the route's table entry declares. */
  reply<S extends SuccessStatus<K>>(status: S, ...body: ResponseBodyOf<K, S> extends undefined ? [] : [ResponseBodyOf<K, S>]): void;
}

/** Implements one route of the table. Errors thrown (ApiError or others) go to the error handler. */
export type RouteHandler<K extends ApiRoute> = (ctx: RouteContext<K>, req: Request, res: Response) => void | Promise<void>;

/** Where `checkCaller` keeps the principal for the handler's context. */
const PRINCIPAL = Symbol('principal');

interface Mounted {
  handler: RouteHandler<ApiRoute>;
  before: RequestHandler[];
}

/** The 403 message when the other kind of caller asks. */
const ONLY: Record<Exclude<Caller, 'playback'>, string> = {
  user: 'Only a signed-in user may do this.',
  device: 'Only a paired camera may do this.',
};

/**
 * The only way to mount API routes: each handler implements one entry of the
 * route table (`protocol/routes.ts`), and `router()` mounts them all, in the
 * table's order, each behind its JSON body parser (if it takes JSON), its
 * extra middleware (e.g. a rate limiter), the credential check for `who`, the
 * per-API-token rate limit and `validateRequest`. Nothing outside the table can be mounted, and `router()`
 * refuses to build while a table route has no handler.
 */
export class ContractRouter {
  private readonly mounted = new Map<ApiRoute, Mounted>();
  private readonly json: RequestHandler;
  private readonly tokenLimiter: RequestHandler;

  /**
   * @param resolve the principal of an `Authorization` header value, or undefined
   * @param jsonLimitBytes largest JSON body accepted (413 `payload_too_large` above)
   * @param tokenRate requests one API token may make per window (429 `rate_limited` above), the window in ms
   */
  constructor(
    private readonly resolve: (authorization: string | undefined) => Promise<Principal | undefined>,
    jsonLimitBytes: number,
    tokenRate: { limit: number; windowMs: number },
  ) {
    this.json = express.json({ limit: jsonLimitBytes });
    this.tokenLimiter = tokenLimiter(tokenRate.limit, tokenRate.windowMs, (res) => {
      const principal = (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL];
      return principal?.kind === 'user' && principal.grant.kind === 'token' ? principal.grant.tokenId : null;
    });
  }

  /**
   * Implements a table route. `before` runs after the body is parsed and before
   * the credential check (e.g. a rate limiter keyed on the body).
   * @throws Error when the route has a handler already
   */
  handle<K extends ApiRoute>(key: K, handler: RouteHandler<K>, options: { before?: RequestHandler[] } = {}): void {
    if (this.mounted.has(key)) throw new Error(`${key} is implemented twice`);
    this.mounted.set(key, { handler: handler as unknown as RouteHandler<ApiRoute>, before: options.before ?? [] });
  }

  /**
   * The API router (mount at `/api`) with every table route.
   * @throws Error naming the table routes without a handler
   */
  router(): Router {
    const missing = (Object.keys(routes) as ApiRoute[]).filter((key) => !this.mounted.has(key));
    if (missing.length > 0) throw new Error(`routes of the table without a handler: ${missing.join(', ')}`);
    const unguarded = (Object.keys(routes) as ApiRoute[]).filter((key) => {
      const spec: RouteSpec = routes[key];
      return spec.who !== 'anyone' && spec.who.includes('playback') && PERMISSIONS[spec.permission].roles.length < ROLES.length;
    });
    // The router does not check a playback link's holder, so such a route must be open to every role.
    if (unguarded.length > 0) throw new Error(`playback routes with a permission not every role has: ${unguarded.join(', ')}`);
    const router = Router();
    for (const key of Object.keys(routes) as ApiRoute[]) {
      const spec: RouteSpec = routes[key];
      const { handler, before } = this.mounted.get(key)!;
      const { method, path } = splitRouteKey(key);
      const chain: RequestHandler[] = [
        ...(spec.body?.kind === 'json' ? [this.json] : []),
        ...before,
        this.checkCaller(spec),
        this.tokenLimiter,
        validateRequest(spec),
        async (req, res) => {
          const parsed = parsedRequest(res);
          const ctx = {
            ...parsed,
            principal: (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL],
            reply: (status: number, body?: unknown) => {
              if (body === undefined) res.status(status).end();
              else res.status(status).json(body);
            },
          } as unknown as RouteContext<ApiRoute>;
          await handler(ctx, req, res);
        },
      ];
      router[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path.slice('/api'.length), ...chain);
    }
    return router;
  }

  /**
   * Resolves and checks the credential for `who` and the route's permission:
   * 401 without a valid one, 403 `forbidden` for the wrong kind of caller, a
   * user whose role lacks the permission (`protocol/roles.ts`) or an API
   * token without the permission's scope.
   */
  private checkCaller(spec: RouteSpec): RequestHandler {
    return async (req, res, next) => {
      const who = spec.who;
      if (who === 'anyone' || who.includes('playback')) {
        next();
        return;
      }
      const principal = await this.resolve(req.get('authorization'));
      if (!principal) throw unauthorized('Missing, invalid or expired credentials.');
      if (!who.includes(principal.kind)) {
        throw new ApiError(403, 'forbidden', ONLY[principal.kind === 'user' ? 'device' : 'user']);
      }
      if (principal.kind === 'user' && !roleMay(principal.role, spec.permission)) {
        const allowed = PERMISSIONS[spec.permission].roles.join(' or ');
        throw new ApiError(403, 'forbidden', `Your role (${principal.role}) may not do this; it is for the ${allowed}.`);
      }
      if (principal.kind === 'user' && principal.grant.kind === 'token' && !scopesAllow(principal.grant.scopes, spec.permission)) {
        const scope = PERMISSIONS[spec.permission].scope;
        throw new ApiError(403, 'forbidden', scope ? `This API token lacks the ${scope} scope.` : 'An API token may not do this.');
      }
      (res.locals as Record<symbol, Principal>)[PRINCIPAL] = principal;
      next();
    };
  }
}
