import type { z } from 'zod';
import { ApiError } from './errors.js';

/**
 * Parses a request body against a zod schema.
 * @throws ApiError 400 `invalid_body` naming the first offending field.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ApiError(400, 'invalid_body', `${where}${issue?.message ?? 'invalid request body'}`);
}
