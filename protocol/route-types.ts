import type { z } from 'zod';
import type { ApiRoute, Routes } from './routes.js';

/** A part of a route's request, as its schema's input (what a client sends) or output (what the server reads). */
type Part<K extends ApiRoute, P extends 'params' | 'query' | 'headers', IO extends 'in' | 'out'> = Routes[K] extends {
  [key in P]: infer S extends z.ZodType;
}
  ? IO extends 'in'
    ? z.input<S>
    : z.output<S>
  : undefined;

/** The JSON body of a route's request, as sent (`in`) or as read (`out`); undefined when it takes none. */
type JsonBodyOf<K extends ApiRoute, IO extends 'in' | 'out'> = Routes[K] extends {
  body: { kind: 'json'; schema: infer S extends z.ZodType };
}
  ? IO extends 'in'
    ? z.input<S>
    : z.output<S>
  : undefined;

export type ParamsIn<K extends ApiRoute> = Part<K, 'params', 'in'>;
export type ParamsOut<K extends ApiRoute> = Part<K, 'params', 'out'>;
export type QueryIn<K extends ApiRoute> = Part<K, 'query', 'in'>;
export type QueryOut<K extends ApiRoute> = Part<K, 'query', 'out'>;
export type HeadersIn<K extends ApiRoute> = Part<K, 'headers', 'in'>;
export type HeadersOut<K extends ApiRoute> = Part<K, 'headers', 'out'>;
export type BodyIn<K extends ApiRoute> = JsonBodyOf<K, 'in'>;
export type BodyOut<K extends ApiRoute> = JsonBodyOf<K, 'out'>;

/** The successful statuses of a route. */
export type SuccessStatus<K extends ApiRoute> = keyof Routes[K]['responses'] & number;

/** The body of one successful response: JSON of its schema, or undefined for 204, bytes and streams. */
export type ResponseBodyOf<K extends ApiRoute, S extends SuccessStatus<K>> = Routes[K]['responses'][S] extends {
  kind: 'json';
  schema: infer T extends z.ZodType;
}
  ? z.output<T>
  : undefined;

/** The body of any successful JSON response of a route. */
export type ResponseOf<K extends ApiRoute> = { [S in SuccessStatus<K>]: ResponseBodyOf<K, S> }[SuccessStatus<K>];

/** Routes whose successful responses are JSON (or empty), as a client calls them. */
export type JsonRoute = {
  [K in ApiRoute]: Routes[K]['responses'][SuccessStatus<K>] extends { kind: 'json' | 'empty' } ? K : never;
}[ApiRoute];

/** What a client sends for a route: only the parts the route takes (`params`, `query`, `body`). */
export type RequestOf<K extends ApiRoute> = (ParamsIn<K> extends undefined ? unknown : { params: ParamsIn<K> }) &
  (QueryIn<K> extends undefined ? unknown : { query?: QueryIn<K> }) &
  (BodyIn<K> extends undefined ? unknown : { body: BodyIn<K> });
