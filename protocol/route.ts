import type { z } from 'zod';
import type { ApiErrorCode } from './errors.js';
import { PERMISSIONS, ROLES, type Permission } from './roles.js';

/**
 * Who may call a route: a signed-in user (`Authorization: Bearer <access JWT>`),
 * a paired camera (`Authorization: Device <device token>`), or the holder of a
 * recording's playback link (`?token=`, for players that cannot send headers).
 */
export type Caller = 'user' | 'device' | 'playback';

/** A JSON body (request or response) of a zod schema. */
export interface JsonBody<S extends z.ZodType = z.ZodType> {
  kind: 'json';
  schema: S;
}
/** A body of raw bytes of one media type (chunk uploads, HLS playlists and media). */
export interface BytesBody {
  kind: 'bytes';
  /** The media types it may have (e.g. `application/octet-stream`, `video/mp4`). */
  contentTypes: readonly string[];
}
/** No body (204). */
export interface EmptyBody {
  kind: 'empty';
}
/** A Server-Sent Events stream (HTML Living Standard §9.2) whose `data` lines are JSON of `schema`. */
export interface EventStreamBody<S extends z.ZodType = z.ZodType> {
  kind: 'event-stream';
  schema: S;
}
/** What a successful response carries. */
export type ResponseBody = JsonBody | BytesBody | EmptyBody | EventStreamBody;

/** A zod object schema (path parameters, query, headers). */
export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * One route of the API: its contract. The server validates requests against it
 * (params, query, headers, body), the PWA's API client is typed from it, and the
 * OpenAPI document is generated from it.
 */
export interface RouteSpec {
  /** Unique name (OpenAPI `operationId`), camelCase. */
  name: string;
  /** One line for the reference. */
  summary: string;
  /** More, in Markdown. */
  description?: string;
  /** Reference section (OpenAPI tag). */
  tag: string;
  /** Who may call it; `anyone` needs no credential. */
  who: 'anyone' | readonly Caller[];
  /** What a signed-in user's role must allow (the permission table, `protocol/roles.ts`). */
  permission: Permission;
  params?: ObjectSchema;
  /**
   * The error a malformed path parameter answers, by parameter; default
   * `not_found` (a malformed id names no resource).
   */
  paramErrors?: Partial<Record<string, ApiErrorCode>>;
  query?: ObjectSchema;
  headers?: ObjectSchema;
  body?: JsonBody | BytesBody;
  /** Successful responses by status. */
  responses: Readonly<Partial<Record<200 | 201 | 204, ResponseBody>>>;
  /** Error codes the route itself answers, besides those its credential, parameters and body imply (`errorCodesOf`). */
  errors?: readonly ApiErrorCode[];
  /** Examples for the reference (validated against the schemas in the tests). */
  examples?: { request?: unknown; response?: unknown };
}

export const json = <S extends z.ZodType>(schema: S): JsonBody<S> => ({ kind: 'json', schema });
export const bytes = (...contentTypes: string[]): BytesBody => ({ kind: 'bytes', contentTypes });
export const empty = (): EmptyBody => ({ kind: 'empty' });
export const eventStream = <S extends z.ZodType>(schema: S): EventStreamBody<S> => ({ kind: 'event-stream', schema });

/** A route key: `"<METHOD> <path>"`, the path in Express syntax (`:name` parameters) under `/api`. */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /api/${string}`;

/** Method and path of a route key. */
export function splitRouteKey(key: string): { method: string; path: string } {
  const [method = '', path = ''] = key.split(' ', 2);
  return { method, path };
}

/** Every error code a route can answer: its own `errors` and those its credential, parameters and body imply. */
export function errorCodesOf(spec: RouteSpec): ApiErrorCode[] {
  const codes = new Set<ApiErrorCode>();
  if (spec.who !== 'anyone') codes.add('unauthorized');
  if (spec.who !== 'anyone' && !(spec.who.includes('user') && spec.who.includes('device'))) codes.add('forbidden');
  if (spec.who !== 'anyone' && PERMISSIONS[spec.permission].roles.length < ROLES.length) codes.add('forbidden');
  if (spec.params) {
    const shape = Object.keys(spec.params.shape);
    for (const name of shape) codes.add(spec.paramErrors?.[name] ?? 'not_found');
  }
  if (spec.query) codes.add('invalid_query');
  if (spec.headers) codes.add('invalid_header');
  if (spec.body?.kind === 'json') {
    for (const code of ['malformed_json', 'payload_too_large', 'bad_request', 'unsupported_media_type', 'invalid_body'] as const)
      codes.add(code);
  }
  if (spec.body?.kind === 'bytes') codes.add('unsupported_media_type');
  for (const code of spec.errors ?? []) codes.add(code);
  codes.add('internal');
  return [...codes];
}
