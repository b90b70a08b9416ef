/**
 * The text to show for a caught error: its message (or, when that is empty,
 * its name, e.g. a bare `DOMException`) when it is an `Error`, otherwise
 * `fallback` (anything may be thrown).
 */
export function messageOf(error: unknown, fallback: string): string {
  return error instanceof Error ? error.message || error.name : fallback;
}
