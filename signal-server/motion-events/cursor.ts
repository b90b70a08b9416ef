import { motionEventIdSchema } from '../../protocol/index.js';
import { ApiError } from '../http/errors.js';
import type { MotionEventPosition } from '../store/store.js';

/**
 * The opaque `nextCursor` of a page of events: the last event's start and id,
 * as base64url JSON. Keyset paging (start, id descending): events added
 * later never shift the pages after the first.
 */
export function encodeCursor(position: MotionEventPosition): string {
  return Buffer.from(JSON.stringify([position.startedAtMs, position.id])).toString('base64url');
}

/** The position a cursor names. @throws ApiError 400 `invalid_query` when it is not one of ours */
export function decodeCursor(cursor: string): MotionEventPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    motionEventIdSchema.safeParse(value[1]).success
  ) {
    return { startedAtMs: value[0] as number, id: value[1] as string };
  }
  throw new ApiError(400, 'invalid_query', 'cursor: must be a nextCursor of an earlier page');
}
